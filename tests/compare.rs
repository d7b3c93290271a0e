//! `provdiff compare` on the bundled corpus and on certificates the tests edit: exit codes,
//! pairing, change classes, and the renderings (snapshots).

mod common;

use std::path::{Path, PathBuf};

use common::*;
use provdiff::parse::numeral::{parse as numeral, to_chinese};
use serde_json::Value;

fn compare_json(a: &Path, b: &Path) -> (i32, Value) {
    let out = provdiff()
        .args(["compare", "--format", "json"])
        .arg(a)
        .arg(b)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(code < 2, "{}", String::from_utf8_lossy(&out.stderr));
    (code, serde_json::from_slice(&out.stdout).unwrap())
}

fn rows(v: &Value) -> &Vec<Value> {
    v["provisions"].as_array().unwrap()
}

fn ids_with(v: &Value, status: &str, side: &str) -> Vec<String> {
    rows(v)
        .iter()
        .filter(|r| r["status"] == status)
        .map(|r| r[side].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn seed_000_against_003_pairs_by_content() {
    let (code, v) = compare_json(&seed("000"), &seed("003"));
    assert_eq!(code, 1);
    let added = ids_with(&v, "added", "b");
    let mut expected = vec!["十五".to_string()];
    expected.extend((1..=7).map(|n| format!("十五({})", to_chinese(n))));
    assert_eq!(added, expected);
    assert!(ids_with(&v, "removed", "a").is_empty());
    assert_eq!(ids_with(&v, "changed", "a"), vec!["七", "十"]);
    assert_eq!(v["summary"]["pairs"], 29);
    for r in rows(&v) {
        let (Some(a), Some(b)) = (r["a"].as_str(), r["b"].as_str()) else {
            continue;
        };
        if let Some(rest) = a.strip_prefix("十五") {
            assert_eq!(b, format!("十六{rest}"), "{r}");
            assert_eq!(r["renumbered"], true);
        } else {
            assert_eq!(a, b);
        }
    }
}

#[test]
fn seed_001_against_002_finds_four_changes() {
    let (code, v) = compare_json(&seed("001"), &seed("002"));
    assert_eq!(code, 1);
    assert_eq!(
        ids_with(&v, "changed", "a"),
        vec!["十二", "十五(六)", "十五(十一)", "十五(十三)"]
    );
    let thirteen = rows(&v).iter().find(|r| r["a"] == "十五(十三)").unwrap();
    assert_eq!(thirteen["classes"], serde_json::json!(["variant_char"]));
    assert_eq!(thirteen["substantive"], false);
    let hunks = thirteen["hunks"].as_array().unwrap();
    assert_eq!(hunks.len(), 1);
    assert_eq!(hunks[0]["deleted"], "账");
    assert_eq!(hunks[0]["inserted"], "帐");
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["summary"]["removed"], 0);
}

#[test]
fn a_certificate_equals_itself_and_its_cosmetic_copies() {
    let dir = tempfile::tempdir().unwrap();
    for s in ["000", "002", "003"] {
        let path = seed(s);
        let (code, v) = compare_json(&path, &path);
        assert_eq!(code, 0);
        assert_eq!(v["summary"]["changed"], 0);
        let text = std::fs::read_to_string(&path).unwrap();
        let license = provdiff::parse_file(&path, &Default::default())
            .unwrap()
            .fields
            .license_no
            .unwrap();
        let copies: Vec<(&str, Vec<u8>)> = vec![
            ("punct", swap_punctuation_width(&text).into_bytes()),
            ("spaces", add_cjk_spaces(&text, 4).into_bytes()),
            ("wrap", hard_wrap(&text, 19).into_bytes()),
            ("crlf", text.replace('\n', "\r\n").into_bytes()),
            ("gb18030", gb18030(&text)),
            ("utf16", utf16le(&text)),
            ("pages", move_page_breaks(&text, &license, 2).into_bytes()),
        ];
        for (name, bytes) in copies {
            let p = dir.path().join(format!("{s}-{name}.txt"));
            std::fs::write(&p, bytes).unwrap();
            let (code, v) = compare_json(&path, &p);
            assert_eq!(code, 0, "seed {s} vs {name}: {}", v["summary"]);
            assert_eq!(v["summary"]["changed"], 0, "seed {s} vs {name}");
            assert_eq!(
                v["summary"]["same"],
                v["provisions"].as_array().unwrap().len()
            );
        }
    }
}

/// Rewrites the seed's lines: `edit` sees each line with the top-level number it starts with.
fn edit_seed(prefix: &str, edit: impl Fn(Option<u32>, &str) -> Vec<String>) -> String {
    let text = std::fs::read_to_string(seed(prefix)).unwrap();
    let mut out = Vec::new();
    for line in text.lines() {
        let n = line.split_once('、').and_then(|(num, _)| numeral(num));
        out.extend(edit(n, line));
    }
    out.join("\n")
}

fn relabel(line: &str, n: u32) -> String {
    let (_, rest) = line.split_once('、').unwrap();
    format!("{}、{rest}", to_chinese(n))
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn deleted_provision_shifts_later_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let b = edit_seed("000", |n, line| match n {
        Some(3) => vec![],
        Some(k) if k > 3 => vec![relabel(line, k - 1)],
        _ => vec![line.to_string()],
    });
    let (code, v) = compare_json(&seed("000"), &write(dir.path(), "b.txt", &b));
    assert_eq!(code, 1);
    assert_eq!(ids_with(&v, "removed", "a"), vec!["三"]);
    assert!(ids_with(&v, "added", "b").is_empty());
    assert!(ids_with(&v, "changed", "a").is_empty());
    let four = rows(&v).iter().find(|r| r["a"] == "四").unwrap();
    assert_eq!(four["b"], "三");
    assert_eq!(four["renumbered"], true);
    assert_eq!(
        v["summary"]["renumbered"],
        12 + 14,
        "四…十五 and the 14 sub-items of 十五"
    );
}

#[test]
fn inserted_provision_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let b = edit_seed("001", |n, line| match n {
        Some(5) => vec![
            line.to_string(),
            "六、你公司应当按照电信主管部门要求,每季度向社会公布用户投诉处理情况,接受社会监督。"
                .into(),
        ],
        Some(k) if k > 5 => vec![relabel(line, k + 1)],
        _ => vec![line.to_string()],
    });
    let (code, v) = compare_json(&seed("001"), &write(dir.path(), "b.txt", &b));
    assert_eq!(code, 1);
    assert_eq!(ids_with(&v, "added", "b"), vec!["六"]);
    assert!(ids_with(&v, "removed", "a").is_empty());
    assert!(ids_with(&v, "changed", "a").is_empty());
    let six = rows(&v).iter().find(|r| r["a"] == "六").unwrap();
    assert_eq!(six["b"], "七");
}

