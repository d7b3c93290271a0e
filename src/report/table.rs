//! Terminal tables (comfy-table) with inline redlines: `show`, `compare`, `scan` and `drift`
//! (with `--against`), laid out for a terminal's columns (long cells wrap) or, in a pipe or a
//! file, as wide as their cells.

use std::io::{self, Write};

use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle, presets};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::compare::{Comparison, ProvisionComparison, Status};
use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{AgainstReport, DriftReport, SlotReport};
use crate::model::{Certificate, InputKind};
use crate::report::paths::shorten_paths;
use crate::report::redline::{Style, redline, redline_marked};
use crate::report::rows;
use crate::report::words::{
    ID_NOTE, SLIP_LEGEND, all_unchanged, and_more, clause_label, compare_change, compare_summary,
    compare_warnings, deviation_kind, drift_summary, duplicate_files, duplicates_heading,
    more_wordings, not_shown, scan_summary, skipped_text, warning_line,
};
use crate::report::{CompareView, DriftView, field_label};
use crate::scan::ScanRecord;

/// Writes the certificate as tables laid out for `width` terminal columns (provision texts
/// cut to fit), or, with no width (a pipe or a file), every text whole.
pub fn show(out: &mut dyn Write, cert: &Certificate, width: Option<u16>) -> io::Result<()> {
    writeln!(out, "{} ({})", cert.path, cert.encoding)?;
    let mut fields = text_table(width);
    for (label, value) in rows::show_fields(cert) {
        fields.add_row(vec![label.to_string(), value]);
    }
    writeln!(out, "{fields}")?;

    let count = cert.flat().count();
    writeln!(
        out,
        "{} provisions ({} top-level){}",
        count,
        cert.provisions.len(),
        if cert.preamble.is_empty() {
            ""
        } else {
            ", after the preamble"
        }
    )?;
    // id ≤ 10 columns, line ≤ 5, borders and padding 10: the rest is text.
    let text_width = width.map(|w| usize::from(w).saturating_sub(27).max(10));
    let mut provs = Table::new();
    provs
        .load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(vec!["id", "line", "text"]);
    for p in cert.flat() {
        let id = if p.id.sub.is_some() {
            format!("  {}", p.id)
        } else {
            p.id.to_string()
        };
        provs.add_row(vec![
            id,
            p.line.to_string(),
            match text_width {
                Some(max) => truncate_width(&p.text, max),
                None => p.text.clone(),
            },
        ]);
    }
    writeln!(out, "{provs}")?;
    for w in &cert.warnings {
        match w.line {
            Some(l) => writeln!(out, "warning: line {l}: {}", w.message)?,
            None => writeln!(out, "warning: {}", w.message)?,
        }
    }
    Ok(())
}

/// Writes the comparison as terminal tables, then every change as an inline redline.
pub fn compare(out: &mut dyn Write, c: &Comparison, view: &CompareView) -> io::Result<()> {
    writeln!(out, "A: {}\nB: {}", c.a, c.b)?;
    // As `scan` and `show` print them, first: a difference may come from a damaged file.
    for (_, path, w) in compare_warnings(c) {
        writeln!(out, "{}", warning_line(path, w))?;
    }
    let mut fields = text_table(view.width);
    fields.set_header(vec!["field", "", "A", "B"]);
    for f in rows::compare_fields(c) {
        fields.add_row(vec![
            field_label(f.field).to_string(),
            if f.same { "=" } else { "≠" }.to_string(),
            f.a.clone().unwrap_or_default(),
            f.b.clone().unwrap_or_default(),
        ]);
    }
    writeln!(out, "{fields}")?;

    let provisions = rows::compare_rows(c, view);
    let hidden = c.provisions.len() - provisions.len();
    if hidden > 0 && provisions.is_empty() {
        writeln!(out, "{}", all_unchanged(c))?;
        writeln!(out, "\n{}", compare_summary(c))?;
        return Ok(());
    }
    let mut t = text_table(view.width);
    t.set_header(vec!["status", "A", "B", "sim", "change"]);
    for row in provisions {
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    if hidden > 0 {
        writeln!(out, "({})", not_shown(hidden))?;
    }

    let style = style(view.color);
    let (changes, slipped) = rows::compare_changes(c);
    if !changes.is_empty() {
        writeln!(out, "\nChanges:")?;
    }
    let mut marked = false;
    for p in changes {
        change(out, p, style)?;
        marked |= p.classes.contains(&ChangeClass::LikelyOcr);
    }
    if !slipped.is_empty() {
        writeln!(out, "\nOnly likely OCR slips (not substantive):")?;
    }
    for p in &slipped {
        change(out, p, style)?;
    }
    if marked || !slipped.is_empty() {
        let legend = match style {
            Style::Ansi => "dimmed: a likely OCR slip (not substantive)",
            _ => SLIP_LEGEND,
        };
        writeln!(out, "\n({legend})")?;
    }
    writeln!(out, "\n{}", compare_summary(c))
}

/// One change of the compare table: its head line and its redline.
fn change(out: &mut dyn Write, p: &ProvisionComparison, style: Style) -> io::Result<()> {
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
            compare_change(p),
            p.similarity,
            p.a_line.unwrap_or(0),
            p.b_line.unwrap_or(0)
        ),
    };
    writeln!(out, "\n{head}")?;
    writeln!(out, "  {}", redline_marked(&p.diff, &rows::slips(p), style))
}

