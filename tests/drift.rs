//! `provdiff drift` on the bundled corpus: slots and variants, determinism for any `-j` and
//! input order, `--against`, and bad inputs.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;
use serde_json::Value;

fn drift_json(args: &[&str], paths: &[&Path]) -> (i32, Vec<u8>) {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "--format", "json"])
        .args(args)
        .args(paths)
        .output()
        .unwrap();
    (out.status.code().unwrap(), out.stdout)
}

fn stem(path: &str) -> String {
    Path::new(path).file_name().unwrap().to_string_lossy()[..3].to_string()
}

fn slot<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slot"] == name)
        .unwrap_or_else(|| panic!("no slot {name}"))
}

/// The documents carrying each variant of a slot, as sets of seed prefixes.
fn partition(s: &Value) -> Vec<BTreeSet<String>> {
    s["variants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v["members"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| stem(m["path"].as_str().unwrap()))
                .collect()
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn corpus_drift_matches_the_seeds() {
    let (code, out) = drift_json(&[], &[Path::new("corpus")]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "provdiff.drift/1");
    assert_eq!(v["documents"].as_array().unwrap().len(), 4);
    assert!(v["errors"].as_array().unwrap().is_empty());

    // Item 八: two wordings, {000, 003} and {001, 002}.
    let eight = partition(slot(&v, "八"));
    assert_eq!(eight.len(), 2);
    assert!(eight.contains(&set(&["000", "003"])) && eight.contains(&set(&["001", "002"])));
    // Item 十二: 001's long wording is a variant of its own.
    let twelve = slot(&v, "十二");
    assert_eq!(
        partition(twelve),
        vec![set(&["000", "002", "003"]), set(&["001"])]
    );
    assert!(
        twelve["variants"][1]["text"]
            .as_str()
            .unwrap()
            .contains("电信业务市场综合管理信息系统")
    );

    let drifting: BTreeSet<String> = v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["drifting"] == true)
        .map(|s| s["slot"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        drifting,
        set(&[
            "七",
            "八",
            "十",
            "十二",
            "十五(六)",
            "十五(十一)",
            "十五(十三)"
        ])
    );

    // 十五(十三): 帐 → 账 is a variant character, carried by 002 alone.
    let t13 = slot(&v, "十五(十三)");
    assert_eq!(
        t13["variants"][1]["classes"],
        serde_json::json!(["variant_char"])
    );
    assert_eq!(t13["variants"][1]["substantive"], false);

    // 003's online-data-processing block is a slot of its own in one certificate, named
    // apart from the information-service block that the others number 十五.
    let odp: Vec<&Value> = v["slots"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["slot"]
                .as_str()
                .unwrap()
                .contains("在线数据处理与交易处理业务")
        })
        .collect();
    assert_eq!(odp.len(), 8, "the block and its 7 sub-items");
    for s in &odp {
        assert_eq!(s["present"], 1);
        assert_eq!(partition(s), vec![set(&["003"])]);
        assert!(s["note"].as_str().unwrap().contains("十五"));
    }
    // 003's 十六(n) sit in the slots the others call 十五(n).
    let six = slot(&v, "十五(六)");
    let ids: BTreeSet<String> = six["variants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["members"].as_array().unwrap().clone())
        .map(|m| {
            format!(
                "{}:{}",
                stem(m["path"].as_str().unwrap()),
                m["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        ids,
        set(&[
            "000:十五(六)",
            "001:十五(六)",
            "002:十五(六)",
            "003:十六(六)"
        ])
    );
    // Every other slot has one wording, and every provision of every certificate is in
    // exactly one slot.
    let mut placed = 0;
    for s in v["slots"].as_array().unwrap() {
        placed += s["present"].as_u64().unwrap();
        for var in s["variants"].as_array().unwrap() {
            assert_eq!(
                var["count"].as_u64().unwrap() as usize,
                var["members"].as_array().unwrap().len()
            );
        }
    }
    assert_eq!(placed, 29 * 3 + 37);
}

#[test]
fn output_is_identical_for_any_jobs_and_input_order() {
    let files: Vec<std::path::PathBuf> = ["000", "001", "002", "003"]
        .iter()
        .map(|s| seed(s))
        .collect();
    let forward: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
    let mut backward = forward.clone();
    backward.reverse();
    let shuffled = vec![forward[2], forward[0], forward[3], forward[1]];
    let (c1, j1) = drift_json(&["-j", "1"], &forward);
    let (c2, j2) = drift_json(&["-j", "2"], &backward);
    let (c3, j3) = drift_json(&["-j", "0"], &shuffled);
    assert_eq!((c1, c2, c3), (0, 0, 0));
    assert_eq!(j1, j2);
    assert_eq!(j1, j3);
    // The corpus directory gives the same report as the files listed one by one.
    let (_, dir) = drift_json(&["-j", "2"], &[Path::new("corpus")]);
    let a: Value = serde_json::from_slice(&j1).unwrap();
    let b: Value = serde_json::from_slice(&dir).unwrap();
    assert_eq!(
        a["slots"].as_array().unwrap().len(),
        b["slots"].as_array().unwrap().len()
    );
}

#[test]
fn grouping_by_year_and_issuer() {
    let (_, out) = drift_json(&["--by", "issuer,year"], &[Path::new("corpus")]);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["by"], "issuer_year");
    let groups: Vec<&str> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g.as_str().unwrap())
        .collect();
    assert_eq!(
        groups,
        ["北京 2023", "工业和信息化部 2018", "江苏 2020", "江苏 2022"]
    );
    let eight = slot(&v, "八");
    let var = &eight["variants"][1];
    assert_eq!(var["first_year"], 2018);
    assert_eq!(var["last_year"], 2020);
    let (_, out) = drift_json(&["--by", "year"], &[Path::new("corpus")]);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(
        v["groups"],
        serde_json::json!(["2018", "2020", "2022", "2023"])
    );
}

#[test]
fn against_a_reference_lists_deviations() {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "--format", "json", "--against"])
        .arg(seed("001"))
        .arg("corpus")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["against"]["documents"].as_array().unwrap();
    let of = |p: &str| {
        docs.iter()
            .find(|d| stem(d["path"].as_str().unwrap()) == p)
            .unwrap()
    };
    assert!(of("001")["deviations"].as_array().unwrap().is_empty());
    let d002: BTreeSet<String> = of("002")["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(d002, set(&["十二", "十五(六)", "十五(十一)", "十五(十三)"]));
    let d003 = of("003")["deviations"].as_array().unwrap();
    assert_eq!(d003.iter().filter(|d| d["status"] == "extra").count(), 0);
    assert_eq!(of("003")["not_applicable"].as_array().unwrap().len(), 1);
    assert!(
        d003.iter()
            .any(|d| d["id"] == "十" && d["status"] == "changed")
    );
}

#[test]
fn failed_inputs_are_reported_and_the_rest_processed() {
    let dir = tempfile::tempdir().unwrap();
    for s in ["000", "001"] {
        std::fs::copy(seed(s), dir.path().join(format!("{s}.txt"))).unwrap();
    }
    std::fs::write(dir.path().join("empty.txt"), b"").unwrap();
    std::fs::write(
        dir.path().join("notes.txt"),
        "会议纪要:\n今天讨论了预算。\n",
    )
    .unwrap();
    let out = provdiff()
        .args(["drift", "--format", "json"])
        .arg(dir.path())
        .arg(dir.path().join("missing.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 2);
    let errors: Vec<String> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["path"].as_str().unwrap(),
                e["error"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors
            .iter()
            .any(|e| e.contains("empty.txt") && e.contains("empty"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("notes.txt") && e.contains("not a licence"))
    );
    assert!(
        errors
            .iter()
            .any(|e| e.contains("missing.txt") && e.contains("no such file"))
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("empty.txt") && stderr.contains("missing.txt"),
        "{stderr}"
    );
}

#[test]
fn snapshot_table() {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "corpus", "--color", "never"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn snapshot_markdown() {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "corpus", "--format", "markdown"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}

#[test]
fn from_scan_shards_equal_a_direct_run() {
    let dir = tempfile::tempdir().unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = |s: &str| format!("corpus/{}", seed(s).file_name().unwrap().to_string_lossy());
    for (name, seeds) in [("a.jsonl", ["000", "003"]), ("b.jsonl", ["001", "002"])] {
        let out = provdiff()
            .current_dir(root)
            .args(["scan", "--format", "jsonl", "-o"])
            .arg(dir.path().join(name))
            .args(seeds.iter().map(|s| rel(s)))
            .output()
            .unwrap();
        common::assert_exit(&out, 0);
    }
    let (code, direct) = drift_json(&[], &[Path::new("corpus")]);
    assert_eq!(code, 0);
    let (code, merged) = drift_json(
        &["--from-scan"],
        &[&dir.path().join("b.jsonl"), &dir.path().join("a.jsonl")],
    );
    assert_eq!(code, 0);
    assert_eq!(
        String::from_utf8(merged).unwrap(),
        String::from_utf8(direct).unwrap()
    );

    // A shard that is not scan output is a clear error naming the file and line.
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"path\": 1}\n").unwrap();
    let out = provdiff()
        .args(["drift", "--from-scan"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bad.jsonl") && err.contains("line 1"), "{err}");
}

#[test]
fn csv_has_a_row_per_slot_wording_and_group() {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "corpus", "--format", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let headers = rdr.headers().unwrap().clone();
    assert_eq!(&headers[0], "slot");
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let eight: Vec<&csv::StringRecord> = rows.iter().filter(|r| &r[0] == "八").collect();
    // Two wordings of 八: {北京, 江苏} and {工业和信息化部, 江苏}.
    assert_eq!(eight.len(), 4);
    assert!(
        eight
            .iter()
            .any(|r| &r[2] == "2" && &r[4] == "工业和信息化部" && &r[5] == "1")
    );
    assert!(
        eight
            .iter()
            .any(|r| &r[2] == "1" && &r[4] == "江苏" && &r[6] == "2")
    );
    // One row per (slot, wording, group) over all carriers.
    let total: usize = rows.iter().map(|r| r[5].parse::<usize>().unwrap()).sum();
    assert_eq!(total, 29 * 3 + 37);
}

/// Builds a drift report over the seeds, each added under every one of `paths` in turn
/// (hostile names included), with failed inputs under the same names.
fn report_under(paths: &[String]) -> provdiff::drift::DriftBuilder {
    use provdiff::drift::{DriftBuilder, Prepared};
    let seeds: Vec<_> = ["000", "001", "002", "003"]
        .iter()
        .map(|p| provdiff::parse_file(&seed(p), &Default::default()).unwrap())
        .collect();
    let mut builder = DriftBuilder::new();
    for (i, path) in paths.iter().enumerate() {
        let c = &seeds[i % seeds.len()];
        builder.add(Prepared::new(path, &c.fields, &c.provisions, &c.warnings));
        builder.add_error(provdiff::corpus::FileError {
            path: format!("{path}.bad"),
            error: format!("not a certificate: {path}"),
        });
    }
    builder
}

#[test]
fn a_member_limit_keeps_the_first_members_and_every_count() {
    use provdiff::drift::DriftOptions;
    // Twelve documents: each wording is carried by three.
    let paths: Vec<String> = (0..12).map(|i| format!("d/{i:02}.txt")).collect();
    let full = report_under(&paths).finish(&DriftOptions::default());
    assert!(
        full.slots
            .iter()
            .any(|s| s.variants.iter().any(|v| v.members.len() > 2))
    );
    for keep in [0, 1, 2, 100] {
        let opts = DriftOptions {
            max_members: Some(keep),
            ..DriftOptions::default()
        };
        let mut limited = report_under(&paths).finish(&opts);
        for slot in &mut limited.slots {
            for v in &mut slot.variants {
                assert!(v.members.len() <= keep);
                assert!(v.members.len() <= v.count);
            }
        }
        let mut expected = full.clone();
        for slot in &mut expected.slots {
            for v in &mut slot.variants {
                v.members.truncate(keep);
            }
        }
        assert_eq!(limited, expected, "at most {keep} members");
    }
    // The text renderers show the same from a report that holds only what they show.
    use provdiff::report::{DriftView, csv, markdown, table};
    let view = DriftView {
        max_members: 2,
        ..DriftView::default()
    };
    let render = |max_members: Option<usize>| {
        let opts = DriftOptions {
            max_members,
            ..DriftOptions::default()
        };
        let report = report_under(&paths).finish(&opts);
        let (mut t, mut m, mut c) = (Vec::new(), Vec::new(), Vec::new());
        table::drift(&mut t, &report, None, &view).unwrap();
        markdown::drift(&mut m, &report, None, &view).unwrap();
        csv::drift(&mut c, &report, None).unwrap();
        (String::from_utf8(t).unwrap(), m, c)
    };
    let (t, m, _) = render(Some(2));
    let (full_t, full_m, full_c) = render(None);
    assert!(t.contains("… and 1 more"), "{t}");
    assert_eq!((t, m), (full_t, full_m));
    assert_eq!(render(Some(0)).2, full_c);
}

/// The drift JSON is written by hand for speed: it must stay the bytes serde's pretty printer
/// gives the report types, for any path (quotes, backslashes, control characters, CJK).
fn assert_json_is_serde(paths: &[String]) {
    use provdiff::drift::DriftOptions;
    let opts = DriftOptions::default();
    let report = report_under(paths).finish(&opts);
    let mut ours = Vec::new();
    provdiff::report::json::drift(&mut ours, &report, None).unwrap();
    let mut serde = serde_json::to_vec_pretty(&report).unwrap();
    serde.push(b'\n');
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        String::from_utf8(serde).unwrap()
    );

    let reference = provdiff::parse_file(&seed("001"), &Default::default()).unwrap();
    let reference = provdiff::drift::Prepared::from_certificate(reference);
    let (report, against) = report_under(paths).finish_against(&opts, reference);
    #[derive(serde::Serialize)]
    struct Both<'a> {
        #[serde(flatten)]
        drift: &'a provdiff::drift::DriftReport,
        against: &'a provdiff::drift::AgainstReport,
    }
    let mut ours = Vec::new();
    provdiff::report::json::drift(&mut ours, &report, Some(&against)).unwrap();
    let both = Both {
        drift: &report,
        against: &against,
    };
    let mut serde = serde_json::to_vec_pretty(&both).unwrap();
    serde.push(b'\n');
    assert_eq!(
        String::from_utf8(ours).unwrap(),
        String::from_utf8(serde).unwrap()
    );
}

#[test]
fn json_is_serde_pretty_json_byte_for_byte() {
    let hostile = [
        "corpus/000.txt",
        "dir with space/许可证 \"副本\".txt",
        "C:\\证书\\a.txt",
        "line\nbreak\ttab\u{1}\u{1f}\u{7f}.txt",
        "</script><b>.txt",
        "",
    ];
    assert_json_is_serde(&hostile.map(String::from));
    assert_json_is_serde(&[]);
}

/// Renders the `--against` view of the seeds under `paths` in every format and width, and
/// reads the CSV and JSON back: one row or entry per certificate and clause.
fn assert_against_renders(paths: &[String]) {
    use provdiff::drift::{DriftOptions, Prepared};
    use provdiff::report::{self, DriftView};
    let reference = provdiff::parse_file(&seed("003"), &Default::default()).unwrap();
    let (report, against) = report_under(paths).finish_against(
        &DriftOptions::default(),
        Prepared::from_certificate(reference),
    );
    let distinct: BTreeSet<&String> = paths.iter().collect();
    assert_eq!(against.documents.len(), distinct.len());
    for width in [None, Some(20), Some(80)] {
        let view = DriftView {
            width,
            ..DriftView::default()
        };
        let mut out = Vec::new();
        report::table::drift(&mut out, &report, Some(&against), &view).unwrap();
        report::markdown::drift(&mut out, &report, Some(&against), &view).unwrap();
        let text = String::from_utf8(out).unwrap();
        if width.is_none() {
            // Off a terminal every name is whole (one without line breaks or other control
            // characters, which a table cell does not keep on one line).
            for d in &against.documents {
                if !d.path.chars().any(char::is_control) {
                    assert!(text.contains(d.path.as_str()), "{:?}", d.path);
                }
            }
        }
    }
    let mut out = Vec::new();
    report::html::drift(&mut out, &report, Some(&against)).unwrap();

    let mut out = Vec::new();
    report::csv::drift(&mut out, &report, Some(&against)).unwrap();
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(out.as_slice())
        .records()
        .map(|r| r.unwrap())
        .collect();
    let head = rows
        .iter()
        .rposition(|r| r.iter().take(3).eq(["certificate", "slot", "status"]))
        .unwrap();
    let expected: usize = against
        .documents
        .iter()
        .map(|d| (d.deviations.len() + d.not_applicable.len()).max(1))
        .sum();
    assert_eq!(rows.len() - head - 1, expected);

    let mut out = Vec::new();
    report::json::drift(&mut out, &report, Some(&against)).unwrap();
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "provdiff.drift/1");
    assert_eq!(
        v["against"]["documents"].as_array().unwrap().len(),
        distinct.len()
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
    #[test]
    fn json_is_serde_pretty_json_for_any_paths(paths in proptest::collection::vec("\\PC{0,12}|[\\x00-\\x7f]{0,12}", 1..6)) {
        assert_json_is_serde(&paths);
    }

    #[test]
    fn against_renders_in_every_format_for_any_paths(paths in proptest::collection::vec("[/\\\\a.]{0,3}\\PC{0,12}|[\\x00-\\x7f]{0,12}", 1..6)) {
        assert_against_renders(&paths);
    }
}

#[test]
fn prepared_files_equal_parsed_certificates_reduced_for_drift() {
    use provdiff::drift::Prepared;
    let opts = provdiff::ParseOptions::default();
    let mut files = 0;
    for entry in std::fs::read_dir(corpus()).unwrap() {
        let path = entry.unwrap().path();
        let parsed = provdiff::parse_file(&path, &opts).map(Prepared::from_certificate);
        let lean = provdiff::drift::prepare_file_without_business(&path, &opts);
        match (provdiff::drift::prepare_file(&path, &opts), parsed) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{}", path.display());
                assert_eq!(lean.unwrap(), a.without_business(), "{}", path.display());
                files += 1;
            }
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string()),
            (a, b) => panic!("{}: {a:?} against {b:?}", path.display()),
        }
    }
    assert!(files >= 4);
    let missing = corpus().join("no such file.txt");
    assert_eq!(
        provdiff::drift::prepare_file(&missing, &opts)
            .unwrap_err()
            .to_string(),
        provdiff::parse_file(&missing, &opts)
            .unwrap_err()
            .to_string()
    );
}

#[test]
fn a_directory_walked_while_parsing_reports_as_its_files_listed() {
    // More files than a batch, in nested directories whose path order differs from byte
    // order, with unreadable inputs among them: the walk hands them over as it goes.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let seeds: Vec<Vec<u8>> = ["000", "001", "002", "003"]
        .iter()
        .map(|s| std::fs::read(seed(s)).unwrap())
        .collect();
    let mut listed = Vec::new();
    for i in 0..300 {
        let sub = ["a", "a-b", "a/c", "中"][i % 4];
        let path = d.join(sub).join(format!("{i:03}.txt"));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &seeds[i % seeds.len()]).unwrap();
        listed.push(path);
    }
    std::fs::write(d.join("a/empty.txt"), "").unwrap();
    listed.push(d.join("a/empty.txt"));
    listed.sort();
    let listed: Vec<&Path> = listed.iter().map(|p| p.as_path()).collect();
    let (walked_code, walked) = drift_json(&["-j", "2"], &[d]);
    let (listed_code, by_list) = drift_json(&["-j", "2"], &listed);
    assert_eq!((walked_code, listed_code), (2, 2));
    let v: Value = serde_json::from_slice(&walked).unwrap();
    assert_eq!(v["summary"]["documents"], 300);
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(walked, by_list);
}

#[test]
fn a_report_keeps_the_builder_for_more_documents() {
    use provdiff::drift::{DriftOptions, Prepared};
    let opts = DriftOptions::default();
    let paths: Vec<String> = (0..8).map(|i| format!("d/{i}.txt")).collect();
    let mut builder = report_under(&paths[..5]);
    let first = builder.report(&opts);
    assert_eq!(builder.report(&opts), first);
    assert_eq!(first, report_under(&paths[..5]).finish(&opts));
    // Documents added after a report count in the next one, as if added before.
    let seed = provdiff::parse_file(&seed("002"), &Default::default()).unwrap();
    let mut all = report_under(&paths[..5]);
    for p in [&paths[6], &paths[7]] {
        let c = &seed;
        builder.add(Prepared::new(p, &c.fields, &c.provisions, &c.warnings));
        all.add(Prepared::new(p, &c.fields, &c.provisions, &c.warnings));
    }
    let again = builder.report(&opts);
    assert_ne!(again, first);
    assert_eq!(again, all.finish(&opts));
}

/// `drift --against REF` in `format`, over `paths`, from the project root.
fn against(format: &str, reference: &Path, paths: &[&Path]) -> std::process::Output {
    provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["drift", "--color", "never", "--format", format, "--against"])
        .arg(reference)
        .args(paths)
        .output()
        .unwrap()
}