#[test]
fn swapped_provisions_are_moved() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let i5 = lines.iter().position(|l| l.starts_with("五、")).unwrap();
    let i6 = lines.iter().position(|l| l.starts_with("六、")).unwrap();
    let mut swapped: Vec<String> = lines.iter().map(|s| s.to_string()).collect();
    swapped[i5] = format!("五、{}", &lines[i6]["六、".len()..]);
    swapped[i6] = format!("六、{}", &lines[i5]["五、".len()..]);
    let (code, v) = compare_json(
        &seed("000"),
        &write(dir.path(), "b.txt", &swapped.join("\n")),
    );
    assert_eq!(
        code, 0,
        "a reordering is reported but not a substantive difference"
    );
    assert_eq!(v["summary"]["moved"], 1);
    assert_eq!(v["summary"]["changed"], 0);
    assert_eq!(v["summary"]["added"], 0);
    assert_eq!(v["summary"]["removed"], 0);
    for id in ["五", "六"] {
        let r = rows(&v).iter().find(|r| r["a"] == id).unwrap();
        assert_eq!(r["status"], "same");
        assert_eq!(r["renumbered"], true);
    }
}

#[test]
fn added_sub_item_is_reported_inside_its_block() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed("001")).unwrap();
    let b = text.replace(
        "（十四）",
        "（十四）你公司应当按照电信主管部门要求,建立未成年人保护机制,防范未成年人沉迷网络。\n\n（十五）",
    );
    let (code, v) = compare_json(&seed("001"), &write(dir.path(), "b.txt", &b));
    assert_eq!(code, 1);
    assert_eq!(ids_with(&v, "added", "b"), vec!["十五(十四)"]);
    let last = rows(&v).iter().find(|r| r["a"] == "十五(十四)").unwrap();
    assert_eq!(last["b"], "十五(十五)");
    assert_eq!(last["status"], "same");
}