/// The narrowest the path column gets before the table is allowed to overflow.
const MIN_PATH_WIDTH: usize = 12;

/// Column heads of the scan table.
const SCAN_HEADER: [&str; 8] = [
    "path",
    "status",
    "enc",
    "licence no",
    "issuer",
    "issued",
    "prov",
    "warn",
];

/// Only a rule under the header; columns are separated by one space.
const SCAN_STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─'));

/// Writes one row per record, then every error and warning with its path and line, the
/// licence numbers held by more than one file with their paths and issue dates, then a
/// summary line: files, ok, failed, with warnings. With a `width` (a terminal's columns, CJK
/// characters counting two) paths are shortened to fit by [`shorten_paths`], which keeps each
/// file name and keeps rows apart; with none (a pipe or a file) they are whole.
pub fn scan(out: &mut dyn Write, records: &[ScanRecord], width: Option<u16>) -> io::Result<()> {
    if !records.is_empty() {
        let cells: Vec<[String; 8]> = records.iter().map(scan_row).collect();
        let mut widths = SCAN_HEADER.map(UnicodeWidthStr::width);
        for r in &cells {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.width());
            }
        }
        let others: usize = widths[1..].iter().sum::<usize>() + (SCAN_HEADER.len() - 1);
        let paths = width.map(|width| {
            let path_width = usize::from(width)
                .saturating_sub(others)
                .max(MIN_PATH_WIDTH);
            shorten_paths(&cells.iter().map(|r| &r[0]).collect::<Vec<_>>(), path_width)
        });
        let mut t = Table::new();
        t.load_style(SCAN_STYLE)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(SCAN_HEADER);
        for (k, mut r) in cells.into_iter().enumerate() {
            if let Some(paths) = &paths {
                r[0].clone_from(&paths[k]);
            }
            t.add_row(r);
        }
        let last = SCAN_HEADER.len() - 1;
        for (i, col) in t.column_iter_mut().enumerate() {
            col.set_padding((0, if i == last { 0 } else { 1 }));
            if i >= 6 {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        for line in t.lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    for r in records {
        if let Some(e) = &r.error {
            writeln!(out, "error: {}: {e}", r.path)?;
        }
        for w in &r.warnings {
            writeln!(out, "{}", warning_line(&r.path, w))?;
        }
    }
    let found = crate::corpus::duplicates::find(records.iter().map(|r| {
        let issued = r.fields.as_ref().and_then(|f| f.issued);
        (r.path.as_str(), r.license_no(), issued)
    }));
    duplicates(out, &found)?;
    writeln!(out, "{}", scan_summary(records))
}

/// The `enc` cell: how the text was read. A text file's encoding, `PDF` for a PDF's text
/// layer, `OCR` and the mean confidence (0–100) for a scan.
fn read_as(r: &ScanRecord) -> String {
    match (r.input, &r.ocr) {
        (Some(InputKind::PdfText), _) => "PDF".to_string(),
        (Some(InputKind::Ocr), Some(o)) => format!("OCR {:.0}", o.mean_confidence),
        (Some(InputKind::Ocr), None) => "OCR".to_string(),
        _ => r.encoding.clone().unwrap_or_default(),
    }
}

/// A scan record's cells: path, status, how it was read, licence number, issuer, issue date,
/// and for a parsed file its provisions and warnings.
fn scan_row(r: &ScanRecord) -> [String; 8] {
    let f = r.fields.as_ref();
    let get = |v: Option<&String>| v.cloned().unwrap_or_default();
    let counts = |n: usize| {
        if r.is_ok() {
            n.to_string()
        } else {
            String::new()
        }
    };
    [
        r.path.clone(),
        if r.is_ok() { "ok" } else { "error" }.to_string(),
        read_as(r),
        get(f.and_then(|f| f.license_no.as_ref())),
        get(f.and_then(|f| f.issuer.as_ref())),
        f.and_then(|f| f.issued)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        counts(r.provisions),
        counts(r.warnings.len()),
    ]
}

/// Writes the summary table, then a table and redlines for every drifting slot, the inputs
/// that failed and the possible duplicates; with `against`, the certificates measured
/// against the reference after all that.
pub fn drift(
    out: &mut dyn Write,
    r: &DriftReport,
    against: Option<&AgainstReport>,
    view: &DriftView,
) -> io::Result<()> {
    writeln!(out, "{}", drift_summary(r))?;
    let mut t = text_table(view.width);
    t.set_header(rows::SLOT_HEADER.to_vec());
    for row in rows::slot_rows(r, view.width.map(|w| 3 * usize::from(w) / 2)) {
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    for s in r.slots.iter().filter(|s| s.drifting) {
        slot(out, s, view)?;
    }
    for e in &r.errors {
        writeln!(out, "error: {}: {}", e.path, e.error)?;
    }
    if !r.duplicates.is_empty() {
        writeln!(out)?;
        duplicates(out, &r.duplicates)?;
    }
    match against {
        Some(a) => against_section(out, a, view),
        None => Ok(()),
    }
}

/// A drifting slot: a table of its wordings, then each as a redline from the canonical one
/// with the first few certificates that carry it.
fn slot(out: &mut dyn Write, s: &SlotReport, view: &DriftView) -> io::Result<()> {
    writeln!(
        out,
        "\n{} — {} wordings in {} documents{}",
        s.slot,
        s.variants.len(),
        s.present,
        s.note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default()
    )?;
    let mut t = text_table(view.width);
    t.set_header(rows::VARIANT_HEADER.to_vec());
    for row in rows::variant_rows(s, view.max_variants, view.width.map(|w| 2 * usize::from(w))) {
        t.add_row(row);
    }
    writeln!(out, "{t}")?;
    let style = style(view.color);
    for (i, v) in s.variants.iter().take(view.max_variants).enumerate() {
        if v.canonical {
            writeln!(out, "  1 (canonical): {}", v.text)?;
        } else {
            writeln!(out, "  {}: {}", i + 1, redline(&v.diff, style))?;
        }
        let shown: Vec<String> = v
            .members
            .iter()
            .take(view.max_members)
            .map(|m| format!("{}:{} ({})", m.path, m.line, m.id))
            .collect();
        // The report may hold only the members shown (`DriftOptions::max_members`).
        writeln!(
            out,
            "     in {}{}",
            shown.join(", "),
            and_more(v.count.saturating_sub(shown.len()))
        )?;
    }
    if let Some(line) = more_wordings(s, view.max_variants) {
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// The `--against` view, after the drift report: a table of certificates with their counts,
/// then per certificate each deviating clause with its redline against the reference's
/// wording, and the business-type blocks that were not applicable. Names are never wrapped
/// mid-word; on a terminal (a `width`) the table's are shortened by [`shorten_paths`] (the
/// file name kept, names kept apart), elsewhere whole.
fn against_section(out: &mut dyn Write, a: &AgainstReport, view: &DriftView) -> io::Result<()> {
    writeln!(out, "\nMeasured against {} ({ID_NOTE})", a.reference)?;
    let header = rows::AGAINST_HEADER;
    let paths: Vec<&str> = a.documents.iter().map(|d| d.path.as_str()).collect();
    let paths = match view.width {
        Some(w) => {
            // What the other columns take: their headers (wider than their numbers), a
            // padding of one on each side of every column, and the borders.
            let others: usize = header[1..].iter().map(|h| h.len() + 3).sum::<usize>() + 4;
            let max = usize::from(w).saturating_sub(others).max(24);
            shorten_paths(&paths, max)
        }
        None => paths.iter().map(|p| p.to_string()).collect(),
    };
    // Laid out unwrapped: the names are whole or already shortened, the counts short.
    let mut t = text_table(None);
    t.set_header(header);
    for (d, path) in a.documents.iter().zip(paths) {
        let [deviations, substantive, not_applicable] = rows::against_counts(d);
        t.add_row(vec![path, deviations, substantive, not_applicable]);
    }
    writeln!(out, "{t}")?;
    let style = style(view.color);
    for d in &a.documents {
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            continue;
        }
        writeln!(
            out,
            "\n{} — {} from the reference",
            d.path,
            match d.deviations.len() {
                1 => "1 deviation".to_string(),
                n => format!("{n} deviations"),
            }
        )?;
        for x in &d.deviations {
            writeln!(
                out,
                "  {} ({}): {}",
                clause_label(x),
                deviation_kind(x),
                redline(&x.diff, style)
            )?;
        }
        for k in &d.not_applicable {
            writeln!(out, "  {}", skipped_text(k))?;
        }
    }
    Ok(())
}

/// The possible duplicates as lines, after `scan`'s and `drift`'s tables: a heading, then
/// `  京B2-20224676: a.txt (issued …), b.txt (issued …)` per licence number; nothing when
/// there are none.
fn duplicates(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}", duplicates_heading(duplicates.len()))?;
    for d in duplicates {
        writeln!(out, "  {}: {}", d.license_no, duplicate_files(d))?;
    }
    Ok(())
}

/// Redlines in colour on a terminal that wants it, else marked `[-…-]{+…+}`.
fn style(color: bool) -> Style {
    if color { Style::Ansi } else { Style::Plain }
}

/// A table in the style every text report uses, laid out for `width` columns (long cells
/// wrap), or, with no width (a pipe or a file), as wide as its cells: nothing is cut or
/// wrapped to fit.
fn text_table(width: Option<u16>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    match width {
        Some(w) => t
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(w),
        None => t.set_content_arrangement(ContentArrangement::Disabled),
    };
    t
}

/// Cuts `s` to at most `max` display columns (CJK characters count two), ending with `…`
/// when something was cut.
fn truncate_width(s: &str, max: usize) -> String {
    let mut width = 0;
    for (i, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if width + w > max.saturating_sub(1) {
            // Does the rest fit without an ellipsis? (Stop counting once it cannot: the rest
            // may be megabytes long.)
            let mut rest = 0usize;
            for c in s[i..].chars() {
                rest += c.width().unwrap_or(0);
                if width + rest > max {
                    break;
                }
            }
            return if width + rest <= max {
                s.to_string()
            } else {
                format!("{}…", &s[..i])
            };
        }
        width += w;
    }
    s.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{render, report_with_groups, scan_ok};

    #[test]
    fn truncation_counts_cjk_as_two_columns() {
        assert_eq!(truncate_width("你公司应当按照", 7), "你公司…");
        assert_eq!(truncate_width("你公司", 6), "你公司");
        assert_eq!(truncate_width("abc", 3), "abc");
        assert_eq!(truncate_width("abcd", 3), "ab…");
        assert_eq!(truncate_width("", 3), "");
    }

    /// The number `N` of the one `… and N more` in `text` (a table whose cells may wrap), and
    /// how many of `groups` groups `text` names.
    fn more_and_named(text: &str, groups: usize) -> (usize, usize) {
        let squashed: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && !"│┆".contains(*c))
            .collect();
        let counts: Vec<usize> = squashed
            .match_indices("…and")
            .map(|(i, m)| {
                let rest = &squashed[i + m.len()..];
                let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
                assert!(rest[digits.len()..].starts_with("more"), "{text}");
                digits.parse().unwrap()
            })
            .collect();
        assert_eq!(counts.len(), 1, "one `… and N more`: {text}");
        let named = (0..groups)
            .filter(|g| squashed.contains(&format!("g{g:02}")))
            .count();
        (counts[0], named)
    }

    #[test]
    fn a_cut_group_list_says_how_many_more() {
        let r = report_with_groups(40);
        let view = DriftView {
            width: Some(80),
            ..DriftView::default()
        };
        let t = render(|w| drift(w, &r, None, &view));
        // The summary table (up to the first blank line), then the slot's table.
        let (summary, slot) = t.split_once("\n\n").unwrap();
        let slot = slot.split("  1 (canonical)").next().unwrap();
        for part in [summary, slot] {
            let (more, named) = more_and_named(part, 40);
            assert!(named > 0, "{part}");
            assert_eq!(named + more, 40, "{part}");
        }
        // With no width, nothing is cut.
        let whole = DriftView {
            width: None,
            ..DriftView::default()
        };
        let t = render(|w| drift(w, &r, None, &whole));
        let tables = t.split("  1 (canonical)").next().unwrap();
        assert!(!tables.contains('…'), "{t}");
    }

    #[test]
    fn table_fits_and_lists_problems() {
        let long = format!("{}/cert.txt", "very-long-directory-name".repeat(4));
        let records = vec![
            scan_ok(&long, "工业和信息化部"),
            ScanRecord::failed("bad.txt", "the file is empty".into()),
        ];
        let s = render(|w| scan(w, &records, Some(80)));
        for line in s.lines().take(4) {
            assert!(line.width() <= 80, "{line}");
        }
        let row = s.lines().nth(2).unwrap();
        assert!(
            row.starts_with('…') && row.contains("-name/cert.txt ok "),
            "{s}"
        );
        assert!(s.contains(" 工业和信息化部 "), "{s}");
        assert!(s.contains("error: bad.txt: the file is empty\n"), "{s}");
        assert!(
            s.contains(&format!("warning: {long}:12: 三 follows 一\n")),
            "{s}"
        );
        assert!(
            s.ends_with("2 files, 1 ok, 1 failed, 1 with warnings\n"),
            "{s}"
        );
    }
}
