//! Properties every input must keep, whatever its bytes: shared by the fuzz targets
//! (`fuzz/`, which include this file by path) and by the regression tests in
//! `tests/hardening.rs`. Each function panics when a property fails, and must not panic
//! otherwise; it depends on nothing but `provdiff` and std.
#![allow(dead_code)]

use provdiff::compare::{CompareOptions, Status, compare};
use provdiff::diff::OpKind;
use provdiff::drift::{DriftBuilder, DriftOptions, Prepared};
use provdiff::model::Certificate;
use provdiff::parse::normalize::{LineKind, normalize};

fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Segmentation loses no text: the body's text lines, whitespace removed, are exactly the
/// preamble followed by every provision's and sub-item's label and text.
pub fn segmentation_loses_no_text(text: &str) -> Certificate {
    let cert = provdiff::parse_text("fuzz.txt", text, "UTF-8");
    let norm = normalize(text);
    let body: String = norm
        .body()
        .iter()
        .filter(|l| l.kind == LineKind::Text)
        .map(|l| strip_ws(l.text))
        .collect();
    let mut rebuilt = strip_ws(&cert.preamble);
    for p in &cert.provisions {
        rebuilt.push_str(&strip_ws(&p.label));
        rebuilt.push_str(&strip_ws(&p.text));
        for c in &p.children {
            rebuilt.push_str(&strip_ws(&c.label));
            rebuilt.push_str(&strip_ws(&c.text));
        }
    }
    assert_eq!(rebuilt, body, "segmentation lost or added text");
    for p in cert.flat() {
        assert!(p.end_line >= p.line, "{p:?}");
    }
    cert
}

/// Renders a certificate in every `show` format (they must not panic).
pub fn render_show(cert: &Certificate) {
    let mut out = Vec::new();
    provdiff::report::json::show(&mut out, cert).expect("show json");
    provdiff::report::table::show(&mut out, cert, Some(80)).expect("show table");
}

/// Normalizing a whole text normalizes each of its lines as `normalize_line` does alone
/// (`normalize` finds the line ends while it folds).
pub fn normalize_is_per_line(text: &str) {
    let norm = normalize(text);
    let whole: Vec<&str> = norm.lines().iter().map(|l| l.text).collect();
    let each: Vec<String> = text
        .split('\n')
        .map(provdiff::parse::normalize::normalize_line)
        .collect();
    assert_eq!(whole, each, "normalizing the text and each line differ");
}

/// Arbitrary bytes through the whole parse: never a panic; decoding owned bytes gives what
/// decoding borrowed ones gives; what drift prepares from the bytes is the full parse reduced
/// for drift (or the same error); when they decode, segmentation loses no text; the text
/// normalizes line by line; the certificate renders.
pub fn parse_bytes(data: &[u8]) {
    let opts = provdiff::ParseOptions::default();
    let parsed = provdiff::parse("fuzz.txt", data, &opts);
    if let Ok(cert) = &parsed {
        render_show(cert);
    }
    match (
        provdiff::drift::prepare("fuzz.txt", data, &opts),
        parsed.map(provdiff::drift::Prepared::from_certificate),
    ) {
        (Ok(prepared), Ok(reduced)) => assert_eq!(prepared, reduced, "prepare and parse differ"),
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
        (a, b) => panic!("prepare and parse disagree: {a:?} against {b:?}"),
    }
    let decoded = provdiff::parse::ingest::decode(data, &opts.ingest);
    assert_eq!(
        provdiff::parse::ingest::decode_owned(data.to_vec(), &opts.ingest),
        decoded,
        "owned and borrowed decoding differ"
    );
    if let Ok(decoded) = decoded {
        segmentation_loses_no_text(&decoded.text);
    }
    // Text the ingest stage would reject still goes through normalize and segment.
    let lossy = String::from_utf8_lossy(data);
    normalize_is_per_line(&lossy);
    let cert = segmentation_loses_no_text(&lossy);
    render_show(&cert);
}

