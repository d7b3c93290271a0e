//! `provdiff show` on the bundled corpus and on noisy re-renderings of it.

mod common;

use common::*;
use serde_json::Value;

fn show_json(path: &std::path::Path) -> Value {
    let out = provdiff()
        .args(["show", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn flat_ids(v: &Value) -> Vec<String> {
    let mut ids = Vec::new();
    for p in v["provisions"].as_array().unwrap() {
        ids.push(p["id"].as_str().unwrap().to_string());
        for c in p["children"].as_array().unwrap() {
            ids.push(c["id"].as_str().unwrap().to_string());
        }
    }
    ids
}

fn expected_ids(blocks: &[(&str, u32)]) -> Vec<String> {
    let mut ids: Vec<String> = (1..=14).map(provdiff::parse::numeral::to_chinese).collect();
    for &(top, subs) in blocks {
        ids.push(top.to_string());
        for s in 1..=subs {
            ids.push(format!(
                "{top}({})",
                provdiff::parse::numeral::to_chinese(s)
            ));
        }
    }
    ids
}

#[test]
fn seed_ids_are_exact() {
    for s in ["000", "001", "002"] {
        assert_eq!(
            flat_ids(&show_json(&seed(s))),
            expected_ids(&[("十五", 14)]),
            "seed {s}"
        );
    }
    assert_eq!(
        flat_ids(&show_json(&seed("003"))),
        expected_ids(&[("十五", 7), ("十六", 14)])
    );
}

#[test]
fn seed_fields() {
    let v = show_json(&seed("002"));
    let f = &v["fields"];
    assert_eq!(f["license_no"], "B2-20160073");
    assert_eq!(f["issuer"], "工业和信息化部");
    assert_eq!(f["category"], "B2");
    assert_eq!(f["cross_regional"], true);
    assert_eq!(f["company"], "北京中录国际文化传播有限公司");
    assert_eq!(f["legal_rep"], "陈林");
    assert_eq!(f["issued"], "2018-05-03");
    assert_eq!(f["expires"], "2021-01-19");
    assert_eq!(f["registered_capital"], "人民币壹仟万元");
    assert_eq!(f["signatory"], "尚吁");
    assert_eq!(f["coverage"], "全国");
    assert_eq!(v["encoding"], "UTF-8");
    assert_eq!(v["warnings"].as_array().unwrap().len(), 0);

    let v = show_json(&seed("000"));
    let f = &v["fields"];
    assert_eq!(f["license_no"], "京B2-20224676");
    assert_eq!(f["issuer"], "北京");
    assert_eq!(f["number_year"], 2022);
    assert_eq!(f["company"], "好美信息技术(北京)有限公司");
    assert_eq!(f["legal_rep"], "付力扬");
    assert_eq!(f["issued"], "2023-08-04");
    assert_eq!(f["expires"], "2027-01-29");
    assert_eq!(
        f["business"],
        serde_json::json!(["信息服务业务(仅限互联网信息服务)"])
    );
    assert_eq!(f["website"]["domain"], "iyyhd.com");
    assert_eq!(f["website"]["access_provider"], "阿里云计算有限公司");

    let f = &show_json(&seed("001"))["fields"];
    assert_eq!(f["license_no"], "苏B2-20201765");
    assert_eq!(f["issued"], "2020-12-24");
    assert_eq!(f["expires"], "2025-12-24");
    assert_eq!(f["company"], "南通佰易网络科技有限公司");

    let f = &show_json(&seed("003"))["fields"];
    assert_eq!(f["license_no"], "苏B2-20200928");
    assert_eq!(f["number_year"], 2020);
    assert_eq!(f["issued"], "2022-03-16");
    assert_eq!(f["expires"], "2025-07-30");
    assert_eq!(f["legal_rep"], "柴继军");
    assert_eq!(
        f["business"],
        serde_json::json!([
            "在线数据处理与交易处理业务(仅限经营类电子商务)",
            "信息服务业务(仅限互联网信息服务)"
        ])
    );
}

#[test]
fn no_furniture_in_provision_texts_and_splits_rejoined() {
    for s in ["000", "001", "002", "003"] {
        let v = show_json(&seed(s));
        let mut texts = vec![v["preamble"].as_str().unwrap().to_string()];
        for p in v["provisions"].as_array().unwrap() {
            texts.push(p["text"].as_str().unwrap().to_string());
            for c in p["children"].as_array().unwrap() {
                texts.push(c["text"].as_str().unwrap().to_string());
            }
        }
        for t in &texts {
            for bad in [
                "经营许可证编号:",
                "B2-20",
                "特别规定事项\n",
                "负责人",
                "公司代表",
                "年月日",
                "**",
                "##",
                "  ",
                "\n",
            ] {
                assert!(!t.contains(bad), "seed {s}: {bad:?} in {t}");
            }
            assert!(!t.ends_with("特别规定事项"), "seed {s}: {t}");
        }
    }
    let v = show_json(&seed("000"));
    let nine = v["provisions"][8]["text"].as_str().unwrap();
    assert!(nine.contains("有关标准,做好用户日志留存"), "{nine}");
    let six = v["provisions"][14]["children"][5]["text"].as_str().unwrap();
    assert!(six.contains("管理人员,成立相应的"), "{six}");
    // Seed 002: a signature block and page header inside 十五(八).
    let v = show_json(&seed("002"));
    let eight = v["provisions"][14]["children"][7]["text"].as_str().unwrap();
    assert!(eight.contains("新技术新业务安全评估制度"), "{eight}");
    assert_eq!(v["provisions"][14]["children"][7]["line"], 137);
}

#[test]
fn provisions_keep_source_lines() {
    let v = show_json(&seed("000"));
    assert_eq!(v["provisions"][0]["line"], 52);
    assert_eq!(v["provisions"][9]["line"], 76);
    assert_eq!(v["provisions"][14]["children"][6]["line"], 107);
}

#[test]
fn noisy_copies_parse_to_the_same_provisions() {
    let dir = tempfile::tempdir().unwrap();
    for s in ["000", "001", "002", "003"] {
        let path = seed(s);
        let text = std::fs::read_to_string(&path).unwrap();
        let reference = provdiff::parse_file(&path, &Default::default()).unwrap();
        let license = reference.fields.license_no.clone().unwrap();
        let variants: Vec<(&str, Vec<u8>)> = vec![
            ("punct", swap_punctuation_width(&text).into_bytes()),
            ("spaces", add_cjk_spaces(&text, 3).into_bytes()),
            ("wrap", hard_wrap(&text, 17).into_bytes()),
            ("crlf", text.replace('\n', "\r\n").into_bytes()),
            ("gb18030", gb18030(&text)),
            ("utf16", utf16le(&text)),
            // As written by tools that leave the BOM out: mostly CJK, few NUL bytes.
            ("utf16-nobom", utf16le(&text)[2..].to_vec()),
            ("pages", move_page_breaks(&text, &license, 3).into_bytes()),
            (
                "all",
                utf16le(
                    &move_page_breaks(
                        &hard_wrap(&add_cjk_spaces(&swap_punctuation_width(&text), 5), 23),
                        &license,
                        4,
                    )
                    .replace('\n', "\r\n"),
                ),
            ),
        ];
        for (name, bytes) in variants {
            let p = dir.path().join(format!("{s}-{name}.txt"));
            std::fs::write(&p, &bytes).unwrap();
            // Through the binary, as a user would.
            let v = show_json(&p);
            let cert: Vec<(String, String)> = {
                let got = provdiff::parse_file(&p, &Default::default()).unwrap();
                assert_eq!(
                    got.fields.license_no, reference.fields.license_no,
                    "{s} {name}"
                );
                assert_eq!(got.fields.issued, reference.fields.issued, "{s} {name}");
                ids_and_texts(&got)
            };
            assert_eq!(cert, ids_and_texts(&reference), "seed {s}, noise {name}");
            assert_eq!(flat_ids(&v).len(), cert.len(), "seed {s}, noise {name}");
            let enc = v["encoding"].as_str().unwrap();
            match name {
                "gb18030" => assert_eq!(enc, "GB18030"),
                "utf16" | "utf16-nobom" | "all" => assert_eq!(enc, "UTF-16LE"),
                _ => assert_eq!(enc, "UTF-8"),
            }
        }
    }
}

#[test]
fn table_fits_eighty_columns() {
    use unicode_width::UnicodeWidthStr;
    for s in ["000", "002", "003"] {
        let out = provdiff().args(["show"]).arg(seed(s)).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("十五(六)"));
        for line in text.lines().skip(1) {
            assert!(line.width() <= 80, "{} columns: {line}", line.width());
        }
    }
}

#[test]
fn standard_input_is_read() {
    let bytes = std::fs::read(seed("001")).unwrap();
    let out = provdiff()
        .args(["show", "--format", "json", "-"])
        .write_stdin(bytes)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["path"], "-");
    assert_eq!(flat_ids(&v).len(), 29);
}

#[test]
fn bad_input_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    let out = provdiff().arg("show").arg(&empty).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("empty.txt") && err.contains("empty"), "{err}");

    let missing = dir.path().join("missing.txt");
    let out = provdiff().arg("show").arg(&missing).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));

    let other = dir.path().join("letter.txt");
    std::fs::write(&other, "尊敬的客户:\n您好,感谢您使用我们的服务。\n").unwrap();
    let out = provdiff().arg("show").arg(&other).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a licence"));
}

#[test]
fn table_to_a_pipe_keeps_every_text_whole() {
    let path = seed("000");
    let out = provdiff()
        .env_remove("COLUMNS")
        .arg("show")
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let cert = provdiff::parse_file(&path, &Default::default()).unwrap();
    for p in cert.flat() {
        assert!(text.contains(&p.text), "{} is cut:\n{text}", p.id);
    }
}
