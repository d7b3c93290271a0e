//! CSV, safe to open in a spreadsheet: `scan` (one row per file, written a batch at a time)
//! and `drift` (one row per slot, wording and group; then the possible duplicates and the
//! `--against` view as further sections).

use std::borrow::Cow;
use std::io::{self, Write};

use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{AgainstReport, DriftReport};
use crate::model::WarningKind;
use crate::report::redline::{Style, redline};
use crate::report::{rows, share_fraction};
use crate::scan::ScanRecord;

/// Makes a CSV cell safe to open in a spreadsheet: a cell that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or a full-width `＝`, `＋`, `－`, `＠`) would be read as a
/// formula, so it gets a leading `'`. Other cells are returned unchanged.
pub(crate) fn csv_safe(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

/// Column headers of [`scan`], in order.
pub const SCAN_COLUMNS: [&str; 20] = [
    "path",
    "status",
    "error",
    "encoding",
    "license_no",
    "issuer",
    "category",
    "company",
    "legal_rep",
    "issued",
    "expires",
    "business",
    "provisions",
    "sub_items",
    "warnings",
    "warning_kinds",
    "duplicate_of",
    "input",
    "ocr_pages",
    "ocr_mean_confidence",
];

/// Writes a header row ([`SCAN_COLUMNS`]) and one row per record. Lists (`business`,
/// `warning_kinds`: each kind once, in order of first appearance) are joined with `"; "`;
/// every text cell is made safe to open in a spreadsheet (a formula gets a leading `'`).
pub fn scan(out: &mut dyn Write, records: &[ScanRecord]) -> io::Result<()> {
    scan_part(out, records, true)
}

/// [`scan`] in parts, for records that come a batch at a time: the header row only with the
/// first part.
pub fn scan_part(out: &mut dyn Write, records: &[ScanRecord], header: bool) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(&mut *out);
    if header {
        w.write_record(SCAN_COLUMNS)?;
    }
    for r in records {
        let f = r.fields.as_ref();
        let text = |v: Option<&str>| csv_safe(v.unwrap_or("")).into_owned();
        let mut kinds: Vec<WarningKind> = Vec::new();
        for w in &r.warnings {
            if !kinds.contains(&w.kind) {
                kinds.push(w.kind);
            }
        }
        let kinds: Vec<String> = kinds.into_iter().map(kind_name).collect();
        let (provisions, sub_items, warnings) = if r.is_ok() {
            (
                r.provisions.to_string(),
                r.sub_items.to_string(),
                r.warnings.len().to_string(),
            )
        } else {
            Default::default()
        };
        w.write_record([
            text(Some(&r.path)),
            if r.is_ok() { "ok" } else { "error" }.to_string(),
            text(r.error.as_deref()),
            text(r.encoding.as_deref()),
            text(f.and_then(|f| f.license_no.as_deref())),
            text(f.and_then(|f| f.issuer.as_deref())),
            text(f.and_then(|f| f.category.as_deref())),
            text(f.and_then(|f| f.company.as_deref())),
            text(f.and_then(|f| f.legal_rep.as_deref())),
            f.and_then(|f| f.issued)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            f.and_then(|f| f.expires)
                .map(|d| d.to_string())
                .unwrap_or_default(),
            text(f.map(|f| f.business.join("; ")).as_deref()),
            provisions,
            sub_items,
            warnings,
            text(Some(&kinds.join("; "))),
            text(r.duplicate_of.as_deref()),
            r.input.map(|k| k.as_str().to_string()).unwrap_or_default(),
            r.ocr
                .as_ref()
                .map(|o| o.pages.to_string())
                .unwrap_or_default(),
            r.ocr
                .as_ref()
                .map(|o| format!("{:.1}", o.mean_confidence))
                .unwrap_or_default(),
        ])?;
    }
    w.flush()
}

/// The snake_case name a warning kind has in JSON (`license_mismatch`).
fn kind_name(kind: WarningKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Writes the drift report as CSV: one row per slot × wording × group, every cell safe to
/// open in a spreadsheet; then the possible duplicates and, with `against`, the certificates
/// measured against the reference, as further sections.
pub fn drift(
    out: &mut dyn Write,
    r: &DriftReport,
    against: Option<&AgainstReport>,
) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(&mut *out);
    w.write_record([
        "slot",
        "parent",
        "wording",
        "canonical",
        "group",
        "count",
        "group_carriers",
        "share_in_group",
        "wording_count",
        "first_year",
        "last_year",
        "classes",
        "substantive",
        "ocr_suspect",
        "text",
    ])?;
    for s in &r.slots {
        let mut carriers: std::collections::BTreeMap<&str, usize> = Default::default();
        for v in &s.variants {
            for (g, n) in &v.by_group {
                *carriers.entry(g).or_default() += n;
            }
        }
        for (i, v) in s.variants.iter().enumerate() {
            let classes = class_names(&v.classes);
            for (g, n) in &v.by_group {
                let total = carriers[g.as_str()];
                let opt = |y: Option<u16>| y.map(|y| y.to_string()).unwrap_or_default();
                w.write_record([
                    csv_safe(&s.slot).as_ref(),
                    csv_safe(s.parent.as_deref().unwrap_or("")).as_ref(),
                    &(i + 1).to_string(),
                    if v.canonical { "true" } else { "false" },
                    csv_safe(g).as_ref(),
                    &n.to_string(),
                    &total.to_string(),
                    &share_fraction(*n, total),
                    &v.count.to_string(),
                    &opt(v.first_year),
                    &opt(v.last_year),
                    &classes,
                    if v.substantive { "true" } else { "false" },
                    if v.ocr_suspect { "true" } else { "false" },
                    csv_safe(&v.text).as_ref(),
                ])?;
            }
        }
    }
    w.flush()?;
    drop(w);
    duplicates(out, &r.duplicates)?;
    match against {
        Some(a) => against_section(out, a),
        None => Ok(()),
    }
}

