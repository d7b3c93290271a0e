//! `provdiff scan` on the bundled corpus and on directories mixing good and bad inputs:
//! records, exit codes, the three formats parsed back, determinism, and the table (snapshot).

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::*;
use provdiff::scan::{ScanRecord, Status};
use serde_json::Value;

fn run(args: &[&std::ffi::OsStr]) -> Output {
    provdiff().arg("scan").args(args).output().unwrap()
}

fn jsonl_records(out: &Output) -> Vec<ScanRecord> {
    String::from_utf8(out.stdout.clone())
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

/// Seed 000 with its company name replaced everywhere by `company`.
fn with_company(company: &str) -> String {
    std::fs::read_to_string(seed("000"))
        .unwrap()
        .replace("好美信息技术（北京）有限公司", company)
        .replace("好美信息技术(北京)有限公司", company)
}

#[test]
fn corpus_records_have_the_right_numbers_and_counts() {
    let out = run(&["--format".as_ref(), "jsonl".as_ref(), corpus().as_os_str()]);
    common::assert_exit(&out, 0);
    assert!(out.stderr.is_empty());
    let records = jsonl_records(&out);
    let got: Vec<(String, Option<String>, usize)> = records
        .iter()
        .map(|r| {
            let no = r.fields.as_ref().and_then(|f| f.license_no.clone());
            (file_name(&r.path), no, r.provisions)
        })
        .collect();
    let want = [
        (seed("000"), "京B2-20224676", 15),
        (seed("001"), "苏B2-20201765", 15),
        (seed("002"), "B2-20160073", 15),
        (seed("003"), "苏B2-20200928", 16),
    ];
    let want: Vec<(String, Option<String>, usize)> = want
        .iter()
        .map(|(p, no, n)| (file_name(&p.to_string_lossy()), Some(no.to_string()), *n))
        .collect();
    assert_eq!(got, want, "README.md must not be scanned");
    for r in &records {
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.error, None);
        assert_eq!(r.encoding.as_deref(), Some("UTF-8"));
        assert_eq!(r.tree.len(), r.provisions);
        assert_eq!(
            r.sub_items,
            r.tree.iter().map(|p| p.children.len()).sum::<usize>()
        );
    }
}

#[test]
fn jsonl_lines_match_show_json() {
    let out = run(&["--format".as_ref(), "jsonl".as_ref(), corpus().as_os_str()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 4);
    for line in text.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        for key in [
            "path",
            "status",
            "error",
            "encoding",
            "fields",
            "provisions",
            "warnings",
        ] {
            assert!(v.get(key).is_some(), "{key} missing: {line}");
        }
        assert!(v["provisions"].is_u64());
        let shown = provdiff()
            .args(["show", "--format", "json"])
            .arg(v["path"].as_str().unwrap())
            .output()
            .unwrap();
        let shown: Value = serde_json::from_slice(&shown.stdout).unwrap();
        assert_eq!(v["fields"], shown["fields"]);
        assert_eq!(v["tree"], shown["provisions"]);
        assert_eq!(v["warnings"], shown["warnings"]);
    }
}

#[test]
fn csv_parses_back_and_defuses_formulas() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a.txt"),
        with_company("=HYPERLINK(\"http://x\")"),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.txt"), with_company("+1")).unwrap();
    std::fs::write(dir.path().join("c.txt"), "").unwrap();
    let out = run(&["--format".as_ref(), "csv".as_ref(), dir.path().as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let mut rd = csv::Reader::from_reader(out.stdout.as_slice());
    let headers: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(headers, provdiff::report::csv::SCAN_COLUMNS);
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][col("company")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(&rows[1][col("company")], "'+1");
    for row in &rows[..2] {
        assert_eq!(&row[col("status")], "ok");
        assert_eq!(&row[col("license_no")], "京B2-20224676");
        assert_eq!(&row[col("issued")], "2023-08-04");
        assert_eq!(&row[col("business")], "信息服务业务(仅限互联网信息服务)");
        assert_eq!(&row[col("provisions")], "15");
        assert_eq!(&row[col("sub_items")], "14");
    }
    assert_eq!(&rows[2][col("status")], "error");
    assert_eq!(&rows[2][col("error")], "the file is empty");
}

/// Two good certificates and every kind of bad input.
fn mixed_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("certs");
    std::fs::create_dir(&d).unwrap();
    for s in ["000", "003"] {
        std::fs::copy(seed(s), d.join(seed(s).file_name().unwrap())).unwrap();
    }
    std::fs::write(d.join("empty.txt"), "").unwrap();
    let binary: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
    std::fs::write(d.join("binary.txt"), binary).unwrap();
    std::fs::write(
        d.join("prose.txt"),
        "今天天气很好，我们去公园散步。\n晚上回家吃饭。\n",
    )
    .unwrap();
    std::fs::write(d.join("notes.md"), "# not scanned\n").unwrap();
    (dir, d)
}

