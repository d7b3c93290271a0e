//! Page furniture in the special provisions: what is left out (page headers, page numbers,
//! signature blocks) and what must stay (text that only looks like furniture), through
//! `provdiff show` and `provdiff scan` on edited copies of a seed.

mod common;

use common::*;
use serde_json::Value;

fn show_json(path: &std::path::Path) -> Value {
    let out = provdiff()
        .args(["show", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Ids and texts of every provision and sub-item, and the preamble.
fn texts(v: &Value) -> Vec<(String, String)> {
    let mut out = vec![(
        "preamble".to_string(),
        v["preamble"].as_str().unwrap().to_string(),
    )];
    for p in v["provisions"].as_array().unwrap() {
        for q in std::iter::once(p).chain(p["children"].as_array().unwrap()) {
            out.push((
                q["id"].as_str().unwrap().to_string(),
                q["text"].as_str().unwrap().to_string(),
            ));
        }
    }
    out
}

/// Seed 000 with `edit` applied, written into `dir`.
fn edited_000(
    dir: &tempfile::TempDir,
    name: &str,
    edit: impl Fn(&str) -> String,
) -> std::path::PathBuf {
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text, "the edit applies");
    let path = dir.path().join(name);
    std::fs::write(&path, edited).unwrap();
    path
}

/// Provision 九 of seed 000 ends `…并在处置后的10个工作日内向电信主管部门上报。`.
const TEN_DAYS: &str = "并在处置后的10个工作日内";

const PAGE_HEADER: &str = "\n\n经营许可证编号: 京B2-20224676\n\n特别规定事项\n\n";

#[test]
fn a_number_split_by_a_wrap_or_a_page_break_keeps_its_digits() {
    let original = texts(&show_json(&seed("000")));
    let dir = tempfile::tempdir().unwrap();
    let wrapped = edited_000(&dir, "wrapped.txt", |t| {
        t.replace(TEN_DAYS, "并在处置后的1\n0\n个工作日内")
    });
    let broken = edited_000(&dir, "broken.txt", |t| {
        t.replace(
            TEN_DAYS,
            &format!("并在处置后的1\n0{PAGE_HEADER}个工作日内"),
        )
    });
    for path in [&wrapped, &broken] {
        let v = show_json(path);
        assert_eq!(texts(&v), original, "{}", path.display());
        assert_eq!(v["warnings"], serde_json::json!([]), "{}", path.display());
    }
}

#[test]
fn page_numbers_in_sequence_are_left_out_and_a_split_number_beside_one_is_not() {
    let original = texts(&show_json(&seed("000")));
    let dir = tempfile::tempdir().unwrap();
    // Pages numbered 1 to 4 at their foot, a new page break splitting the `10` of 九, with
    // the page number 2 right after its `0`.
    let numbered = edited_000(&dir, "numbered.txt", |t| {
        let t = t.replacen(
            "有关标\n\n经营许可证编号",
            "有关标\n\n1\n\n经营许可证编号",
            1,
        );
        let t = t.replace(
            TEN_DAYS,
            &format!("并在处置后的1\n0\n2{PAGE_HEADER}个工作日内"),
        );
        let t = t.replacen(
            "运行维护。\n\n经营许可证编号",
            "运行维护。\n\n3\n\n经营许可证编号",
            1,
        );
        format!("{}\n\n4\n", t.trim_end())
    });
    let v = show_json(&numbered);
    assert_eq!(texts(&v), original);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

#[test]
fn a_lone_page_number_is_left_out_with_a_warning_naming_its_line() {
    let original = texts(&show_json(&seed("000")));
    let dir = tempfile::tempdir().unwrap();
    let path = edited_000(&dir, "one-number.txt", |t| {
        t.replacen(
            "有关标\n\n经营许可证编号",
            "有关标\n\n2\n\n经营许可证编号",
            1,
        )
    });
    let v = show_json(&path);
    assert_eq!(texts(&v), original);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0]["kind"], "guessed_furniture");
    assert_eq!(warnings[0]["line"], 70);
    assert!(
        warnings[0]["message"].as_str().unwrap().contains("`2`"),
        "{warnings:?}"
    );
    // scan reports it too.
    let out = provdiff()
        .args(["scan", "--format", "jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["warnings"], v["warnings"]);
}
