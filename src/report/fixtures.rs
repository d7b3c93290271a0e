//! Reports to render in tests: drift reports of a few shapes and scan records.

use std::collections::BTreeMap;
use std::io;

use crate::diff::{ChangeClass, Op, OpKind};
use crate::drift::{
    DocumentInfo, DriftReport, DriftSummary, GroupBy, Member, SCHEMA, SlotReport, Variant,
};
use crate::model::{Fields, InputKind, ProvisionId, Warning, WarningKind};
use crate::scan::{ScanRecord, Status};

/// What a renderer writes, as a string.
pub(crate) fn render(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// A member at line 3 of `path`, under provision `id`.
pub(crate) fn member(path: &str, id: &str) -> Member {
    Member {
        path: path.into(),
        id: id.parse().expect("provision id"),
        line: 3,
    }
}

/// A wording carried by `members`, all of the group 北京, in 2020–2021; one that is not
/// canonical changes the wording.
pub(crate) fn variant(canonical: bool, text: &str, diff: Vec<Op>, members: Vec<Member>) -> Variant {
    Variant {
        count: members.len(),
        share: 0.5,
        canonical,
        text: text.into(),
        diff,
        classes: if canonical {
            vec![]
        } else {
            vec![ChangeClass::Wording]
        },
        substantive: !canonical,
        ocr_suspect: false,
        first_year: Some(2020),
        last_year: Some(2021),
        by_group: [("北京".to_string(), members.len())].into_iter().collect(),
        members,
    }
}

/// A report over `docs` documents whose paths, issuer, texts, note and errors all carry
/// markup, for the escaping of every format.
pub(crate) fn hostile_report(docs: usize) -> DriftReport {
    let hostile = "\"><script>alert(1)</script>";
    report_of(
        (0..docs)
            .map(|i| format!("c/{i:03}{hostile}.txt"))
            .collect(),
    )
}

/// A report over documents with these paths (at least one).
pub(crate) fn report_of(paths: Vec<String>) -> DriftReport {
    let docs = paths.len();
    let documents = paths
        .iter()
        .map(|p| DocumentInfo {
            path: p.clone(),
            license_no: Some("京B2-1".into()),
            issuer: Some("北京<marquee>".into()),
            year: Some(2020),
        })
        .collect();
    let evil = "<img src=x onerror=alert(1)>";
    let slots = vec![
        SlotReport {
            slot: "一".into(),
            note: None,
            parent: None,
            present: docs,
            drifting: true,
            canonical_share: 0.5,
            variants: vec![
                variant(
                    true,
                    "甲</script>乙",
                    vec![],
                    paths.iter().step_by(2).map(|p| member(p, "一")).collect(),
                ),
                variant(
                    false,
                    evil,
                    vec![
                        Op {
                            op: OpKind::Delete,
                            text: "甲</script>乙".into(),
                        },
                        Op {
                            op: OpKind::Insert,
                            text: evil.into(),
                        },
                    ],
                    paths
                        .iter()
                        .skip(1)
                        .step_by(2)
                        .map(|p| member(p, "一"))
                        .collect(),
                ),
            ],
        },
        SlotReport {
            slot: "二 [<i>块</i>]".into(),
            note: Some("<u>note</u>".into()),
            parent: Some("一".into()),
            present: 1,
            drifting: false,
            canonical_share: 1.0,
            variants: vec![variant(true, "丙", vec![], vec![member(&paths[0], "二")])],
        },
    ];
    DriftReport {
        schema: SCHEMA,
        by: GroupBy::Issuer,
        documents,
        errors: vec![crate::corpus::FileError {
            path: "bad<.txt".into(),
            error: "no <provisions>".into(),
        }],
        duplicates: vec![crate::corpus::duplicates::Duplicate {
            license_no: "京B2-<marquee>1".into(),
            documents: paths
                .iter()
                .take(2)
                .map(|p| crate::corpus::duplicates::DuplicateDocument {
                    path: p.clone(),
                    issued: None,
                })
                .collect(),
        }],
        groups: vec!["北京<marquee>".into()],
        group_sizes: Default::default(),
        slots,
        summary: DriftSummary {
            documents: docs,
            errors: 1,
            slots: 2,
            drifting_slots: 1,
            ocr_suspects: 0,
            duplicates: 1,
        },
    }
}

/// A report with one slot whose second wording is carried by one document in each of
/// `groups` groups (`g00 2020`, `g01 2020` …), as `--by issuer,year` makes them.
pub(crate) fn report_with_groups(groups: usize) -> DriftReport {
    let member = |i: usize| Member {
        path: format!("c/{i:03}.txt").into(),
        id: ProvisionId::top(1),
        line: 3,
    };
    let variant =
        |canonical: bool, members: Vec<Member>, by_group: BTreeMap<String, usize>| Variant {
            count: members.len(),
            share: 0.5,
            canonical,
            text: if canonical { "甲乙" } else { "甲丙" }.into(),
            diff: Vec::new(),
            classes: Vec::new(),
            substantive: !canonical,
            ocr_suspect: false,
            first_year: Some(2020),
            last_year: Some(2020),
            by_group,
            members,
        };
    let name = |g: usize| format!("g{g:02} 2020");
    let slot = SlotReport {
        slot: "一".into(),
        note: None,
        parent: None,
        present: 2 * groups,
        drifting: true,
        canonical_share: 0.5,
        variants: vec![
            variant(
                true,
                (0..groups).map(member).collect(),
                [(name(0), groups)].into_iter().collect(),
            ),
            variant(
                false,
                (groups..2 * groups).map(member).collect(),
                (0..groups).map(|g| (name(g), 1)).collect(),
            ),
        ],
    };
    DriftReport {
        schema: SCHEMA,
        by: GroupBy::IssuerYear,
        documents: (0..2 * groups)
            .map(|i| DocumentInfo {
                path: format!("c/{i:03}.txt"),
                license_no: None,
                issuer: Some(format!("g{:02}", i % groups)),
                year: Some(2020),
            })
            .collect(),
        errors: Vec::new(),
        duplicates: Vec::new(),
        groups: (0..groups).map(name).collect(),
        group_sizes: (0..groups).map(|g| (name(g), 2)).collect(),
        slots: vec![slot],
        summary: DriftSummary {
            documents: 2 * groups,
            errors: 0,
            slots: 1,
            drifting_slots: 1,
            ocr_suspects: 0,
            duplicates: 0,
        },
    }
}

/// A report with one slot carried by `counts.iter().sum()` documents of one group, whose
/// wordings have these counts (the first canonical).
pub(crate) fn report_with_counts(counts: &[usize]) -> DriftReport {
    let mut r = report_with_groups(1);
    let present: usize = counts.iter().sum();
    let slot = &mut r.slots[0];
    let template = slot.variants[1].clone();
    slot.present = present;
    slot.variants = counts
        .iter()
        .enumerate()
        .map(|(i, &count)| Variant {
            count,
            share: (count as f64 / present as f64 * 1000.0).round() / 1000.0,
            canonical: i == 0,
            text: format!("甲{i}"),
            by_group: [("g00 2020".to_string(), count)].into_iter().collect(),
            ..template.clone()
        })
        .collect();
    slot.canonical_share = slot.variants[0].share;
    r
}

/// A parsed record of `path` with a formula for a company name and a warning.
pub(crate) fn scan_ok(path: &str, issuer: &str) -> ScanRecord {
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
