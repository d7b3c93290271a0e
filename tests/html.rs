//! `--format html` of `drift` and `compare` on the bundled corpus: snapshots, one heat-map
//! cell per (certificate, slot) agreeing with the JSON report, known redlines, escaping of
//! hostile certificate text and file names, and a page that asks for nothing over the network.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use common::*;
use regex::Regex;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String) {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(code < 2, "{}", String::from_utf8_lossy(&out.stderr));
    (code, String::from_utf8(out.stdout).unwrap())
}

fn seed_rel(prefix: &str) -> String {
    format!(
        "corpus/{}",
        seed(prefix).file_name().unwrap().to_string_lossy()
    )
}

/// The heat-map rows of a drift page: `(row markup)` for every certificate row.
fn heat_rows(html: &str) -> Vec<&str> {
    html.lines()
        .filter(|l| l.starts_with("<tr data-i="))
        .collect()
}

/// `(data-doc, data-slot, data-variant)` of every cell of a row, attribute values unescaped.
fn cells(row: &str) -> Vec<(String, String, String)> {
    let re =
        Regex::new(r#"<td [^>]*data-doc="([^"]*)" data-slot="([^"]*)" data-variant="([^"]*)""#)
            .unwrap();
    let unescape = |s: &str| html_escape::decode_html_entities(s).into_owned();
    re.captures_iter(row)
        .map(|c| (unescape(&c[1]), unescape(&c[2]), unescape(&c[3])))
        .collect()
}

/// A copy of the corpus plus a certificate whose provision 十 carries markup and whose file
/// name does too.
fn hostile_corpus() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for prefix in ["000", "001", "002", "003"] {
        let src = seed(prefix);
        std::fs::copy(&src, dir.path().join(src.file_name().unwrap())).unwrap();
    }
    let text = std::fs::read_to_string(seed("001")).unwrap();
    let evil = text.replacen(
        "十、你公司应按照有关法律法规要求",
        "十、你公司应按照有关<script>document.title='pwned'</script>法律法规<img src=x onerror=\"document.title='pwned'\">要求",
        1,
    );
    assert_ne!(evil, text, "provision 十 of seed 001 moved");
    let path = dir.path().join("004_\"><i>x&amp;.txt");
    std::fs::write(&path, evil).unwrap();
    (dir, path)
}

fn assert_escaped(html: &str) {
    assert!(
        !html.contains("<script>document"),
        "raw script from a certificate"
    );
    assert!(!html.contains("<img"), "raw img from a certificate");
    assert!(!html.contains("<i>x"), "raw markup from a file name");
    assert!(html.contains("&lt;script&gt;document.title=&#x27;pwned&#x27;&lt;/script&gt;"));
    assert!(
        html.contains("&lt;img src=x onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;")
    );
    assert!(html.contains("004_&quot;&gt;&lt;i&gt;x&amp;amp;.txt"));
    assert_eq!(
        html.matches("<script").count(),
        2,
        "only the page's own two scripts"
    );
}

fn assert_offline(html: &str) {
    for bad in [
        "http://",
        "https://",
        "//fonts.",
        "@import",
        "url(http",
        "<link rel=\"stylesheet",
    ] {
        assert!(!html.contains(bad), "page refers to {bad}");
    }
    assert!(html.contains("Content-Security-Policy"));
    assert!(html.contains("default-src 'none'"));
}