/// Where `needle` starts in `hay`, failing with the output when it is not there.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{hay}"))
}

#[test]
fn against_is_carried_by_every_format_after_the_drift_report() {
    let corpus = Path::new("corpus");
    let reference = seed("003");
    // The table: the drift report, then the against view with redlines.
    let out = against("table", &reference, &[corpus]);
    assert_exit(&out, 0);
    let t = String::from_utf8(out.stdout).unwrap();
    let drift = at(&t, "4 documents, 0 failed; 37 slots");
    let eight = at(&t, "八 — 2 wordings in 4 documents");
    let section = at(&t, "Measured against ");
    assert!(
        t[section..]
            .lines()
            .next()
            .unwrap()
            .contains("003_0b8f8b01f59ead7d.txt")
    );
    assert!(drift < eight && eight < section, "{t}");
    let after = &t[section..];
    assert!(after.contains("[-") || after.contains("{+"), "{after}");

    // Markdown: the drift report, then a section with Markdown redlines.
    let out = against("markdown", &reference, &[corpus]);
    assert_exit(&out, 0);
    let m = String::from_utf8(out.stdout).unwrap();
    let section = at(&m, "## Measured against");
    assert!(at(&m, "# Drift report") < section && at(&m, "## 八") < section);
    let after = &m[section..];
    assert!(after.contains("~~") || after.contains("<del>"), "{after}");
    assert!(after.contains("**") || after.contains("<ins>"), "{after}");
    assert!(!after.contains("[-") && !after.contains("┆"), "{after}");

    // CSV: the drift table, then the against table with its own header row.
    let out = against("csv", &reference, &[corpus]);
    assert_exit(&out, 0);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(out.stdout.as_slice());
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert_eq!(&rows[0][0], "slot");
    let head = rows
        .iter()
        .position(|r| &r[0] == "certificate")
        .expect("an against header row");
    assert!(rows[1..head].iter().any(|r| &r[0] == "八"));
    let header: Vec<&str> = rows[head].iter().collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let six = rows[head + 1..]
        .iter()
        .find(|r| r[0].contains("002_") && &r[col("id")] == "十五(六)")
        .expect("002's 十五(六)");
    assert_eq!(&six[col("reference_id")], "十六(六)");
    assert_eq!(&six[col("status")], "changed");
    assert!(six[col("redline")].contains("{+") || six[col("redline")].contains("[-"));

    // HTML: the drift page keeps its heat map and slots, then the against section.
    let out = against("html", &reference, &[corpus]);
    assert_exit(&out, 0);
    let h = String::from_utf8(out.stdout).unwrap();
    let section = at(&h, "<section id=\"against\"");
    assert!(at(&h, "id=\"heat\"") < section && at(&h, "id=\"slots\"") < section);
    let after = &h[section..];
    assert!(
        after.contains("<del>") || after.contains("<ins>"),
        "{after}"
    );
    assert!(after.contains("002_3fa2e29c17b4fcd1.txt"));

    // JSON: a valid drift report, with `against` beside it.
    let out = against("json", &reference, &[corpus]);
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["schema"], "provdiff.drift/1");
    assert_eq!(v["slots"].as_array().unwrap().len(), 37);
    assert_eq!(v["against"]["documents"].as_array().unwrap().len(), 4);
}