/// Change classes as serialized, for a CSV cell: `number; wording`.
fn class_names(classes: &[ChangeClass]) -> String {
    classes
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join("; ")
}

/// A further table of a CSV report: a blank line, then its header row and rows.
fn section<'a>(
    out: &'a mut dyn Write,
    header: &[&str],
) -> io::Result<::csv::Writer<&'a mut dyn Write>> {
    writeln!(out)?;
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(header)?;
    Ok(w)
}

/// The possible duplicates as a CSV section (nothing when there are none): one row per file.
fn duplicates(out: &mut dyn Write, duplicates: &[Duplicate]) -> io::Result<()> {
    if duplicates.is_empty() {
        return Ok(());
    }
    let mut w = section(out, &["license_no", "path", "issued"])?;
    for [license_no, path, issued] in rows::duplicate_rows(duplicates) {
        w.write_record([&*csv_safe(&license_no), &*csv_safe(&path), &issued])?;
    }
    w.flush()
}

/// The `--against` view as a CSV section, after the drift CSV: a blank line, a
/// header row, then one row per deviating clause (its redline against the reference's
/// wording), per business-type block not applicable (`status` `not_applicable`, with the
/// business type and the `reason`: `certificate_lacks_business` or `reference_lacks_business`) and per
/// certificate that matches the reference (`status` `matches`).
fn against_section(out: &mut dyn Write, a: &AgainstReport) -> io::Result<()> {
    let mut w = section(
        out,
        &[
            "certificate",
            "slot",
            "status",
            "reference_id",
            "id",
            "reference_line",
            "line",
            "classes",
            "substantive",
            "business",
            "reason",
            "redline",
        ],
    )?;
    let opt = |x: Option<String>| x.unwrap_or_default();
    for d in &a.documents {
        let path = csv_safe(&d.path);
        if d.deviations.is_empty() && d.not_applicable.is_empty() {
            w.write_record([
                path.as_ref(),
                "",
                "matches",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ])?;
        }
        for x in &d.deviations {
            w.write_record([
                path.as_ref(),
                csv_safe(&x.slot).as_ref(),
                x.status.as_str(),
                &opt(x.reference_id.map(|i| i.to_string())),
                &opt(x.id.map(|i| i.to_string())),
                &opt(x.reference_line.map(|l| l.to_string())),
                &opt(x.line.map(|l| l.to_string())),
                &class_names(&x.classes),
                if x.substantive { "true" } else { "false" },
                "",
                "",
                csv_safe(&redline(&x.diff, Style::Plain)).as_ref(),
            ])?;
        }
        for k in &d.not_applicable {
            w.write_record([
                path.as_ref(),
                csv_safe(&k.slot).as_ref(),
                "not_applicable",
                &opt(k.reference_id.map(|i| i.to_string())),
                &opt(k.id.map(|i| i.to_string())),
                "",
                "",
                "",
                "false",
                csv_safe(&k.business).as_ref(),
                k.reason.as_str(),
                "",
            ])?;
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{render, scan_ok};

    #[test]
    fn csv_safe_defuses_formulas_only() {
        let formulas = [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝1",
        ];
        for s in formulas {
            assert_eq!(csv_safe(s), format!("'{s}"), "{s:?}");
        }
        for s in ["", "北京某公司", "1+1", "a=b", "'=x", " =x", "2023-08-04"] {
            assert!(matches!(csv_safe(s), Cow::Borrowed(b) if b == s), "{s:?}");
        }
    }

    #[test]
    fn csv_cells_are_safe_and_lists_joined() {
        let records = vec![
            scan_ok("-x.txt", "北京"),
            ScanRecord::failed("b.txt", "gone".into()),
        ];
        let s = render(|w| scan(w, &records));
        let mut rd = ::csv::Reader::from_reader(s.as_bytes());
        assert_eq!(rd.headers().unwrap(), SCAN_COLUMNS.as_slice());
        let rows: Vec<::csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'-x.txt");
        assert_eq!(&rows[0][7], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&rows[0][11], "信息服务业务; 在线数据处理与交易处理业务");
        assert_eq!(&rows[0][15], "numbering_gap");
        assert_eq!(&rows[1][1], "error");
        assert_eq!(&rows[1][2], "gone");
        assert_eq!(&rows[1][12], "");
    }
}