#[test]
fn snapshot_drift_html() {
    let (code, html) = run(&["drift", "--format", "html", "corpus"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(html);
}

#[test]
fn snapshot_compare_html() {
    let (a, b) = (seed_rel("001"), seed_rel("002"));
    let (code, html) = run(&["compare", "--format", "html", &a, &b]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(html);
}

#[test]
fn drift_heat_map_has_one_cell_per_certificate_and_slot_matching_the_json() {
    let (_, json) = run(&["drift", "--format", "json", "corpus"]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let (_, html) = run(&["drift", "--format", "html", "corpus"]);
    assert_offline(&html);
    let docs: Vec<&str> = v["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let slots = v["slots"].as_array().unwrap();
    // Expected variant of every (document, slot), from the members lists.
    let mut expected: HashMap<(String, String), String> = HashMap::new();
    for s in slots {
        let name = s["slot"].as_str().unwrap();
        for (i, var) in s["variants"].as_array().unwrap().iter().enumerate() {
            for m in var["members"].as_array().unwrap() {
                let key = (m["path"].as_str().unwrap().to_string(), name.to_string());
                expected.entry(key).or_insert_with(|| i.to_string());
            }
        }
    }
    let rows = heat_rows(&html);
    assert_eq!(rows.len(), docs.len());
    for (row, doc) in rows.iter().zip(&docs) {
        assert_eq!(row.matches("data-slot=").count(), slots.len(), "{row}");
        let cells = cells(row);
        assert_eq!(cells.len(), slots.len());
        for ((d, slot, variant), s) in cells.iter().zip(slots) {
            assert_eq!(d, doc);
            assert_eq!(slot, s["slot"].as_str().unwrap());
            let want = expected
                .get(&(d.clone(), slot.clone()))
                .map_or("absent", String::as_str);
            assert_eq!(variant, want, "{d} {slot}");
        }
    }
    // Seed 003 carries the online-data block, the others do not.
    let block = "十五(一) [在线数据处理与交易处理业务]";
    let absent: Vec<String> = rows
        .iter()
        .flat_map(|r| cells(r))
        .filter(|(_, s, v)| s == block && v == "absent")
        .map(|(d, _, _)| d["corpus/".len()..][..3].to_string())
        .collect();
    assert_eq!(absent, ["000", "001", "002"]);
}

#[test]
fn drift_html_shows_known_variants_as_redlines() {
    let (_, html) = run(&["drift", "--format", "html", "corpus"]);
    // 十五(十三): 账号 in three certificates, 帐号 in 002.
    assert!(html.contains("直至关闭<del>账</del><ins>帐</ins>号等措施"));
    // 十: 国家 instead of 有关 in 003; 八: the two wordings of the incident clause.
    assert!(html.contains("你公司应按照<del>有关</del><ins>国家</ins>法律法规要求"));
    assert!(html.contains("<ins>立即采取应急措施</ins>"));
    assert!(html.contains("corpus/002_3fa2e29c17b4fcd1.txt</code>:161 (十五(十三))"));
    // Every slot has its section, drifting ones marked; the summary is there.
    assert_eq!(html.matches("<section class=\"slot").count(), 37);
    assert_eq!(html.matches("<section class=\"slot drifting\"").count(), 7);
    assert!(html.contains("4 documents, 0 failed; 37 slots, 7 with more than one wording"));
}

#[test]
fn compare_html_redlines_changed_rows_side_by_side() {
    let (a, b) = (seed_rel("001"), seed_rel("002"));
    let (_, html) = run(&["compare", "--format", "html", &a, &b]);
    assert_offline(&html);
    // A's column shows the deletion, B's the insertion.
    assert!(html.contains("直至关闭<del>账</del>号等措施"));
    assert!(html.contains("直至关闭<ins>帐</ins>号等措施"));
    assert_eq!(html.matches("<tr id=\"p").count(), 29);
    assert_eq!(
        html.matches("<tr id=\"p").count() - html.matches("unchanged\"><td").count(),
        4
    );
    assert!(html.contains("<span class=\"badge variant_char\">variant character</span>"));
    assert!(html.contains("<tr class=\"differs\"><th>licence no"));
    assert!(html.contains("id=\"hide-same\""));
    assert!(html.contains(
        "29 pairs: 25 same, 4 changed (3 substantive); 0 added, 0 removed; 0 renumbered, 0 moved; 10 header fields differ. Substantive differences in the provisions (exit status 1)."
    ));
}

#[test]
fn compare_html_marks_added_and_renumbered_rows() {
    let (a, b) = (seed_rel("000"), seed_rel("003"));
    let (code, html) = run(&["compare", "--format", "html", "--only-changes", &a, &b]);
    assert_eq!(code, 1);
    assert_eq!(html.matches("class=\"r-added").count(), 8);
    assert_eq!(
        html.matches("<span class=\"badge renumbered\">").count(),
        15
    );
    assert!(
        !html.contains("unchanged\"><td"),
        "--only-changes leaves unchanged rows out"
    );
    assert!(html.contains("unchanged provisions not shown"));
}

#[test]
fn hostile_text_and_file_names_are_escaped() {
    let (dir, evil) = hostile_corpus();
    let (code, drift) = run(&["drift", "--format", "html", dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_escaped(&drift);
    assert_eq!(heat_rows(&drift).len(), 5);
    let (_, cmp) = run(&[
        "compare",
        "--format",
        "html",
        seed("001").to_str().unwrap(),
        evil.to_str().unwrap(),
    ]);
    assert_escaped(&cmp);
    assert!(cmp.contains("<div class=\"tx\">你公司应按照有关&lt;script&gt;document.title="));
}

#[test]
fn output_file_is_written_and_drift_against_falls_back_to_the_drift_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let status = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "drift",
            "corpus",
            "--format",
            "html",
            "--against",
            &seed_rel("000"),
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(status.status.code(), Some(0));
    assert!(status.stdout.is_empty());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.trim_end().ends_with("</html>"));
    assert_eq!(heat_rows(&html).len(), 4);
    assert!(Path::new(&out).exists());
}

#[test]
fn output_is_deterministic_across_jobs() {
    let (_, one) = run(&["drift", "--format", "html", "-j", "1", "corpus"]);
    let (_, four) = run(&["drift", "--format", "html", "-j", "4", "corpus"]);
    assert_eq!(one, four);
}

#[test]
fn drift_html_takes_chinese_file_names() {
    // Each pair's names share their first bytes but not their first character (北 E5 8C 97,
    // 南 E5 8D 97; 一 E4 B8 80, 二 E4 BA 8C): the heat map's common directory must be cut
    // between path components, not between bytes.
    for names in [["北京.txt", "南京.txt"], ["证书一.txt", "证书二.txt"]] {
        let dir = tempfile::tempdir().unwrap();
        for (name, prefix) in names.iter().zip(["000", "001"]) {
            std::fs::copy(seed(prefix), dir.path().join(name)).unwrap();
        }
        let out = provdiff()
            .args(["drift", "--format", "html"])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_exit(&out, 0);
        let html = String::from_utf8(out.stdout).unwrap();
        let rows = heat_rows(&html);
        assert_eq!(rows.len(), 2);
        for (row, name) in rows.iter().zip(names) {
            assert!(row.contains(&format!(">{name}</th>")), "{row}");
        }
    }
}

/// The text of every heat-map row label (`<th class="p" …>label</th>`), unescaped.
fn row_labels(html: &str) -> Vec<String> {
    let re =
        Regex::new(r#"<tr data-i="[^"]*" data-y="[^"]*"><th class="p" title="[^"]*">([^<]*)</th>"#)
            .unwrap();
    heat_rows(html)
        .iter()
        .map(|row| {
            let label = &re.captures(row).expect("a row label")[1];
            html_escape::decode_html_entities(label).into_owned()
        })
        .collect()
}

#[test]
fn heat_map_labels_keep_the_end_of_long_names_and_stay_distinct() {
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "jiangsu-communications-administration-licence-2020-苏B2-20201765.txt",
        "jiangsu-communications-administration-licence-2022-苏B2-20200928.txt",
        "jiangsu-communications-administration-licence-2022-苏B2-20200929.txt",
        "北京.txt",
    ];
    for (name, prefix) in names.iter().zip(["001", "003", "000", "002"]) {
        std::fs::copy(seed(prefix), dir.path().join(name)).unwrap();
    }
    let out = provdiff()
        .args(["drift", "--format", "html"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let html = String::from_utf8(out.stdout).unwrap();
    // The browser must not cut the labels again (from the right, where names differ).
    let css_rule = Regex::new(r"table\.heat th\.p\{[^}]*\}").unwrap();
    let rule = css_rule.find(&html).expect("the row-label rule").as_str();
    assert!(!rule.contains("text-overflow"), "{rule}");
    let labels = row_labels(&html);
    assert_eq!(labels.len(), 4);
    let mut sorted = labels.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), 4, "labels read the same: {labels:?}");
    let mut sorted_names = names;
    sorted_names.sort();
    for (label, name) in labels.iter().zip(sorted_names) {
        assert!(
            provdiff::report::paths::columns(label) <= 32,
            "{label} is wider than the label column"
        );
        // The long names end with an ASCII licence number and extension.
        let end = name
            .strip_suffix(".txt")
            .unwrap()
            .rsplit('-')
            .next()
            .unwrap();
        assert!(
            label == name || label.ends_with(&format!("-{end}.txt")),
            "{label} keeps the end of {name}"
        );
    }
}

#[test]
fn compare_html_tells_two_files_of_the_same_name_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for (year, prefix) in [("2020", "001"), ("2021", "002")] {
        let d = dir.path().join("licences").join(year);
        std::fs::create_dir_all(&d).unwrap();
        let p = d.join("licence.txt");
        std::fs::copy(seed(prefix), &p).unwrap();
        paths.push(p);
    }
    let out = provdiff()
        .args(["compare", "--format", "html"])
        .args(&paths)
        .output()
        .unwrap();
    assert_exit(&out, 1);
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(
        html.contains("<title>Comparison — 2020/licence.txt vs 2021/licence.txt</title>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"side a\">A</span> <code>2020/licence.txt</code>"),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"side b\">B</span> <code>2021/licence.txt</code>"),
        "{html}"
    );
}
