//! `compare` renderers: a terminal table with inline redlines, JSON and Markdown.

use std::io::{self, Write};

use crate::compare::{Comparison, ProvisionComparison, Status, Summary};
use crate::diff::ChangeClass;
use crate::model::Warning;
use crate::report::field_label;
use crate::report::redline::{Style, code_span, escape_markdown, markdown_style, redline_marked};

/// What the text renderers show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct View {
    /// Terminal columns to lay tables out for; `None`: no limit (a pipe or a file).
    pub width: Option<u16>,
    /// Colour redlines with ANSI codes instead of `[-…-]{+…+}`.
    pub color: bool,
    /// Leave unchanged provisions ([`ProvisionComparison::is_unchanged`]) out of the
    /// provisions table.
    pub only_changes: bool,
}

impl Default for View {
    fn default() -> Self {
        View {
            width: Some(super::DEFAULT_WIDTH),
            color: false,
            only_changes: false,
        }
    }
}

/// Writes the comparison as JSON (DESIGN §5).
pub fn json(out: &mut dyn Write, c: &Comparison) -> io::Result<()> {
    crate::report::write_pretty_json(out, c)
}

/// A short description of a row: its change classes and its flags.
pub fn describe(p: &ProvisionComparison) -> String {
    let mut parts: Vec<String> = p.classes.iter().map(|c| c.label().to_string()).collect();
    if p.renumbered {
        parts.push("renumbered".into());
    }
    if p.moved {
        parts.push("moved".into());
    }
    if p.coarse {
        parts.push("coarse diff".into());
    }
    parts.join(", ")
}

fn shown(p: &ProvisionComparison, view: &View) -> bool {
    !(view.only_changes && p.is_unchanged())
}

/// What stands in for the provisions table when `--only-changes` leaves every row out.
pub fn all_unchanged(c: &Comparison) -> String {
    format!(
        "All {} provisions are unchanged (the same text under the same number in the same place).",
        c.provisions.len()
    )
}

/// The note under a provisions table that leaves `hidden` unchanged rows out.
pub fn not_shown(hidden: usize) -> String {
    format!(
        "{hidden} unchanged provision{} not shown",
        if hidden == 1 { "" } else { "s" }
    )
}

/// The verdict [`Summary::differs`](crate::compare::Summary::differs) gives, in words, without
/// the exit status: `Substantive differences in the provisions`.
pub fn verdict(s: &Summary) -> &'static str {
    if s.differs {
        "Substantive differences in the provisions"
    } else {
        "No substantive difference in the provisions"
    }
}

/// The exit status `compare` gives: the verdict as a number.
pub fn exit_status(s: &Summary) -> u8 {
    u8::from(s.differs)
}

/// What decides the exit status, in words, for reports that show it.
pub const EXIT_RULE: &str = "The exit status is 1 when a provision is added, removed, or changed in wording, a number or an obligation, else 0. Header fields, punctuation, variant characters, likely OCR slips, renumbering and moves are reported but do not count.";

/// One line summing up the comparison: the counts, then the verdict and the exit status.
pub fn summary_line(c: &Comparison) -> String {
    let s = &c.summary;
    let mut changed = format!("{} substantive", s.provisions_substantive());
    if s.obligation > 0 {
        changed.push_str(&format!(", {} with an obligation change", s.obligation));
    }
    if s.likely_ocr > 0 {
        changed.push_str(&format!("; {} with only likely OCR slips", s.likely_ocr));
    }
    format!(
        "{} pairs: {} same, {} changed ({changed}); {} added, {} removed; {} renumbered, {} moved; {} header field{} differ{}. {} (exit status {}).",
        s.pairs,
        s.same,
        s.changed,
        s.added,
        s.removed,
        s.renumbered,
        s.moved,
        s.fields_differ,
        if s.fields_differ == 1 { "" } else { "s" },
        if s.fields_differ == 1 { "s" } else { "" },
        verdict(s),
        exit_status(s)
    )
}

/// Each side's integrity warnings, A's first: (`A` or `B`, the side's path, the warning).
pub fn warnings(c: &Comparison) -> Vec<(&'static str, &str, &Warning)> {
    let a = c.warnings.a.iter().map(|w| ("A", c.a.as_str(), w));
    let b = c.warnings.b.iter().map(|w| ("B", c.b.as_str(), w));
    a.chain(b).collect()
}

