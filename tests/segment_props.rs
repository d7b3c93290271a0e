//! Property tests of segmentation: no text is lost or duplicated, furniture never reaches a
//! provision, and pseudo-numbers (`第十五条`, `(工业和信息化部令第11号)`) never start one.

mod common;

use proptest::prelude::*;
use provdiff::parse::normalize::normalize;
use provdiff::parse::numeral::to_chinese;

#[derive(Debug, Clone)]
enum Piece {
    Top(String),
    Sub(String),
    Pseudo(String),
    Text(String),
    Furniture(&'static str),
    Blank,
}

const FURNITURE: &[&str] = &[
    "经营许可证编号: 京B2-20224676",
    "经营许可证编号：**苏B2-20200928**",
    "## 特别规定事项",
    "特别规定事项",
    "司(局)负责人:",
    "公司代表:",
    "年 月 日",
    "第 3 页",
];

const PSEUDO: &[&str] = &[
    "第十五条所列内容",
    "(工业和信息化部令第11号)的有关要求",
    "(含更新版本)",
    "(适用于信息发布平台及递送服务)",
];

/// Sentence text that never starts with a label and never looks like furniture or a name.
fn sentence() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["你公司", "应当", "按照", "电信", "用户"]),
        prop::collection::vec(
            prop::sample::select(vec![
                "你",
                "公司",
                "应当",
                "按照",
                "十五",
                "一、",
                "(二)",
                ",",
                "、",
                ";",
                ":",
                "《规定》",
                "“互联网+”",
                " ",
                "　",
                "30日",
                "Cloud",
                "B2",
                "，",
                "（",
                "）",
                "第",
                "条",
            ]),
            0..30,
        ),
    )
        .prop_map(|(head, rest)| format!("{head}{}。", rest.concat()))
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        3 => (1u32..40, sentence()).prop_map(|(n, t)| Piece::Top(format!("{}、{t}", to_chinese(n)))),
        3 => (1u32..20, sentence(), any::<bool>()).prop_map(|(n, t, full)| {
            let (o, c) = if full { ('（', '）') } else { ('(', ')') };
            Piece::Sub(format!("{o}{}{c} {t}", to_chinese(n)))
        }),
        1 => (prop::sample::select(PSEUDO), sentence()).prop_map(|(p, t)| Piece::Pseudo(format!("{p}{t}"))),
        4 => sentence().prop_map(Piece::Text),
        2 => prop::sample::select(FURNITURE).prop_map(Piece::Furniture),
        2 => Just(Piece::Blank),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn segmentation_loses_no_text(pieces in prop::collection::vec(piece(), 0..40), crlf in any::<bool>()) {
        let mut text = String::from("经营许可证编号: 京B2-20224676\n特别规定事项\n");
        let mut tops = 0;
        let mut subs = 0;
        for p in &pieces {
            let line = match p {
                Piece::Top(t) => { tops += 1; t.clone() }
                Piece::Sub(t) => { if tops > 0 { subs += 1; } t.clone() }
                Piece::Pseudo(t) | Piece::Text(t) => t.clone(),
                Piece::Furniture(f) => f.to_string(),
                Piece::Blank => String::new(),
            };
            text.push_str(&line);
            text.push_str(if crlf { "\r\n" } else { "\n" });
        }
        let text = text.replace("\r\n", "\n");
        // Every non-whitespace character of the body, furniture removed, lands in exactly
        // one provision or the preamble (the property the fuzz targets check too).
        let cert = common::props::segmentation_loses_no_text(&text);
        let norm = normalize(&text);

        // Furniture lines were recognised as furniture, text lines as text.
        let furniture = pieces.iter().filter(|p| matches!(p, Piece::Furniture(_))).count();
        let marked = norm.body().iter().filter(|l| l.kind.is_furniture()).count();
        prop_assert_eq!(marked, furniture);

        // Labels, and only labels, start provisions.
        prop_assert_eq!(cert.provisions.len(), tops);
        prop_assert_eq!(cert.provisions.iter().map(|p| p.children.len()).sum::<usize>(), subs);
        for p in cert.flat() {
            prop_assert!(!p.text.contains("经营许可证编号:"));
            prop_assert!(!p.text.contains("负责人"));
            prop_assert!(p.line >= 3 && p.end_line >= p.line);
        }
    }
}