#[test]
fn changed_number_is_classified_as_number() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let b = text.replacen(
        "自公司作出决定之日起30日内",
        "自公司作出决定之日起60日内",
        1,
    );
    let (code, v) = compare_json(&seed("000"), &write(dir.path(), "b.txt", &b));
    assert_eq!(code, 1);
    assert_eq!(ids_with(&v, "changed", "a"), vec!["十一"]);
    let r = rows(&v).iter().find(|r| r["a"] == "十一").unwrap();
    assert_eq!(r["classes"], serde_json::json!(["number"]));
    assert_eq!(r["substantive"], true);
}

/// Seed 000 with OCR slips the engine makes (覆 read as 履, an added 和, `(` read as `〈`) in
/// three provisions, and, if `negate`, 你公司不得 turned into 你公司得 in another.
fn ocr_copy(negate: bool) -> String {
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let mut out = text
        .replacen("全覆盖", "全履盖", 1)
        .replacen("电信主管部门", "电信和主管部门", 1)
        .replacen("(适用", "〈适用", 1);
    if negate {
        let at = out.rfind("你公司不得").unwrap();
        out.replace_range(at..at + "你公司不得".len(), "你公司得");
    }
    assert_ne!(out, text);
    out
}

#[test]
fn likely_ocr_slips_are_shown_apart_and_do_not_differ() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "ocr.txt", &ocr_copy(false));
    let (code, v) = compare_json(&seed("000"), &b);
    assert_eq!(code, 0);
    assert_eq!(v["summary"]["substantive"], 0);
    let slipped = v["summary"]["likely_ocr"].as_u64().unwrap();
    assert!(slipped >= 2, "{}", v["summary"]);
    for r in rows(&v).iter().filter(|r| r["status"] == "changed") {
        assert_eq!(r["classes"], serde_json::json!(["likely_ocr"]), "{r}");
        assert_eq!(r["substantive"], false);
    }
    assert_verdicts_agree(&seed("000"), &b, 0);
    let table = compare_output("table", &[], &seed("000"), &b);
    let apart = table
        .find("Only likely OCR slips (not substantive):")
        .unwrap();
    assert!(table[apart..].contains("{~覆→履~}"), "{table}");
    assert!(table.contains("{~A→B~} marks a likely OCR slip"));
    assert!(!table.contains("[-覆-]"));
    let md = compare_output("markdown", &[], &seed("000"), &b);
    assert!(md.contains("## Only likely OCR slips (not substantive)"));
    assert!(md.contains("{\\~覆→履\\~}"), "{md}");
    let out = provdiff()
        .args(["compare", "--color", "always"])
        .arg(seed("000"))
        .arg(&b)
        .output()
        .unwrap();
    let colored = String::from_utf8(out.stdout).unwrap();
    assert!(colored.contains("\x1b[2m\x1b[9m覆"), "{colored}");
    assert!(colored.contains("dimmed: a likely OCR slip"));
}

#[test]
fn an_obligation_change_is_substantive_and_listed_first() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "ocr.txt", &ocr_copy(true));
    let (code, v) = compare_json(&seed("000"), &b);
    assert_eq!(code, 1);
    assert_eq!(v["summary"]["obligation"], 1);
    assert_eq!(v["summary"]["substantive"], 1);
    let negated: Vec<&Value> = rows(&v)
        .iter()
        .filter(|r| r["classes"] == serde_json::json!(["obligation"]))
        .collect();
    assert_eq!(negated.len(), 1);
    let id = negated[0]["a"].as_str().unwrap();
    assert_verdicts_agree(&seed("000"), &b, 1);
    let table = compare_output("table", &[], &seed("000"), &b);
    let changes = &table[table.find("Changes:").unwrap()..];
    let first = changes.lines().find(|l| l.starts_with('~')).unwrap();
    assert!(
        first.starts_with(&format!("~ {id} → {id} (obligation")),
        "{changes}"
    );
    assert!(table.contains("(1 substantive, 1 with an obligation change;"));
    let md = compare_output("markdown", &[], &seed("000"), &b);
    let changes = &md[md.find("## Changes").unwrap()..];
    let first = changes.lines().find(|l| l.starts_with("### ")).unwrap();
    assert!(
        first.starts_with(&format!("### {id} → {id} (obligation")),
        "{md}"
    );
}