/// Splits fuzz input into two certificate texts: at the first 0xFF byte (never part of
/// UTF-8), else in the middle.
pub fn split_pair(data: &[u8]) -> (String, String) {
    let cut = data
        .iter()
        .position(|&b| b == 0xFF)
        .map_or((data.len() / 2, data.len() / 2), |k| (k, k + 1));
    (
        String::from_utf8_lossy(&data[..cut.0]).into_owned(),
        String::from_utf8_lossy(&data[cut.1..]).into_owned(),
    )
}

/// Two texts compared: never a panic; every provision of each side appears in exactly one
/// row; the diff ops of every paired row rebuild both texts exactly; one-sided rows carry
/// their text; every renderer runs; drift over the pair places every provision in one slot.
pub fn compare_texts(a_text: &str, b_text: &str) {
    let a = provdiff::parse_text("a.txt", a_text, "UTF-8");
    let b = provdiff::parse_text("b.txt", b_text, "UTF-8");
    let c = compare(&a, &b, &CompareOptions::default());
    let side = |kind: OpKind, ops: &[provdiff::diff::Op]| -> String {
        ops.iter()
            .filter(|o| o.op == OpKind::Equal || o.op == kind)
            .map(|o| o.text.as_str())
            .collect()
    };
    let text_of = |cert: &Certificate, id: &str, line: Option<usize>| -> String {
        cert.flat()
            .find(|p| p.id.to_string() == id && Some(p.line) == line)
            .map(|p| p.text.clone())
            .unwrap_or_else(|| panic!("no provision {id} at {line:?}"))
    };
    for row in &c.provisions {
        assert!(row.diff.iter().all(|o| !o.text.is_empty()), "{row:?}");
        match (&row.a, &row.b) {
            (Some(ia), Some(ib)) => {
                assert_eq!(side(OpKind::Delete, &row.diff), text_of(&a, ia, row.a_line));
                assert_eq!(side(OpKind::Insert, &row.diff), text_of(&b, ib, row.b_line));
                assert_eq!(row.status == Status::Same, row.hunks.is_empty(), "{row:?}");
            }
            (Some(ia), None) => {
                assert_eq!(row.status, Status::Removed);
                assert_eq!(side(OpKind::Delete, &row.diff), text_of(&a, ia, row.a_line));
            }
            (None, Some(ib)) => {
                assert_eq!(row.status, Status::Added);
                assert_eq!(side(OpKind::Insert, &row.diff), text_of(&b, ib, row.b_line));
            }
            (None, None) => panic!("empty row"),
        }
    }
    let rows_a = c.provisions.iter().filter(|r| r.a.is_some()).count();
    let rows_b = c.provisions.iter().filter(|r| r.b.is_some()).count();
    assert_eq!(rows_a, a.flat().count());
    assert_eq!(rows_b, b.flat().count());

    let mut out = Vec::new();
    let view = provdiff::report::CompareView {
        width: Some(80),
        color: false,
        only_changes: false,
    };
    provdiff::report::json::compare(&mut out, &c).expect("json");
    provdiff::report::table::compare(&mut out, &c, &view).expect("table");
    provdiff::report::markdown::compare(&mut out, &c, &view).expect("markdown");

    let mut builder = DriftBuilder::new();
    for cert in [&a, &b] {
        builder.add(Prepared::new(
            &cert.path,
            &cert.fields,
            &cert.provisions,
            &cert.warnings,
        ));
    }
    let report = builder.finish(&DriftOptions::default());
    let members: usize = report
        .slots
        .iter()
        .flat_map(|s| &s.variants)
        .map(|v| v.members.len())
        .sum();
    assert_eq!(members, a.flat().count() + b.flat().count());
    let view = provdiff::report::DriftView {
        width: Some(80),
        ..Default::default()
    };
    provdiff::report::json::drift(&mut out, &report, None).expect("drift json");
    provdiff::report::table::drift(&mut out, &report, None, &view).expect("drift table");
    provdiff::report::markdown::drift(&mut out, &report, None, &view).expect("drift markdown");
    provdiff::report::csv::drift(&mut out, &report, None).expect("drift csv");
}

/// Fuzz input for the compare target.
pub fn compare_bytes(data: &[u8]) {
    let (a, b) = split_pair(data);
    compare_texts(&a, &b);
}
