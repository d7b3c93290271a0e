//! Segmentation of real OCR output: the certificates of tests/fixtures/ocr, read by tesseract
//! `chi_sim`, give exactly the provisions of their truth, each with its id, with labels the
//! engine mangled recovered and page furniture it misread left out, each recovery a warning
//! at its line; their clean text gives the truth as it is, with no recovery.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ocr")
}

/// Every certificate of the fixture set: its stem and its truth.
fn fixtures() -> Vec<(String, Value)> {
    let mut stems: Vec<String> = std::fs::read_dir(fixtures_dir().join("truth"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    stems.sort();
    assert_eq!(stems.len(), 6, "the fixture set has six certificates");
    stems
        .into_iter()
        .map(|stem| {
            let path = fixtures_dir().join("truth").join(format!("{stem}.json"));
            let truth = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            (stem, truth)
        })
        .collect()
}

fn show_json(path: &Path) -> Value {
    let out = provdiff()
        .args(["show", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert_exit(&out, 0);
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The OCR text of `stem`, shown as JSON.
fn show_ocr(stem: &str) -> Value {
    show_json(&fixtures_dir().join("ocr").join(format!("{stem}.txt")))
}

/// Every provision and sub-item of a `show` JSON document, in order.
fn flat(shown: &Value) -> Vec<&Value> {
    shown["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| std::iter::once(p).chain(p["children"].as_array().unwrap()))
        .collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap()
}

/// The truth's provision ids and texts, in order.
fn truth_provisions(truth: &Value) -> Vec<(&str, &str)> {
    truth["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (str_of(p, "id"), str_of(p, "text")))
        .collect()
}

fn similarity(a: &str, b: &str) -> f32 {
    similar::TextDiff::from_chars(a, b).ratio()
}

/// Warnings of `kind` in a `show` JSON document, as (line, message).
fn warnings_of<'a>(shown: &'a Value, kind: &str) -> Vec<(u64, &'a str)> {
    shown["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["kind"] == kind)
        .map(|w| (w["line"].as_u64().unwrap(), str_of(w, "message")))
        .collect()
}

#[test]
fn every_provision_of_the_truth_is_found_with_its_id_and_no_other() {
    for (stem, truth) in fixtures() {
        let shown = show_ocr(&stem);
        let got: Vec<&str> = flat(&shown).iter().map(|p| str_of(p, "id")).collect();
        let want: Vec<&str> = truth_provisions(&truth).iter().map(|p| p.0).collect();
        assert_eq!(got, want, "{stem}");
        // The numbering came out whole: no gap, repeat or step back is left to report.
        for kind in ["numbering_gap", "duplicate_number", "out_of_order"] {
            assert_eq!(warnings_of(&shown, kind), vec![], "{stem}: {kind}");
        }
    }
}

#[test]
fn each_provision_holds_its_own_text_and_no_page_furniture() {
    let (mut same, mut all) = (0.0, 0.0);
    for (stem, truth) in fixtures() {
        let shown = show_ocr(&stem);
        let want = truth_provisions(&truth);
        let license = str_of(&truth, "license_no");
        let serial = &license[license.len() - 8..];
        for (i, (p, (id, text))) in flat(&shown).into_iter().zip(&want).enumerate() {
            let got = str_of(p, "text");
            // Closer to its own provision than to the ones before and after it: the
            // boundaries are right, even where the engine misread, dropped or moved a few
            // characters. (Provisions further away may repeat it nearly word for word.)
            let own = similarity(got, text);
            for (other, other_text) in [i.checked_sub(1), Some(i + 1)]
                .into_iter()
                .flatten()
                .filter_map(|k| want.get(k))
            {
                assert!(
                    similarity(got, other_text) < own,
                    "{stem} {id} reads more like {other}: {got}"
                );
            }
            assert!(own > 0.7, "{stem} {id}: {own} {got}");
            for furniture in ["特别规定事项", serial] {
                assert!(
                    !got.contains(furniture) || text.contains(furniture),
                    "{stem} {id} holds {furniture}: {got}"
                );
            }
            assert!(
                !got.contains("页共"),
                "{stem} {id} holds a page number: {got}"
            );
            same += own * text.chars().count() as f32;
            all += text.chars().count() as f32;
        }
    }
    // What is left is the engine's own slips, a few in a hundred characters.
    assert!(same / all > 0.97, "{}", same / all);
}

/// A label as printed: `十五、` or `(六)`.
fn printed_label(id: &str) -> String {
    match id.split_once('(') {
        Some((_, sub)) => format!("({sub}"),
        None => format!("{id}、"),
    }
}

#[test]
fn every_label_read_for_another_and_every_misread_page_header_is_a_warning_at_its_line() {
    let mut recovered_labels = 0;
    let mut misread_headers = 0;
    for (stem, _) in fixtures() {
        let shown = show_ocr(&stem);
        let recovered = warnings_of(&shown, "recovered");
        for p in flat(&shown) {
            let (id, label) = (str_of(p, "id"), str_of(p, "label"));
            let line = p["line"].as_u64().unwrap();
            let warned = recovered.iter().find(|w| w.0 == line);
            if label == printed_label(id) {
                assert!(warned.is_none(), "{stem} {id}: {warned:?}");
            } else {
                let (_, message) = warned.unwrap_or_else(|| panic!("{stem} {id} `{label}`"));
                assert!(message.contains(&format!("`{label}`")), "{message}");
                assert!(message.contains(id), "{message}");
                recovered_labels += 1;
            }
        }
        misread_headers += recovered
            .iter()
            .filter(|w| w.1.contains("page header"))
            .count();
        // A province character OCR misread in a page header is no other licence.
        assert_eq!(warnings_of(&shown, "license_mismatch"), vec![], "{stem}");
    }
    // The engine mangled labels and page headers in these scans: the test would not know
    // otherwise whether recovery is needed at all.
    assert!(recovered_labels >= 5, "{recovered_labels}");
    assert!(misread_headers >= 5, "{misread_headers}");
}

#[test]
fn the_clean_text_of_the_same_certificates_is_the_truth_with_nothing_recovered() {
    for (stem, truth) in fixtures() {
        let shown = show_json(&fixtures_dir().join("clean").join(format!("{stem}.txt")));
        let got: Vec<(&str, &str)> = flat(&shown)
            .iter()
            .map(|p| (str_of(p, "id"), str_of(p, "text")))
            .collect();
        assert_eq!(got, truth_provisions(&truth), "{stem}");
        assert_eq!(warnings_of(&shown, "recovered"), vec![], "{stem}");
    }
}

/// How a label is mangled, as the engine does it (`noise_report.py` over the TRAIN set).
#[derive(Debug, Clone, Copy)]
enum Mangle {
    /// The numeral lost: `、`, `)`, `五)`.
    Lost,
    /// The brackets of a sub-item misread (`《八)`, `〈八〉`, `{八)`, `\(八)`, `“八)`, `(八》`);
    /// a top-level label gets a character added instead (`和八、`).
    Brackets,
    /// A character added or a lookalike: `(和八)`, `(/八)`, `入、` for `八、`, `+五、` for
    /// `十五、`.
    Added,
    /// The closing bracket lost before `你公司`: `(八你公司`.
    NoClose,
    /// A valid numeral misread: `十` dropped (`三、` for `十三、`) or the next number
    /// (`(十三)` for `(十二)`); only where the labels around it are read right.
    Misread,
}

const MANGLES: [Mangle; 5] = [
    Mangle::Lost,
    Mangle::Brackets,
    Mangle::Added,
    Mangle::NoClose,
    Mangle::Misread,
];

/// A label as OCR may read it, `pick` choosing among the shapes of `how`; `None` where `how`
/// does not apply to it.
fn mangled(n: u32, sub: bool, how: Mangle, pick: u8, text: &str) -> Option<String> {
    use provdiff::parse::numeral::to_chinese;
    let num = to_chinese(n);
    let pick = usize::from(pick);
    Some(match (how, sub) {
        (Mangle::Lost, false) => "、".to_string(),
        (Mangle::Lost, true) => [")".to_string(), format!("{num})")][pick % 2].clone(),
        (Mangle::Brackets, false) => format!("和{num}、"),
        (Mangle::Brackets, true) => {
            let (o, c) = [
                ("《", ")"),
                ("〈", "〉"),
                ("{", ")"),
                ("\\(", ")"),
                ("〈《", ")"),
                ("“", ")"),
                ("(", "》"),
            ][pick % 7];
            format!("{o}{num}{c}")
        }
        (Mangle::Added, false) => match n {
            8 => "入、".to_string(),
            9 => "丸、".to_string(),
            11..=19 => format!("+{}、", &num['十'.len_utf8()..]),
            _ => return None,
        },
        (Mangle::Added, true) => [format!("(和{num})"), format!("(/{num})")][pick % 2].clone(),
        (Mangle::NoClose, true) if text.starts_with("你公司") => format!("({num}"),
        (Mangle::NoClose, _) => return None,
        (Mangle::Misread, _) => {
            let m = if n > 10 && pick % 2 == 0 {
                n - 10
            } else {
                n + 1
            };
            if sub {
                format!("({})", to_chinese(m))
            } else {
                format!("{}、", to_chinese(m))
            }
        }
    })
}

/// A page header of a later page as OCR may read it (`pick` chooses): the colon read as
/// other marks, the province character misread, the dash as a point; then the heading, and
/// sometimes stray characters between them or a page number read without its last `页`.
fn misread_page_break(license: &str, pick: u8) -> String {
    let mark = [";，", "，", ":", " ; "][usize::from(pick) % 4];
    let (province, number) = license.split_at(license.find(['A', 'B']).unwrap());
    let province = if pick.is_multiple_of(3) {
        "郭"
    } else {
        province
    };
    let number = if pick.is_multiple_of(5) {
        number.replacen('-', ".", 1)
    } else {
        number.to_string()
    };
    let foot = if pick.is_multiple_of(7) {
        "第3页共6\n\n滞\n\n"
    } else {
        ""
    };
    let stray = if pick.is_multiple_of(2) {
        "\n< 对\n"
    } else {
        "\n"
    };
    format!("{foot}经营许可证编号{mark}{province}{number}\n{stray}\n特别规定事项\n\n")
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

    /// Labels mangled as OCR mangles them, alone or several at once, and page headers OCR
    /// misread anywhere in the provisions: the provisions are still exactly the truth's,
    /// and each recovered label is a warning.
    #[test]
    fn mangled_labels_and_misread_headers_are_recovered(
        which in 0usize..6,
        choices in proptest::collection::vec((0u8..8, proptest::prelude::any::<u8>()), 40),
        breaks in proptest::collection::vec((proptest::prelude::any::<u16>(), proptest::prelude::any::<u8>()), 0..4),
    ) {
        let (stem, truth) = fixtures().swap_remove(which);
        let clean = std::fs::read_to_string(fixtures_dir().join("clean").join(format!("{stem}.txt"))).unwrap();
        let cert = provdiff::parse(&stem, clean.as_bytes(), &Default::default()).unwrap();
        let mut lines: Vec<String> = clean.split('\n').map(str::to_string).collect();
        // Label lines in order: line index, sub-item or not, number, parent, text after it.
        let labels: Vec<(usize, bool, u32, u32, String)> = cert
            .flat()
            .map(|p| (p.line - 1, p.id.sub.is_some(), p.id.sub.unwrap_or(p.id.top), p.id.top, p.text.clone()))
            .collect();
        let mut mangled_at: Vec<Option<Mangle>> = vec![None; labels.len()];
        for (k, &(line, sub, n, parent, ref text)) in labels.iter().enumerate() {
            let (how, pick) = choices[k % choices.len()];
            let Some(&how) = MANGLES.get(usize::from(how)) else { continue };
            // Labels of the same level under the same parent, before and after this one.
            let peers: Vec<usize> = (0..labels.len())
                .filter(|&j| labels[j].1 == sub && (!sub || labels[j].3 == parent))
                .collect();
            let at = peers.iter().position(|&j| j == k).unwrap();
            if matches!(how, Mangle::Misread) {
                // The labels around it read right: the one before and the two after.
                let before = at.checked_sub(1).map(|i| peers[i]);
                let after: Vec<usize> = peers[at + 1..].iter().take(2).copied().collect();
                let settled = before.is_none_or(|j| mangled_at[j].is_none())
                    && after
                        .iter()
                        .all(|&j| usize::from(choices[j % choices.len()].0) >= MANGLES.len())
                    // The last label: only `十` dropped, which steps back, is settled.
                    && (!after.is_empty() || (n > 10 && pick % 2 == 0 && before.is_some()));
                if !settled {
                    continue;
                }
            }
            // A label the sequence settles needs the ones before it read right, or recovered.
            if at > 0 && matches!(mangled_at[peers[at - 1]], Some(Mangle::Misread)) {
                continue;
            }
            let Some(label) = mangled(n, sub, how, pick, text) else { continue };
            let printed = if sub {
                format!("（{}）", provdiff::parse::numeral::to_chinese(n))
            } else {
                format!("{}、", provdiff::parse::numeral::to_chinese(n))
            };
            let rest = lines[line].strip_prefix(&printed).unwrap().to_string();
            lines[line] = format!("{label}{rest}");
            mangled_at[k] = Some(how);
        }
        // Page breaks after body lines, read as OCR reads them.
        let body_start = labels[0].0;
        for &(at, pick) in &breaks {
            let i = body_start + usize::from(at) % (lines.len() - body_start);
            let license = truth["license_no"].as_str().unwrap();
            lines[i].push_str(&format!("\n\n{}", misread_page_break(license, pick)));
        }
        let text = lines.join("\n");
        let got = provdiff::parse(&stem, text.as_bytes(), &Default::default()).unwrap();
        let want: Vec<(String, String)> = truth_provisions(&truth)
            .into_iter()
            .map(|(id, t)| (id.to_string(), t.to_string()))
            .collect();
        proptest::prop_assert_eq!(ids_and_texts(&got), want, "{}", text);
        let recovered = got
            .warnings
            .iter()
            .filter(|w| w.kind == provdiff::model::WarningKind::Recovered && w.message.starts_with("label"))
            .count();
        proptest::prop_assert_eq!(recovered, mangled_at.iter().flatten().count());
    }
}