#[test]
fn errors_exit_two_and_name_the_file() {
    let out = provdiff()
        .args(["compare"])
        .arg(seed("000"))
        .arg("no/such/file.txt")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/file.txt"));
}

#[test]
fn output_file_never_overwrites_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(
        dir.path(),
        "a.txt",
        &std::fs::read_to_string(seed("000")).unwrap(),
    );
    let before = std::fs::read(&a).unwrap();
    let out = provdiff()
        .args(["compare", "--format", "json", "-o"])
        .arg(&a)
        .arg(&a)
        .arg(seed("001"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("input"));
    assert_eq!(std::fs::read(&a).unwrap(), before);

    let report = dir.path().join("report.md");
    let out = provdiff()
        .args(["compare", "--format", "markdown", "-o"])
        .arg(&report)
        .arg(seed("001"))
        .arg(seed("002"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let md = std::fs::read_to_string(&report).unwrap();
    assert!(md.contains("~~账~~**帐**"), "{md}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .collect();
    assert!(leftovers.is_empty());
}

fn snapshot_output(args: &[&str]) -> String {
    let out = provdiff()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

fn seed_rel(prefix: &str) -> String {
    format!(
        "corpus/{}",
        seed(prefix).file_name().unwrap().to_string_lossy()
    )
}

#[test]
fn snapshot_table() {
    let (a, b) = (seed_rel("001"), seed_rel("002"));
    insta::assert_snapshot!(snapshot_output(&[
        "compare",
        "--color",
        "never",
        "--only-changes",
        &a,
        &b
    ]));
}

#[test]
fn snapshot_markdown() {
    let (a, b) = (seed_rel("000"), seed_rel("003"));
    insta::assert_snapshot!(snapshot_output(&[
        "compare",
        "--format",
        "markdown",
        "--only-changes",
        &a,
        &b
    ]));
}

#[test]
fn snapshot_json() {
    let (a, b) = (seed_rel("001"), seed_rel("002"));
    insta::assert_snapshot!(snapshot_output(&["compare", "--format", "json", &a, &b]));
}

#[cfg(unix)]
#[test]
fn reports_get_ordinary_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("r.json");
    provdiff()
        .args(["compare", "--format", "json", "-o"])
        .arg(&report)
        .arg(seed("000"))
        .arg(seed("000"))
        .assert()
        .code(0);
    let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_ne!(
        mode & 0o044,
        0,
        "report readable by others as a new file would be: {mode:o}"
    );
    std::fs::set_permissions(&report, std::fs::Permissions::from_mode(0o640)).unwrap();
    provdiff()
        .args(["compare", "--format", "json", "-o"])
        .arg(&report)
        .arg(seed("000"))
        .arg(seed("001"))
        .assert()
        .code(1);
    let mode = std::fs::metadata(&report).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "a replaced report keeps its mode");
}

/// Seed 000 with its company name replaced everywhere by another.
fn other_company() -> String {
    std::fs::read_to_string(seed("000"))
        .unwrap()
        .replace(
            "好美信息技术（北京）有限公司",
            "甲乙信息技术（北京）有限公司",
        )
        .replace("好美信息技术(北京)有限公司", "甲乙信息技术(北京)有限公司")
}

/// The exit status and what each format says about it, for `compare A B`.
fn verdicts(a: &Path, b: &Path) -> Vec<(String, i32, String)> {
    ["table", "markdown", "html", "json"]
        .into_iter()
        .map(|format| {
            let out = provdiff()
                .args(["compare", "--color", "never", "--format", format])
                .arg(a)
                .arg(b)
                .output()
                .unwrap();
            let code = out.status.code().unwrap();
            assert!(code < 2, "{}", String::from_utf8_lossy(&out.stderr));
            (
                format.to_string(),
                code,
                String::from_utf8(out.stdout).unwrap(),
            )
        })
        .collect()
}

/// Every format states the verdict the exit status gives, and the exit status is `want`.
fn assert_verdicts_agree(a: &Path, b: &Path, want: i32) {
    let differ = "substantive differences in the provisions (exit status 1)";
    let same = "no substantive difference in the provisions (exit status 0)";
    for (format, code, text) in verdicts(a, b) {
        assert_eq!(code, want, "{format}");
        if format == "json" {
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["summary"]["differs"], want == 1, "{}", v["summary"]);
            continue;
        }
        let lower = text.to_lowercase();
        let (said, not_said) = if code == 1 {
            (differ, same)
        } else {
            (same, differ)
        };
        assert!(
            lower.contains(said),
            "{format} does not say {said:?}:\n{text}"
        );
        assert!(
            !lower.contains(not_said),
            "{format} says {not_said:?}:\n{text}"
        );
        if format == "html" {
            let card = if code == 1 {
                "card verdict bad"
            } else {
                "card verdict ok"
            };
            assert!(text.contains(card), "{text}");
        }
    }
}

#[test]
fn header_fields_are_reported_but_do_not_set_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "other-company.txt", &other_company());
    let (_, v) = compare_json(&seed("000"), &b);
    assert!(v["summary"]["fields_differ"].as_u64().unwrap() >= 1);
    assert_eq!(v["summary"]["changed"], 0);
    let company = v["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "company")
        .unwrap();
    assert_eq!(company["same"], false);
    assert_verdicts_agree(&seed("000"), &b, 0);
}

