//! `scan` renderers: scan records as a parse-quality table, as JSON Lines, or as CSV.

use std::io::{self, Write};

use comfy_table::{CellAlignment, ContentArrangement, LineStyle, Table, TableStyle};
use unicode_width::UnicodeWidthStr;

use crate::model::{InputKind, WarningKind};
use crate::report::csv_safe;
use crate::report::paths::shorten_paths;
use crate::scan::ScanRecord;

/// Column headers of [`csv()`], in order.
pub const CSV_COLUMNS: [&str; 20] = [
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

/// Writes one compact JSON object per record and line (DESIGN §5), in the given order.
pub fn jsonl(out: &mut dyn Write, records: &[ScanRecord]) -> io::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, r)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The snake_case name a warning kind has in JSON (`license_mismatch`).
fn kind_name(kind: WarningKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// Writes a header row ([`CSV_COLUMNS`]) and one row per record. Lists (`business`,
/// `warning_kinds`: each kind once, in order of first appearance) are joined with `"; "`;
/// every text cell goes through [`csv_safe`], so the file is safe to open in a spreadsheet.
pub fn csv(out: &mut dyn Write, records: &[ScanRecord]) -> io::Result<()> {
    csv_part(out, records, true)
}

/// [`csv()`] in parts, for records that come a batch at a time: the header row only with the
/// first part.
pub fn csv_part(out: &mut dyn Write, records: &[ScanRecord], header: bool) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(&mut *out);
    if header {
        w.write_record(CSV_COLUMNS)?;
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

/// The narrowest the path column gets before the table is allowed to overflow.
const MIN_PATH_WIDTH: usize = 12;

const HEADER: [&str; 8] = [
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
const STYLE: TableStyle = TableStyle::new().header_separator(LineStyle::none().fill('─'));

/// Writes one row per record, then every error and warning with its path and line, the
/// licence numbers held by more than one file with their paths and issue dates, then a
/// summary line: files, ok, failed, with warnings. With a `width` (a terminal's columns, CJK
/// characters counting two) paths are shortened to fit by [`shorten_paths`], which keeps each
/// file name and keeps rows apart; with none (a pipe or a file) they are whole.
pub fn table(out: &mut dyn Write, records: &[ScanRecord], width: Option<u16>) -> io::Result<()> {
    if !records.is_empty() {
        let rows: Vec<[String; 8]> = records.iter().map(row).collect();
        let mut widths = HEADER.map(UnicodeWidthStr::width);
        for r in &rows {
            for (w, cell) in widths.iter_mut().zip(r) {
                *w = (*w).max(cell.width());
            }
        }
        let others: usize = widths[1..].iter().sum::<usize>() + (HEADER.len() - 1);
        let paths = width.map(|width| {
            let path_width = usize::from(width)
                .saturating_sub(others)
                .max(MIN_PATH_WIDTH);
            shorten_paths(&rows.iter().map(|r| &r[0]).collect::<Vec<_>>(), path_width)
        });
        let mut t = Table::new();
        t.load_style(STYLE)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(HEADER);
        for (k, mut r) in rows.into_iter().enumerate() {
            if let Some(paths) = &paths {
                r[0].clone_from(&paths[k]);
            }
            t.add_row(r);
        }
        let last = HEADER.len() - 1;
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
            match w.line {
                Some(l) => writeln!(out, "warning: {}:{l}: {}", r.path, w.message)?,
                None => writeln!(out, "warning: {}: {}", r.path, w.message)?,
            }
        }
    }
    let duplicates = crate::corpus::duplicates::find(records.iter().map(|r| {
        let issued = r.fields.as_ref().and_then(|f| f.issued);
        (r.path.as_str(), r.license_no(), issued)
    }));
    crate::report::duplicates::lines(out, &duplicates)?;
    writeln!(out, "{}", summary_line(records))
}

/// `N files, N ok, N failed, N with warnings`.
pub fn summary_line(records: &[ScanRecord]) -> String {
    let ok = records.iter().filter(|r| r.is_ok()).count();
    let warned = records.iter().filter(|r| !r.warnings.is_empty()).count();
    format!(
        "{} file{}, {ok} ok, {} failed, {warned} with warnings",
        records.len(),
        if records.len() == 1 { "" } else { "s" },
        records.len() - ok,
    )
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

fn row(r: &ScanRecord) -> [String; 8] {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Fields, Warning};
    use crate::scan::Status;

    fn ok(path: &str, issuer: &str) -> ScanRecord {
        ScanRecord {
            path: path.into(),
            status: Status::Ok,
            error: None,
            encoding: Some("GB18030".into()),
            input: Some(InputKind::Text),
            ocr: None,
            fields: Some(Fields {
                license_no: Some("京B2-20224676".into()),
                issuer: Some(issuer.into()),
                company: Some("=HYPERLINK(\"http://x\")".into()),
                business: vec!["信息服务业务".into(), "在线数据处理与交易处理业务".into()],
                ..Default::default()
            }),
            provisions: 15,
            sub_items: 14,
            warnings: vec![Warning {
                kind: WarningKind::NumberingGap,
                line: Some(12),
                message: "三 follows 一".into(),
            }],
            duplicate_of: None,
            tree: Vec::new(),
        }
    }

    fn render(f: impl Fn(&mut dyn Write) -> io::Result<()>) -> String {
        let mut buf = Vec::new();
        f(&mut buf).unwrap();
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn table_fits_and_lists_problems() {
        let long = format!("{}/cert.txt", "very-long-directory-name".repeat(4));
        let records = vec![
            ok(&long, "工业和信息化部"),
            ScanRecord::failed("bad.txt", "the file is empty".into()),
        ];
        let s = render(|w| table(w, &records, Some(80)));
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

    #[test]
    fn csv_cells_are_safe_and_lists_joined() {
        let records = vec![
            ok("-x.txt", "北京"),
            ScanRecord::failed("b.txt", "gone".into()),
        ];
        let s = render(|w| csv(w, &records));
        let mut rd = ::csv::Reader::from_reader(s.as_bytes());
        assert_eq!(rd.headers().unwrap(), CSV_COLUMNS.as_slice());
        let rows: Vec<::csv::StringRecord> = rd.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'-x.txt");
        assert_eq!(&rows[0][7], "'=HYPERLINK(\"http://x\")");
        assert_eq!(&rows[0][11], "信息服务业务; 在线数据处理与交易处理业务");
        assert_eq!(&rows[0][15], "numbering_gap");
        assert_eq!(&rows[1][1], "error");
        assert_eq!(&rows[1][2], "gone");
        assert_eq!(&rows[1][12], "");
    }

    #[test]
    fn jsonl_is_one_object_per_line() {
        let records = vec![
            ok("a.txt", "北京"),
            ScanRecord::failed("b.txt", "gone".into()),
        ];
        let s = render(|w| jsonl(w, &records));
        let back: Vec<ScanRecord> = s
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(back, records);
    }
}