#[test]
fn bad_inputs_are_reported_and_the_rest_processed() {
    let (_tmp, d) = mixed_dir();
    let missing = d.join("missing.txt");
    let out = run(&[
        "--format".as_ref(),
        "jsonl".as_ref(),
        d.as_os_str(),
        missing.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let records = jsonl_records(&out);
    let names: Vec<String> = records.iter().map(|r| file_name(&r.path)).collect();
    let mut expected = vec![
        file_name(&seed("000").to_string_lossy()),
        file_name(&seed("003").to_string_lossy()),
    ];
    expected.extend(["binary.txt", "empty.txt", "missing.txt", "prose.txt"].map(String::from));
    assert_eq!(names, expected);
    assert_eq!(records[0].provisions, 15);
    assert_eq!(records[1].provisions, 16);
    assert_eq!(records[1].sub_items, 21);
    let stderr = String::from_utf8(out.stderr).unwrap();
    let reasons = [
        ("binary.txt", "binary"),
        ("empty.txt", "empty"),
        ("missing.txt", "no such file"),
        ("prose.txt", "not a licence certificate"),
    ];
    for (r, (name, reason)) in records[2..].iter().zip(reasons) {
        assert_eq!(r.status, Status::Error, "{name}");
        let error = r.error.as_deref().unwrap();
        assert!(error.contains(reason), "{name}: {error}");
        assert!(
            !error.contains(name),
            "the reason repeats the path: {error}"
        );
        let line = format!("provdiff: {}: {error}\n", r.path);
        assert!(stderr.contains(&line), "{line} not in {stderr}");
    }
    assert_eq!(stderr.lines().count(), 4, "{stderr}");
}

#[test]
fn table_lists_errors_and_summary() {
    let (_tmp, d) = mixed_dir();
    let out = run(&[d.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("error: ") && text.contains("empty.txt: the file is empty\n"),
        "{text}"
    );
    assert!(
        text.ends_with("5 files, 2 ok, 3 failed, 0 with warnings\n"),
        "{text}"
    );
    for line in text.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= 80 || line.starts_with("error: "));
    }
}

#[test]
fn output_is_the_same_for_any_jobs_and_argument_order() {
    let (_tmp, d) = mixed_dir();
    let mut paths: Vec<PathBuf> = vec![d.clone(), seed("001"), seed("002"), d.join("gone.txt")];
    let render = |jobs: &str, paths: &[PathBuf]| {
        let out = provdiff()
            .args(["scan", "--format", "jsonl", "-j", jobs])
            .args(paths)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        (out.stdout, out.stderr)
    };
    let one = render("1", &paths);
    assert_eq!(one.0.iter().filter(|&&b| b == b'\n').count(), 8);
    assert_eq!(render("2", &paths), one);
    paths.reverse();
    assert_eq!(render("2", &paths), one);
    assert_eq!(render("0", &paths), one);
}

#[test]
fn glob_narrows_directories_but_not_named_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed("000"), dir.path().join("a.cert")).unwrap();
    std::fs::copy(seed("001"), dir.path().join("b.txt")).unwrap();
    let named = seed("002");
    let out = provdiff()
        .args(["scan", "--format", "jsonl", "--glob", "*.cert"])
        .arg(dir.path())
        .arg(&named)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let names: Vec<String> = jsonl_records(&out)
        .iter()
        .map(|r| file_name(&r.path))
        .collect();
    let mut want = vec![
        (dir.path().join("a.cert"), "a.cert".to_string()),
        (named.clone(), file_name(&named.to_string_lossy())),
    ];
    want.sort();
    let want: Vec<String> = want.into_iter().map(|(_, n)| n).collect();
    assert_eq!(names, want);
}