#[test]
fn against_names_whose_id_each_is_and_skips_blocks_of_business_types_not_held() {
    let corpus = Path::new("corpus");
    let out = against("json", &seed("003"), &[corpus]);
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["against"]["documents"].as_array().unwrap();
    let of = |p: &str| {
        docs.iter()
            .find(|d| stem(d["path"].as_str().unwrap()) == p)
            .unwrap()
    };
    // 000 holds only the information-service business: the reference's online-data-processing
    // block is not applicable, not eight missing clauses.
    for p in ["000", "001", "002"] {
        let devs = of(p)["deviations"].as_array().unwrap();
        assert!(
            devs.iter().all(|d| d["status"] != "missing"),
            "{p}: {devs:?}"
        );
        let skipped = of(p)["not_applicable"].as_array().unwrap();
        assert_eq!(skipped.len(), 1, "{p}: {skipped:?}");
        assert_eq!(skipped[0]["reference_id"], "十五");
        assert_eq!(skipped[0]["id"], Value::Null);
        assert_eq!(skipped[0]["business"], "在线数据处理与交易处理业务");
        assert_eq!(skipped[0]["clauses"], 8);
    }
    assert!(of("003")["deviations"].as_array().unwrap().is_empty());
    // The reference numbers the information-service block 十六, 002 numbers it 十五: both ids,
    // and a redline from the reference's wording to 002's.
    let six = of("002")["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "十五(六)")
        .unwrap();
    assert_eq!(six["reference_id"], "十六(六)");
    assert_eq!(six["status"], "changed");
    let ops = six["diff"].as_array().unwrap();
    assert!(
        ops.iter()
            .any(|o| o["op"] == "insert" || o["op"] == "delete")
    );
    assert!(ops.iter().any(|o| o["op"] == "equal"));

    let out = against("table", &seed("003"), &[corpus]);
    let t = String::from_utf8(out.stdout).unwrap();
    let t = &t[at(&t, "Measured against")..];
    assert!(t.contains("ref 十六(六) = own 十五(六)"), "{t}");
    assert!(
        t.contains("block 十五 [在线数据处理与交易处理业务] not applicable"),
        "{t}"
    );

    // And the other way round: against a one-business reference, 003's online-data-processing
    // block is not applicable either (not eight extra clauses).
    let out = against("json", &seed("001"), &[corpus]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let d003 = v["against"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| stem(d["path"].as_str().unwrap()) == "003")
        .unwrap()
        .clone();
    let devs = d003["deviations"].as_array().unwrap();
    assert!(devs.iter().all(|d| d["status"] != "extra"), "{devs:?}");
    assert!(
        devs.iter()
            .any(|d| d["id"] == "十" && d["status"] == "changed")
    );
    let skipped = d003["not_applicable"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["id"], "十五");
    assert_eq!(skipped[0]["reference_id"], Value::Null);
}

#[test]
fn against_reports_a_block_missing_from_a_certificate_that_holds_its_business_type() {
    // 003 without its online-data-processing block, while its appendix still lists that
    // business type: the block is missing, not "not applicable".
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed("003")).unwrap();
    let start = at(&text, "十五、你公司在经营在线数据处理");
    let end = at(&text, "十六、你公司在经营信息服务业务");
    let cut = format!("{}{}", &text[..start], &text[end..]);
    let path = dir.path().join("003-without-block.txt");
    std::fs::write(&path, cut).unwrap();
    let out = against("json", &seed("003"), &[&path, &seed("000")]);
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let docs = v["against"]["documents"].as_array().unwrap();
    let cut = docs
        .iter()
        .find(|d| d["path"].as_str().unwrap().contains("without-block"))
        .unwrap();
    let missing: Vec<&str> = cut["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["status"] == "missing")
        .map(|d| d["reference_id"].as_str().unwrap())
        .collect();
    assert_eq!(missing.len(), 8, "{missing:?}");
    assert!(missing.contains(&"十五") && missing.contains(&"十五(七)"));
    assert!(cut["not_applicable"].as_array().unwrap().is_empty());
    // A missing clause's redline is the reference's wording, deleted.
    let first = cut["deviations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["status"] == "missing")
        .unwrap();
    assert_eq!(first["diff"][0]["op"], "delete");
    let d000 = docs
        .iter()
        .find(|d| stem(d["path"].as_str().unwrap()) == "000")
        .unwrap();
    assert_eq!(d000["not_applicable"].as_array().unwrap().len(), 1);

    // A clause that names a business without opening a block for it (三: 你公司在未取得…业务
    // 经营许可时) is missing when dropped, not a block that does not apply.
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let start = at(&text, "\n三、") + 1;
    let end = at(&text, "\n四、") + 1;
    let path = dir.path().join("000-without-3.txt");
    std::fs::write(&path, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let out = against("json", &seed("003"), &[&path]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let doc = &v["against"]["documents"][0];
    let skipped = doc["not_applicable"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["reference_id"], "十五");
    // No document carries that block: it is named by the reference's id and its business.
    assert_eq!(skipped[0]["slot"], "十五 [在线数据处理与交易处理业务]");
    assert!(
        doc["deviations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["reference_id"] == "三" && d["status"] == "missing")
    );
}

#[test]
fn against_table_keeps_names_whole() {
    // Long names, written to a pipe: each appears whole on one line, never broken or cut.
    let dir = tempfile::tempdir().unwrap();
    let mut names = Vec::new();
    for (s, name) in [
        (
            "000",
            "beijing-communications-administration-licence-2023-renewal-copy.txt",
        ),
        (
            "002",
            "ministry-of-industry-and-information-technology-cross-regional.txt",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::copy(seed(s), &path).unwrap();
        names.push(path.display().to_string());
    }
    let out = against("table", &seed("001"), &[dir.path()]);
    assert_exit(&out, 0);
    let t = String::from_utf8(out.stdout).unwrap();
    let t = &t[at(&t, "Measured against")..];
    for name in &names {
        assert!(
            t.lines().any(|l| l.contains(name.as_str())),
            "{name} in:\n{t}"
        );
    }
}

/// A directory with 000 twice (the second copy under another name), a renewal of 000 (the same
/// licence number, issued later) and 001.
fn corpus_with_duplicates() -> (tempfile::TempDir, [std::path::PathBuf; 4]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("a")).unwrap();
    std::fs::create_dir_all(d.join("b")).unwrap();
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let renewal = text.replace("发证日期：2023年 08月 04日", "发证日期：2027年 01月 20日");
    assert_ne!(renewal, text);
    let paths = [
        d.join("a/000.txt"),
        d.join("b/000 scanned again.txt"),
        d.join("b/000-renewal.txt"),
        d.join("b/001.txt"),
    ];
    std::fs::write(&paths[0], &text).unwrap();
    std::fs::write(&paths[1], &text).unwrap();
    std::fs::write(&paths[2], renewal).unwrap();
    std::fs::copy(seed("001"), &paths[3]).unwrap();
    (dir, paths)
}

fn run_in(dir: &Path, args: &[&str]) -> std::process::Output {
    provdiff().current_dir(dir).args(args).output().unwrap()
}

#[test]
fn files_holding_the_same_licence_number_are_possible_duplicates_in_drift() {
    let (dir, _) = corpus_with_duplicates();
    let d = dir.path();
    let out = run_in(d, &["drift", "a", "b", "--format", "json"]);
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        v["duplicates"],
        serde_json::json!([{
            "license_no": "京B2-20224676",
            "documents": [
                {"path": "a/000.txt", "issued": "2023-08-04"},
                {"path": "b/000 scanned again.txt", "issued": "2023-08-04"},
                {"path": "b/000-renewal.txt", "issued": "2027-01-20"},
            ]
        }])
    );
    assert_eq!(v["summary"]["duplicates"], 1);

    let out = run_in(d, &["drift", "a", "b", "--color", "never"]);
    let t = String::from_utf8(out.stdout).unwrap();
    let section = at(
        &t,
        "Possible duplicates: 1 licence number held by more than one file",
    );
    assert!(t[section..].contains(
        "京B2-20224676: a/000.txt (issued 2023-08-04), b/000 scanned again.txt (issued 2023-08-04), b/000-renewal.txt (issued 2027-01-20)"
    ), "{t}");

    let out = run_in(d, &["drift", "a", "b", "--format", "markdown"]);
    let m = String::from_utf8(out.stdout).unwrap();
    let section = at(&m, "## Possible duplicates");
    assert!(
        m[section..].contains("| 京B2-20224676 | `b/000-renewal.txt` | 2027-01-20 |"),
        "{m}"
    );

    let out = run_in(d, &["drift", "a", "b", "--format", "csv"]);
    let mut rdr = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(out.stdout.as_slice());
    let rows: Vec<Vec<String>> = rdr
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let head = rows.iter().position(|r| r[0] == "license_no").unwrap();
    assert_eq!(rows[head], ["license_no", "path", "issued"]);
    assert_eq!(
        rows[head + 1..],
        [
            ["京B2-20224676", "a/000.txt", "2023-08-04"],
            ["京B2-20224676", "b/000 scanned again.txt", "2023-08-04"],
            ["京B2-20224676", "b/000-renewal.txt", "2027-01-20"],
        ]
    );

    let out = run_in(d, &["drift", "a", "b", "--format", "html"]);
    let h = String::from_utf8(out.stdout).unwrap();
    let section = at(&h, "<section id=\"duplicates\">");
    assert!(h[section..].contains("b/000-renewal.txt (issued 2027-01-20)"));

    // Shards carry what duplicates need: a merged report equals a direct run.
    for (shard, files) in [
        ("s1.jsonl", ["a/000.txt", "b/001.txt"]),
        ("s2.jsonl", ["b/000 scanned again.txt", "b/000-renewal.txt"]),
    ] {
        let out = run_in(
            d,
            &[&["scan", "--format", "jsonl", "-o", shard][..], &files[..]].concat(),
        );
        assert_exit(&out, 0);
    }
    let direct = run_in(d, &["drift", "a", "b", "--format", "json"]);
    let merged = run_in(
        d,
        &[
            "drift",
            "--format",
            "json",
            "--from-scan",
            "s2.jsonl",
            "s1.jsonl",
        ],
    );
    assert_exit(&merged, 0);
    assert_eq!(
        String::from_utf8(merged.stdout).unwrap(),
        String::from_utf8(direct.stdout).unwrap()
    );
}

#[test]
fn files_holding_the_same_licence_number_are_possible_duplicates_in_scan() {
    let (dir, _) = corpus_with_duplicates();
    let d = dir.path();
    let out = run_in(d, &["scan", "a", "b", "--format", "jsonl"]);
    assert_exit(&out, 0);
    let records: Vec<Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let of: Vec<(&str, &Value)> = records
        .iter()
        .map(|r| (r["path"].as_str().unwrap(), &r["duplicate_of"]))
        .collect();
    assert_eq!(
        of,
        [
            ("a/000.txt", &Value::Null),
            ("b/000 scanned again.txt", &Value::from("a/000.txt")),
            ("b/000-renewal.txt", &Value::from("a/000.txt")),
            ("b/001.txt", &Value::Null),
        ]
    );

    let out = run_in(d, &["scan", "a", "b", "--format", "csv"]);
    let mut rdr = csv::Reader::from_reader(out.stdout.as_slice());
    let col = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "duplicate_of")
        .unwrap();
    let cells: Vec<String> = rdr.records().map(|r| r.unwrap()[col].to_string()).collect();
    assert_eq!(cells, ["", "a/000.txt", "a/000.txt", ""]);

    let out = run_in(d, &["scan", "a", "b"]);
    let t = String::from_utf8(out.stdout).unwrap();
    let section = at(
        &t,
        "Possible duplicates: 1 licence number held by more than one file",
    );
    assert!(t[section..].contains(
        "京B2-20224676: a/000.txt (issued 2023-08-04), b/000 scanned again.txt (issued 2023-08-04), b/000-renewal.txt (issued 2027-01-20)"
    ), "{t}");
}