#[test]
fn every_format_states_the_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    // Added provisions; changed wording; a variant character only (cosmetic).
    assert_verdicts_agree(&seed("000"), &seed("003"), 1);
    assert_verdicts_agree(&seed("001"), &seed("002"), 1);
    let text = std::fs::read_to_string(seed("001")).unwrap();
    assert!(text.contains("账号"));
    let b = write(dir.path(), "variant.txt", &text.replace("账号", "帐号"));
    assert_verdicts_agree(&seed("001"), &b, 0);
}

#[test]
fn help_states_the_exit_status_rule() {
    let out = provdiff().args(["compare", "--help"]).output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Header fields are always reported but do not change the exit status"),
        "{help}"
    );
}

/// Seed 000 cut off in its last provision, with one damaged byte in its first line.
fn damaged_copy(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(seed("000")).unwrap();
    let cut = text.trim_end().trim_end_matches('。');
    let cut = &cut[..cut.char_indices().nth_back(10).unwrap().0];
    let (first, rest) = cut.split_once('\n').unwrap();
    let mut bytes = first.as_bytes().to_vec();
    bytes.push(0xff);
    bytes.push(b'\n');
    bytes.extend_from_slice(rest.as_bytes());
    let p = dir.join("damaged.txt");
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn integrity_warnings_are_shown_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let b = damaged_copy(dir.path());
    let show = provdiff()
        .args(["show", "--format", "json"])
        .arg(&b)
        .output()
        .unwrap();
    let shown: Value = serde_json::from_slice(&show.stdout).unwrap();
    let warnings = shown["warnings"].as_array().unwrap();
    let kinds: Vec<&str> = warnings
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"truncated") && kinds.contains(&"invalid_bytes"),
        "{kinds:?}"
    );

    let (_, v) = compare_json(&seed("000"), &b);
    assert_eq!(v["warnings"]["a"], serde_json::json!([]));
    assert_eq!(&v["warnings"]["b"], &shown["warnings"]);
    let (_, v) = compare_json(&b, &seed("000"));
    assert_eq!(&v["warnings"]["a"], &shown["warnings"]);
    assert_eq!(v["warnings"]["b"], serde_json::json!([]));

    for (format, _, text) in verdicts(&seed("000"), &b) {
        if format == "json" {
            continue;
        }
        for w in warnings {
            let message = w["message"].as_str().unwrap();
            let message = if format == "html" {
                html_escape::encode_text(message).into_owned()
            } else {
                message.to_string()
            };
            assert!(text.contains(&message), "{format} lacks {message}:\n{text}");
        }
    }
}

