//! Markdown for a review ticket: `compare` and `drift` (with `--against`). Every text from a
//! certificate or a file name goes through `escape` (or, in a code span, `code_span`),
//! table cells and redlines included.

use std::io::{self, Write};

use crate::compare::{Comparison, ProvisionComparison, Status};
use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{AgainstReport, DriftReport, SlotReport};
use crate::report::redline::{Style, markdown_style, redline, redline_marked};
use crate::report::rows;
use crate::report::words::{
    ID_NOTE, SLIP_LEGEND, all_unchanged, and_more, clause_label, compare_change, compare_summary,
    compare_warnings, deviation_kind, drift_summary, duplicates_heading, more_wordings, not_shown,
    skipped_text,
};
use crate::report::{CompareView, DriftView, field_label};

/// Escapes the characters Markdown would read as markup (`* _ ~ | [ ] < > # & \` and
/// backticks), and turns line breaks and other control characters into spaces, so the text
/// can neither open a tag or an entity nor break out of a table cell or list item.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        if matches!(
            c,
            '*' | '_' | '~' | '|' | '[' | ']' | '<' | '>' | '#' | '&' | '\\' | '`'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a Markdown code span (`` `…` ``), such as a file name: backticks become `'` and
/// line breaks and other control characters spaces, so the text cannot end the span or
/// start a new block.
pub(crate) fn code_span(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Writes the comparison as Markdown: a fields table, a provisions table and each change as
/// a redline, `~~deleted~~` / `**inserted**` or, where those would not read as emphasis,
/// `<del>` / `<ins>` throughout (one style per report).
pub fn compare(out: &mut dyn Write, c: &Comparison, view: &CompareView) -> io::Result<()> {
    writeln!(out, "# Comparison\n")?;
    writeln!(out, "- **A:** `{}`", code_span(&c.a))?;
    writeln!(out, "- **B:** `{}`\n", code_span(&c.b))?;
    writeln!(out, "{}\n", escape(&compare_summary(c)))?;
    let warnings = compare_warnings(c);
    if !warnings.is_empty() {
        writeln!(out, "## Integrity warnings\n")?;
        for (side, path, w) in warnings {
            let line = w.line.map(|l| format!(", line {l}")).unwrap_or_default();
            writeln!(
                out,
                "- {side} `{}`{line}: {}",
                code_span(path),
                escape(&w.message)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Header fields\n")?;
    table_head(out, &["field", "same", "A", "B"])?;
    for f in rows::compare_fields(c) {
        let cells = [
            field_label(f.field).to_string(),
            if f.same { "yes" } else { "**no**" }.to_string(),
            escape(f.a.as_deref().unwrap_or("")),
            escape(f.b.as_deref().unwrap_or("")),
        ];
        table_row(out, &cells)?;
    }
    writeln!(out, "\n## Provisions\n")?;
    let provisions = rows::compare_rows(c, view);
    let hidden = c.provisions.len() - provisions.len();
    if hidden > 0 && provisions.is_empty() {
        writeln!(out, "{}", all_unchanged(c))?;
        return Ok(());
    }
    table_head(out, &["status", "A", "B", "similarity", "change"])?;
    for row in &provisions {
        table_row(out, &row.each_ref().map(|cell| escape(cell)))?;
    }
    if hidden > 0 {
        writeln!(out, "\n_{}._", not_shown(hidden))?;
    }
    let (changes, slipped) = rows::compare_changes(c);
    if !changes.is_empty() {
        writeln!(out, "\n## Changes")?;
    }
    let style = markdown_style(changes.iter().chain(&slipped).map(|p| p.diff.as_slice()));
    for p in &changes {
        change(out, p, style)?;
    }
    if !slipped.is_empty() {
        writeln!(out, "\n## Only likely OCR slips (not substantive)")?;
    }
    for p in &slipped {
        change(out, p, style)?;
    }
    if changes
        .iter()
        .chain(&slipped)
        .any(|p| p.classes.contains(&ChangeClass::LikelyOcr))
    {
        writeln!(out, "\n_{}._", escape(SLIP_LEGEND))?;
    }
    Ok(())
}

/// One change of a comparison: a heading and its redline.
fn change(out: &mut dyn Write, p: &ProvisionComparison, style: Style) -> io::Result<()> {
    let title = match p.status {
        Status::Added => format!("{} (added)", p.b.as_deref().unwrap_or("")),
        Status::Removed => format!("{} (removed)", p.a.as_deref().unwrap_or("")),
        _ => format!(
            "{} → {} ({})",
            p.a.as_deref().unwrap_or(""),
            p.b.as_deref().unwrap_or(""),
            compare_change(p)
        ),
    };
    writeln!(out, "\n### {}\n", escape(&title))?;
    writeln!(out, "{}", redline_marked(&p.diff, &rows::slips(p), style))
}

/// Writes the drift report as Markdown: the summary table, then each drifting slot, the
/// inputs that failed and the possible duplicates; with `against`, the certificates measured
/// against the reference after all that.
pub fn drift(
    out: &mut dyn Write,
    r: &DriftReport,
    against: Option<&AgainstReport>,
    view: &DriftView,
) -> io::Result<()> {
    let style = markdown_style(
        r.slots
            .iter()
            .filter(|s| s.drifting)
            .flat_map(|s| s.variants.iter().take(view.max_variants))
            .map(|v| v.diff.as_slice()),
    );
    writeln!(out, "# Drift report\n")?;
    writeln!(out, "{}\n", escape(&drift_summary(r)))?;
    table_head(out, &rows::SLOT_HEADER)?;
    for row in rows::slot_rows(r, None) {
        table_row(out, &row.map(|cell| escape(&cell)))?;
    }
    for s in r.slots.iter().filter(|s| s.drifting) {
        slot(out, s, style, view)?;
    }
    if !r.errors.is_empty() {
        writeln!(out, "\n## Errors\n")?;
        for e in &r.errors {
            writeln!(out, "- `{}`: {}", code_span(&e.path), escape(&e.error))?;
        }
    }
    duplicates(out, &r.duplicates)?;
    match against {
        Some(a) => against_section(out, a),
        None => Ok(()),
    }
}

/// A drifting slot: a table of its wordings, then each as a redline in `style` with the first
/// few certificates that carry it.
fn slot(out: &mut dyn Write, s: &SlotReport, style: Style, view: &DriftView) -> io::Result<()> {
    writeln!(out, "\n## {}\n", escape(&s.slot))?;
    if let Some(n) = &s.note {
        writeln!(out, "_{}_\n", escape(n))?;
    }
    table_head(out, &rows::VARIANT_HEADER)?;
    for row in rows::variant_rows(s, view.max_variants, None) {
        table_row(out, &row.map(|cell| escape(&cell)))?;
    }
    writeln!(out)?;
    for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
        let text = if v.canonical {
            escape(&v.text)
        } else {
            redline(&v.diff, style)
        };
        let members: Vec<String> = v
            .members
            .iter()
            .take(view.max_members)
            .map(|m| format!("`{}`:{} ({})", code_span(&m.path), m.line, m.id))
            .collect();
        write!(out, "{}. {text}  \n   in {}", i + 1, members.join(", "))?;
        writeln!(out, "{}\n", and_more(v.count.saturating_sub(members.len())))?;
    }
    if let Some(line) = more_wordings(s, view.max_variants) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The `--against` view, after the drift report: a table of certificates with their counts,
/// then per certificate each deviating clause as a redline from the reference's wording.
fn against_section(out: &mut dyn Write, a: &AgainstReport) -> io::Result<()> {
    writeln!(
        out,
        "\n## Measured against `{}`\n\n{}\n",
        code_span(&a.reference),
        escape(ID_NOTE)
    )?;
    table_head(out, &rows::AGAINST_HEADER)?;
    for d in &a.documents {
        let [deviations, substantive, not_applicable] = rows::against_counts(d);
        let path = format!("`{}`", code_span(&d.path));
        table_row(out, &[path, deviations, substantive, not_applicable])?;
    }
    for d in &a.documents {
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            continue;
        }
        writeln!(out, "\n### `{}`\n", code_span(&d.path))?;
        for x in &d.deviations {
            writeln!(
                out,
                "- {} ({}): {}",
                escape(&clause_label(x)),
                escape(&deviation_kind(x)),
                redline(&x.diff, Style::Markdown)
            )?;
        }
        for k in &d.not_applicable {
            writeln!(out, "- {}", escape(&skipped_text(k)))?;
        }
    }
    Ok(())
}

/// The possible duplicates: the heading, then a table with one row per file; nothing when
/// there are none.
fn duplicates(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n## Possible duplicates\n")?;
    writeln!(out, "{}\n", escape(&duplicates_heading(duplicates.len())))?;
    table_head(out, &["licence no", "file", "issued"])?;
    for [license_no, path, issued] in rows::duplicate_rows(duplicates) {
        table_row(
            out,
            &[
                escape(&license_no),
                format!("`{}`", code_span(&path)),
                issued,
            ],
        )?;
    }
    Ok(())
}

/// The head of a Markdown table: the column names, then the rule under them.
fn table_head(out: &mut dyn Write, names: &[&str]) -> io::Result<()> {
    writeln!(out, "| {} |", names.join(" | "))?;
    writeln!(out, "|{}", "---|".repeat(names.len()))
}

/// A row of a Markdown table, its cells already escaped.
fn table_row(out: &mut dyn Write, cells: &[String]) -> io::Result<()> {
    writeln!(out, "| {} |", cells.join(" | "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{render, report_with_groups};

    #[test]
    fn markdown_says_how_many_members_and_wordings_are_not_listed() {
        let r = report_with_groups(8);
        let view = DriftView {
            max_members: 3,
            max_variants: 1,
            ..DriftView::default()
        };
        let md = render(|w| drift(w, &r, None, &view));
        assert!(md.contains("`c/002.txt`:3 (一) … and 5 more"), "{md}");
        assert!(
            md.contains("… 1 more wording (see --format json or csv)"),
            "{md}"
        );
    }
}