/// The rows that are not the same on both sides, as the reports list their changes: those
/// with an obligation change first, then the others in report order; and apart, the rows
/// changed only by likely OCR slips ([`ProvisionComparison::is_only_ocr_slips`]).
pub fn changes(c: &Comparison) -> (Vec<&ProvisionComparison>, Vec<&ProvisionComparison>) {
    let rows = || c.provisions.iter().filter(|p| p.status != Status::Same);
    let first = rows().filter(|p| p.has_obligation_change());
    let rest = rows().filter(|p| !p.has_obligation_change() && !p.is_only_ocr_slips());
    (
        first.chain(rest).collect(),
        rows().filter(|p| p.is_only_ocr_slips()).collect(),
    )
}

/// One flag per hunk of a row: is it a likely OCR slip.
pub fn slips(p: &ProvisionComparison) -> Vec<bool> {
    p.hunks
        .iter()
        .map(|h| h.class == ChangeClass::LikelyOcr)
        .collect()
}

/// What the plain and Markdown redlines mark a likely OCR slip with, said once where one is
/// shown.
pub const SLIP_LEGEND: &str = "{~A→B~} marks a likely OCR slip, A read as B: not substantive";

/// Writes the comparison as terminal tables, then every change as an inline redline.
pub fn table(out: &mut dyn Write, c: &Comparison, view: &View) -> io::Result<()> {
    writeln!(out, "A: {}\nB: {}", c.a, c.b)?;
    // As `scan` and `show` print them, first: a difference may come from a damaged file.
    for (_, path, w) in warnings(c) {
        match w.line {
            Some(l) => writeln!(out, "warning: {path}:{l}: {}", w.message)?,
            None => writeln!(out, "warning: {path}: {}", w.message)?,
        }
    }
    let mut fields = super::text_table(view.width);
    fields.set_header(vec!["field", "", "A", "B"]);
    for f in c.fields.iter().filter(|f| f.a.is_some() || f.b.is_some()) {
        fields.add_row(vec![
            field_label(f.field).to_string(),
            if f.same { "=" } else { "≠" }.to_string(),
            f.a.clone().unwrap_or_default(),
            f.b.clone().unwrap_or_default(),
        ]);
    }
    writeln!(out, "{fields}")?;

    let hidden = c.provisions.iter().filter(|p| !shown(p, view)).count();
    if hidden > 0 && hidden == c.provisions.len() {
        writeln!(out, "{}", all_unchanged(c))?;
        writeln!(out, "\n{}", summary_line(c))?;
        return Ok(());
    }
    let mut rows = super::text_table(view.width);
    rows.set_header(vec!["status", "A", "B", "sim", "change"]);
    for p in c.provisions.iter().filter(|p| shown(p, view)) {
        let sim = if p.a.is_some() && p.b.is_some() {
            format!("{:.2}", p.similarity)
        } else {
            String::new()
        };
        rows.add_row(vec![
            p.status.as_str().to_string(),
            p.a.clone().unwrap_or_default(),
            p.b.clone().unwrap_or_default(),
            sim,
            describe(p),
        ]);
    }
    writeln!(out, "{rows}")?;
    if hidden > 0 {
        writeln!(out, "({})", not_shown(hidden))?;
    }

    let style = if view.color {
        Style::Ansi
    } else {
        Style::Plain
    };
    let (changes, slipped) = changes(c);
    if !changes.is_empty() {
        writeln!(out, "\nChanges:")?;
    }
    let mut marked = false;
    for p in changes {
        write_change(out, p, style)?;
        marked |= p.classes.contains(&ChangeClass::LikelyOcr);
    }
    if !slipped.is_empty() {
        writeln!(out, "\nOnly likely OCR slips (not substantive):")?;
    }
    for p in &slipped {
        write_change(out, p, style)?;
    }
    if marked || !slipped.is_empty() {
        let legend = match style {
            Style::Ansi => "dimmed: a likely OCR slip (not substantive)",
            _ => SLIP_LEGEND,
        };
        writeln!(out, "\n({legend})")?;
    }
    writeln!(out, "\n{}", summary_line(c))
}