#[test]
fn standard_input_and_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("scan.jsonl");
    let out = provdiff()
        .args(["scan", "--format", "jsonl", "-o"])
        .arg(&report)
        .arg("-")
        .arg(seed("001"))
        .write_stdin(std::fs::read(seed("000")).unwrap())
        .output()
        .unwrap();
    common::assert_exit(&out, 0);
    assert!(out.stdout.is_empty());
    let text = std::fs::read_to_string(&report).unwrap();
    let records: Vec<ScanRecord> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records.len(), 2);
    let stdin = records.iter().find(|r| r.path == "-").unwrap();
    assert_eq!(
        stdin.fields.as_ref().unwrap().license_no.as_deref(),
        Some("京B2-20224676")
    );
    assert!(records.iter().all(|r| r.is_ok() && r.provisions == 15));
}

#[test]
fn refuses_to_write_over_an_input_and_rejects_unknown_encodings() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::copy(seed("000"), &input).unwrap();
    let out = run(&["-o".as_ref(), input.as_os_str(), input.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        std::fs::read(seed("000")).unwrap()
    );
    let out = run(&["--encoding".as_ref(), "klingon".as_ref(), input.as_os_str()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.matches("unknown encoding").count(), 1, "{stderr}");
    assert!(!stderr.contains("a.txt"), "{stderr}");
}

#[test]
fn snapshot_table() {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["scan", "corpus"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

/// Two copies of seed 000 in nested directories whose paths differ only far from their end.
fn nested_copies() -> (tempfile::TempDir, Vec<PathBuf>) {
    let tmp = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for region in [
        "jiangsu-communications-administration",
        "zhejiang-communications-administration",
    ] {
        let dir = tmp.path().join(region).join("2020").join("licences");
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("licence_000000.txt");
        std::fs::copy(seed("000"), &p).unwrap();
        paths.push(p);
    }
    (tmp, paths)
}

#[test]
fn table_to_a_pipe_or_a_file_keeps_whole_paths() {
    let (tmp, paths) = nested_copies();
    let out = provdiff()
        .env_remove("COLUMNS")
        .arg("scan")
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    let first_cells = |text: &str| -> Vec<String> {
        text.lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_string))
            .collect()
    };
    for p in &paths {
        assert!(
            first_cells(&text).contains(&p.display().to_string()),
            "{text}"
        );
    }
    let report = tmp.path().join("scan.txt");
    let out = provdiff()
        .args(["scan", "-o"])
        .arg(&report)
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let text = std::fs::read_to_string(&report).unwrap();
    for p in &paths {
        assert!(
            first_cells(&text).contains(&p.display().to_string()),
            "{text}"
        );
    }
}

#[test]
fn table_cut_to_the_terminal_keeps_file_names_and_rows_apart() {
    let (tmp, _) = nested_copies();
    // COLUMNS stands for the terminal's width.
    let out = provdiff().arg("scan").arg(tmp.path()).output().unwrap();
    assert_exit(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.lines().skip(2).take(2).collect();
    for row in &rows {
        assert!(unicode_width::UnicodeWidthStr::width(*row) <= 80, "{text}");
        let path = row.split(" ok ").next().unwrap();
        assert!(path.ends_with("/licence_000000.txt"), "{text}");
    }
    assert_ne!(
        rows[0].split(" ok ").next(),
        rows[1].split(" ok ").next(),
        "{text}"
    );
}

#[test]
fn the_ministry_is_named_in_full_as_drift_and_compare_name_it() {
    let out = run(&[seed("002").as_os_str()]);
    assert_exit(&out, 0);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains(" 工业和信息化部 "), "{text}");
    assert!(!text.contains("工信部"), "{text}");
}