fn compare_output(format: &str, args: &[&str], a: &Path, b: &Path) -> String {
    let out = provdiff()
        .args(["compare", "--color", "never", "--format", format])
        .args(args)
        .arg(a)
        .arg(b)
        .output()
        .unwrap();
    assert!(out.status.code().unwrap() < 2);
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn header_fields_carry_the_labels_show_gives_them() {
    let show = provdiff().arg("show").arg(seed("001")).output().unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    let labels = ["licence no", "legal rep", "company", "issued", "expires"];
    for label in labels {
        assert!(
            show.contains(&format!("│ {label} ")),
            "show: {label}\n{show}"
        );
    }
    for format in ["table", "markdown", "html"] {
        let text = compare_output(format, &[], &seed("001"), &seed("002"));
        for label in labels {
            assert!(text.contains(label), "{format} lacks {label}:\n{text}");
        }
        for key in [
            "license_no",
            "legal_rep",
            "registered_capital",
            "website_domain",
        ] {
            assert!(!text.contains(key), "{format} shows the key {key}:\n{text}");
        }
    }
    // JSON keeps its keys.
    let (_, v) = compare_json(&seed("001"), &seed("002"));
    assert_eq!(v["fields"][0]["field"], "license_no");
}

/// The redline part of a Markdown report: from `start` on.
fn redline_part<'a>(md: &'a str, start: &str) -> &'a str {
    &md[md.find(start).unwrap_or_else(|| panic!("{start} in\n{md}"))..]
}

fn assert_one_markdown_style(redlines: &str) {
    let tags = redlines.contains("<ins>") || redlines.contains("<del>");
    let marks = redlines.contains("~~") || redlines.contains("**");
    assert!(
        tags != marks,
        "one style of redline, not both or none:\n{redlines}"
    );
}

#[test]
fn markdown_redlines_use_one_style_per_report() {
    for (a, b) in [("000", "003"), ("001", "002"), ("003", "000")] {
        let md = compare_output("markdown", &["--only-changes"], &seed(a), &seed(b));
        assert_one_markdown_style(redline_part(&md, "## Changes"));
    }
    let out = provdiff()
        .args(["drift", "--format", "markdown"])
        .arg(corpus())
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    // The slot sections follow the summary table.
    assert_one_markdown_style(redline_part(&md, "\n## "));
}

/// The number in `text` just before `after` (`12` in `hide the 12 unchanged rows`).
fn number_before(text: &str, before: &str, after: &str) -> usize {
    let at = text
        .find(after)
        .unwrap_or_else(|| panic!("{after} in\n{text}"));
    let head = &text[..at];
    let from = head
        .rfind(before)
        .unwrap_or_else(|| panic!("{before} in\n{text}"))
        + before.len();
    head[from..]
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{e}: {:?}", &head[from..]))
}

#[test]
fn unchanged_counts_the_same_rows_everywhere() {
    // 000 → 003: 27 pairs keep their text, 15 of them under another number.
    let (a, b) = (seed("000"), seed("003"));
    let (_, v) = compare_json(&a, &b);
    let unchanged = rows(&v)
        .iter()
        .filter(|r| r["status"] == "same" && r["renumbered"] == false && r["moved"] == false)
        .count();
    assert_eq!(unchanged, 12);
    assert_eq!(v["summary"]["unchanged"], unchanged);
    let html = compare_output("html", &[], &a, &b);
    assert_eq!(
        number_before(&html, "<b>", "</b><span>unchanged"),
        unchanged,
        "the card"
    );
    assert_eq!(
        number_before(&html, "hide the", "unchanged rows"),
        unchanged
    );
    assert_eq!(html.matches(" unchanged\"><td").count(), unchanged);
    let html = compare_output("html", &["--only-changes"], &a, &b);
    assert_eq!(
        number_before(&html, ">", "unchanged provisions not shown"),
        unchanged
    );
    let table = compare_output("table", &["--only-changes"], &a, &b);
    assert_eq!(
        number_before(&table, "(", "unchanged provisions not shown"),
        unchanged
    );
    let md = compare_output("markdown", &["--only-changes"], &a, &b);
    assert_eq!(
        number_before(&md, "_", "unchanged provisions not shown"),
        unchanged
    );
    // Renumbered rows are changes: listed with --only-changes.
    assert!(table.contains("十六(三)"), "{table}");
    assert!(md.contains("| 十五(三) | 十六(三) |"), "{md}");
}

#[test]
fn only_changes_with_nothing_changed_says_so() {
    let a = seed("002");
    for format in ["table", "markdown", "html"] {
        let text = compare_output(format, &["--only-changes"], &a, &a);
        assert!(
            text.contains("All 29 provisions are unchanged"),
            "{format}:\n{text}"
        );
        for frame in ["│ status", "| status |", "<table class=\"prov\""] {
            assert!(
                !text.contains(frame),
                "{format} prints an empty table:\n{text}"
            );
        }
    }
}