/// One change of the table: its head line and its redline.
fn write_change(out: &mut dyn Write, p: &ProvisionComparison, style: Style) -> io::Result<()> {
    let head = match p.status {
        Status::Added => format!(
            "+ {} (added in B, line {})",
            p.b.as_deref().unwrap_or(""),
            p.b_line.unwrap_or(0)
        ),
        Status::Removed => format!(
            "- {} (removed from A, line {})",
            p.a.as_deref().unwrap_or(""),
            p.a_line.unwrap_or(0)
        ),
        _ => format!(
            "~ {} → {} ({}; similarity {:.2}; lines {} → {})",
            p.a.as_deref().unwrap_or(""),
            p.b.as_deref().unwrap_or(""),
            describe(p),
            p.similarity,
            p.a_line.unwrap_or(0),
            p.b_line.unwrap_or(0)
        ),
    };
    writeln!(out, "\n{head}")?;
    writeln!(out, "  {}", redline_marked(&p.diff, &slips(p), style))
}

/// Writes the comparison as Markdown for a review ticket: a fields table, a provisions table
/// and each change as a redline, `~~deleted~~` / `**inserted**` or, where those would not
/// read as emphasis, `<del>` / `<ins>` throughout ([`markdown_style`]).
pub fn markdown(out: &mut dyn Write, c: &Comparison, view: &View) -> io::Result<()> {
    writeln!(out, "# Comparison\n")?;
    writeln!(out, "- **A:** `{}`", code_span(&c.a))?;
    writeln!(out, "- **B:** `{}`\n", code_span(&c.b))?;
    writeln!(out, "{}\n", escape_markdown(&summary_line(c)))?;
    let warnings = warnings(c);
    if !warnings.is_empty() {
        writeln!(out, "## Integrity warnings\n")?;
        for (side, path, w) in warnings {
            let line = w.line.map(|l| format!(", line {l}")).unwrap_or_default();
            writeln!(
                out,
                "- {side} `{}`{line}: {}",
                code_span(path),
                escape_markdown(&w.message)
            )?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Header fields\n")?;
    writeln!(out, "| field | same | A | B |\n|---|---|---|---|")?;
    for f in c.fields.iter().filter(|f| f.a.is_some() || f.b.is_some()) {
        writeln!(
            out,
            "| {} | {} | {} | {} |",
            field_label(f.field),
            if f.same { "yes" } else { "**no**" },
            escape_markdown(f.a.as_deref().unwrap_or("")),
            escape_markdown(f.b.as_deref().unwrap_or(""))
        )?;
    }
    writeln!(out, "\n## Provisions\n")?;
    let hidden = c.provisions.iter().filter(|p| !shown(p, view)).count();
    if hidden > 0 && hidden == c.provisions.len() {
        writeln!(out, "{}", all_unchanged(c))?;
        return Ok(());
    }
    writeln!(
        out,
        "| status | A | B | similarity | change |\n|---|---|---|---|---|"
    )?;
    for p in c.provisions.iter().filter(|p| shown(p, view)) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            p.status.as_str(),
            p.a.as_deref().unwrap_or(""),
            p.b.as_deref().unwrap_or(""),
            if p.a.is_some() && p.b.is_some() {
                format!("{:.2}", p.similarity)
            } else {
                String::new()
            },
            describe(p)
        )?;
    }
    if hidden > 0 {
        writeln!(out, "\n_{}._", not_shown(hidden))?;
    }
    let (changes, slipped) = changes(c);
    if !changes.is_empty() {
        writeln!(out, "\n## Changes")?;
    }
    let style = markdown_style(changes.iter().chain(&slipped).map(|p| p.diff.as_slice()));
    for p in &changes {
        markdown_change(out, p, style)?;
    }
    if !slipped.is_empty() {
        writeln!(out, "\n## Only likely OCR slips (not substantive)")?;
    }
    for p in &slipped {
        markdown_change(out, p, style)?;
    }
    if changes
        .iter()
        .chain(&slipped)
        .any(|p| p.classes.contains(&ChangeClass::LikelyOcr))
    {
        writeln!(out, "\n_{}._", escape_markdown(SLIP_LEGEND))?;
    }
    Ok(())
}

/// One change in Markdown: a heading and its redline.
fn markdown_change(out: &mut dyn Write, p: &ProvisionComparison, style: Style) -> io::Result<()> {
    let title = match p.status {
        Status::Added => format!("{} (added)", p.b.as_deref().unwrap_or("")),
        Status::Removed => format!("{} (removed)", p.a.as_deref().unwrap_or("")),
        _ => format!(
            "{} → {} ({})",
            p.a.as_deref().unwrap_or(""),
            p.b.as_deref().unwrap_or(""),
            describe(p)
        ),
    };
    writeln!(out, "\n### {title}\n")?;
    writeln!(out, "{}", redline_marked(&p.diff, &slips(p), style))
}
