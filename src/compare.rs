//! Two certificates to a [`Comparison`]: header fields side by side, provisions aligned by
//! content and diffed clause by clause, each change classified.

use serde::Serialize;

use crate::align::{AlignOptions, align_certificates};
use crate::diff::{ChangeClass, DiffBudget, DiffOptions, Hunk, Op, OpKind, Uncertain, diff_text};
use crate::model::{Certificate, Provision, Warning};

/// Options for [`compare`].
#[derive(Debug, Clone, Default)]
pub struct CompareOptions {
    /// How provisions are paired.
    pub align: AlignOptions,
    /// How paired texts are diffed.
    pub diff: DiffOptions,
}

/// One header field on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldComparison {
    /// Field name as in `show --format json` (`license_no`, `company` …).
    pub field: &'static str,
    /// Value in A.
    pub a: Option<String>,
    /// Value in B.
    pub b: Option<String>,
    /// True when both values are equal (both absent counts as equal).
    pub same: bool,
    /// The redline from A's value to B's where it reads well: a free-text field (business
    /// types, address, coverage, capital) whose values differ but share most of their text
    /// (`仅限` → `不含`). `None` otherwise: codes, names and dates are only marked as
    /// differing (a character diff of two licence numbers is noise). Not in the JSON, which
    /// carries both values.
    #[serde(skip)]
    pub redline: Option<Vec<Op>>,
}

/// What happened to a provision between A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Same normalized text on both sides.
    Same,
    /// Paired, with different text.
    Changed,
    /// Only in B.
    Added,
    /// Only in A.
    Removed,
}

impl Status {
    /// The lowercase name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Same => "same",
            Status::Changed => "changed",
            Status::Added => "added",
            Status::Removed => "removed",
        }
    }
}

/// One aligned row: a provision of A, of B, or of both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvisionComparison {
    /// What happened.
    pub status: Status,
    /// Id in A (`十五(六)`), if present there.
    pub a: Option<String>,
    /// Id in B, if present there.
    pub b: Option<String>,
    /// Source line in A.
    pub a_line: Option<usize>,
    /// Source line in B.
    pub b_line: Option<usize>,
    /// Content similarity of the pair, 0 to 1 (0 for added and removed rows).
    pub similarity: f64,
    /// Paired under different ids (numbering shifted).
    pub renumbered: bool,
    /// Paired across other pairs (order changed).
    pub moved: bool,
    /// True when a change alters meaning: wording, a number or an obligation. Punctuation,
    /// variant characters and likely OCR slips are not; added and removed provisions are.
    pub substantive: bool,
    /// Classes of the changes, sorted.
    pub classes: Vec<ChangeClass>,
    /// The diff fell back to a coarser level because of its deadline.
    pub coarse: bool,
    /// Diff ops from A's text to B's (for added/removed rows: one insert or delete).
    pub diff: Vec<Op>,
    /// The change hunks of `diff`, classified.
    pub hunks: Vec<Hunk>,
}

impl ProvisionComparison {
    /// Nothing to report: the same text under the same number in the same place. (A
    /// renumbered or moved provision with the same text is `same` but not unchanged.)
    pub fn is_unchanged(&self) -> bool {
        self.status == Status::Same && !self.renumbered && !self.moved
    }

    /// Changed by likely OCR slips and nothing substantive: the rows reports show apart.
    pub fn is_only_ocr_slips(&self) -> bool {
        self.status == Status::Changed
            && !self.substantive
            && self.classes.contains(&ChangeClass::LikelyOcr)
    }

    /// Holds an obligation change ([`ChangeClass::Obligation`]): the rows reports show first.
    pub fn has_obligation_change(&self) -> bool {
        self.classes.contains(&ChangeClass::Obligation)
    }
}

/// Counts over a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Rows with both sides.
    pub pairs: usize,
    /// Rows with status `same`: the same text, perhaps under another number or in another
    /// place.
    pub same: usize,
    /// Rows with nothing to report ([`ProvisionComparison::is_unchanged`]): the rows
    /// `--only-changes` leaves out.
    pub unchanged: usize,
    /// Rows with status `changed`.
    pub changed: usize,
    /// Rows with status `added`.
    pub added: usize,
    /// Rows with status `removed`.
    pub removed: usize,
    /// Pairs whose ids differ.
    pub renumbered: usize,
    /// Pairs that cross others.
    pub moved: usize,
    /// Rows with a substantive difference: added, removed, or changed in a substantive class.
    pub substantive: usize,
    /// Rows with an obligation change (a negation added or removed, must turned into may),
    /// counted among the substantive ones.
    pub obligation: usize,
    /// Changed rows with nothing substantive and likely OCR slips among their changes
    /// ([`ProvisionComparison::is_only_ocr_slips`]).
    pub likely_ocr: usize,
    /// Header fields that differ.
    pub fields_differ: usize,
    /// The verdict, and `compare`'s exit status (1 when true): a provision is added, removed,
    /// or changed substantively (in a class [`ChangeClass::is_substantive`] names: wording, a
    /// number, an obligation). Header fields are reported but do not count (measured against
    /// another company's certificate, such as the regulator's template, every comparison would
    /// differ), nor do cosmetic changes, likely OCR slips, renumbering or a move.
    pub differs: bool,
}

/// Something for each side of a comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Sides<T> {
    /// For A.
    pub a: T,
    /// For B.
    pub b: T,
}

/// The comparison of two certificates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Path of A.
    pub a: String,
    /// Path of B.
    pub b: String,
    /// Header fields on both sides.
    pub fields: Vec<FieldComparison>,
    /// Aligned provisions in reading order.
    pub provisions: Vec<ProvisionComparison>,
    /// Counts.
    pub summary: Summary,
    /// Each side's integrity warnings, as `show` reports them (a truncated file, a provision
    /// that stops mid-sentence, replaced bytes …): a difference may come from damage.
    pub warnings: Sides<Vec<Warning>>,
}

fn field_values(c: &Certificate) -> Vec<(&'static str, Option<String>)> {
    let f = &c.fields;
    let business = (!f.business.is_empty()).then(|| f.business.join("; "));
    vec![
        ("license_no", f.license_no.clone()),
        ("issuer", f.issuer.clone()),
        ("category", f.category.clone()),
        ("company", f.company.clone()),
        ("legal_rep", f.legal_rep.clone()),
        ("registered_capital", f.registered_capital.clone()),
        ("address", f.address.clone()),
        ("business", business),
        ("coverage", f.coverage.clone()),
        ("issued", f.issued.map(|d| d.to_string())),
        ("expires", f.expires.map(|d| d.to_string())),
        ("website_domain", f.website.domain.clone()),
    ]
}

/// Free-text fields whose differences read well as a redline.
const REDLINED_FIELDS: &[&str] = &["business", "address", "coverage", "registered_capital"];

/// The redline of a header field ([`FieldComparison::redline`]): for a free-text field whose
/// values differ and share at least half the characters of the longer one.
fn field_redline(field: &str, a: &str, b: &str, opts: &DiffOptions) -> Option<Vec<Op>> {
    if a == b || !REDLINED_FIELDS.contains(&field) {
        return None;
    }
    let d = diff_text(a, b, opts);
    let equal: usize = d
        .ops
        .iter()
        .filter(|o| o.op == OpKind::Equal)
        .map(|o| o.text.chars().count())
        .sum();
    let longest = a.chars().count().max(b.chars().count());
    (equal * 2 >= longest).then_some(d.ops)
}

fn get(c: &Certificate, at: (usize, Option<usize>)) -> &Provision {
    let top = &c.provisions[at.0];
    match at.1 {
        Some(i) => &top.children[i],
        None => top,
    }
}

fn one_sided(status: Status, p: &Provision) -> ProvisionComparison {
    let (op, a, b, a_line, b_line) = match status {
        Status::Added => (
            OpKind::Insert,
            None,
            Some(p.id.to_string()),
            None,
            Some(p.line),
        ),
        _ => (
            OpKind::Delete,
            Some(p.id.to_string()),
            None,
            Some(p.line),
            None,
        ),
    };
    ProvisionComparison {
        status,
        a,
        b,
        a_line,
        b_line,
        similarity: 0.0,
        renumbered: false,
        moved: false,
        substantive: true,
        classes: Vec::new(),
        coarse: false,
        // A provision may have an empty text (a bare label); ops never carry empty text.
        diff: if p.text.is_empty() {
            Vec::new()
        } else {
            vec![Op {
                op,
                text: p.text.clone(),
            }]
        },
        hunks: Vec::new(),
    }
}

/// Compares two parsed certificates.
pub fn compare(a: &Certificate, b: &Certificate, opts: &CompareOptions) -> Comparison {
    let fields: Vec<FieldComparison> = field_values(a)
        .into_iter()
        .zip(field_values(b))
        .map(|((field, va), (_, vb))| FieldComparison {
            field,
            same: va == vb,
            redline: match (&va, &vb) {
                (Some(a), Some(b)) => field_redline(field, a, b, &opts.diff),
                _ => None,
            },
            a: va,
            b: vb,
        })
        .collect();
    let mut provisions = Vec::new();
    let mut budget = DiffBudget::new(&opts.diff);
    for pair in align_certificates(a, b, &opts.align) {
        let row = match (pair.a, pair.b) {
            (Some(ia), Some(ib)) => {
                let (pa, pb) = (get(a, ia), get(b, ib));
                let uncertain = Uncertain {
                    a: &pa.uncertain,
                    b: &pb.uncertain,
                };
                let d = budget.diff_with(&pa.text, &pb.text, uncertain);
                let status = if d.is_equal() {
                    Status::Same
                } else {
                    Status::Changed
                };
                ProvisionComparison {
                    status,
                    a: Some(pa.id.to_string()),
                    b: Some(pb.id.to_string()),
                    a_line: Some(pa.line),
                    b_line: Some(pb.line),
                    similarity: (pair.similarity * 1000.0).round() / 1000.0,
                    renumbered: pair.renumbered,
                    moved: pair.moved,
                    substantive: d.is_substantive(),
                    classes: d.classes,
                    coarse: d.coarse,
                    diff: d.ops,
                    hunks: d.hunks,
                }
            }
            (Some(ia), None) => one_sided(Status::Removed, get(a, ia)),
            (None, Some(ib)) => one_sided(Status::Added, get(b, ib)),
            (None, None) => continue,
        };
        provisions.push(row);
    }
    let summary = summarize(&fields, &provisions);
    Comparison {
        a: a.path.clone(),
        b: b.path.clone(),
        fields,
        provisions,
        summary,
        warnings: Sides {
            a: a.warnings.clone(),
            b: b.warnings.clone(),
        },
    }
}

impl Summary {
    /// Rows changed substantively, in wording, a number or an obligation (added and removed
    /// rows left out).
    pub fn provisions_substantive(&self) -> usize {
        self.substantive.saturating_sub(self.added + self.removed)
    }
}

fn summarize(fields: &[FieldComparison], rows: &[ProvisionComparison]) -> Summary {
    let mut s = Summary {
        fields_differ: fields.iter().filter(|f| !f.same).count(),
        ..Summary::default()
    };
    for r in rows {
        match r.status {
            Status::Same => s.same += 1,
            Status::Changed => s.changed += 1,
            Status::Added => s.added += 1,
            Status::Removed => s.removed += 1,
        }
        if r.a.is_some() && r.b.is_some() {
            s.pairs += 1;
        }
        s.unchanged += usize::from(r.is_unchanged());
        s.renumbered += usize::from(r.renumbered);
        s.moved += usize::from(r.moved);
        s.substantive += usize::from(r.substantive);
        s.obligation += usize::from(r.has_obligation_change());
        s.likely_ocr += usize::from(r.is_only_ocr_slips());
    }
    s.differs = s.substantive > 0;
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cert(path: &str, text: &str) -> Certificate {
        crate::parse_text(path, text, "UTF-8")
    }

    const BODY: &str = "经营许可证编号:京B2-20224676\n公司名称:甲公司\n发证日期:2023年08月04日\n有效期至:2027年01月29日\n特别规定事项\n一、你公司应当按照《中华人民共和国电信条例》等法律法规要求,严格执行行业管理规定。\n二、你公司应当在变更后30日内向原发证机关报送有关信息。\n三、你公司在经营信息服务业务时应当遵守下列规定:\n(一)对公众帐号和开放平台发布者做好资质审核备案。\n(二)未经批准,你公司不得开展固定网电话信息服务业务。\n";

    #[test]
    fn free_text_fields_that_mostly_agree_get_a_redline() {
        let opts = DiffOptions::default();
        let ops = field_redline(
            "business",
            "仅限互联网信息服务",
            "不含互联网信息服务",
            &opts,
        )
        .expect("a redline");
        let deleted: String = ops
            .iter()
            .filter(|o| o.op == OpKind::Delete)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(deleted, "仅限");
        // Codes, names and dates are only marked; so are texts that share too little.
        assert_eq!(field_redline("license_no", "京B2-1", "京B2-2", &opts), None);
        assert_eq!(
            field_redline("address", "北京市海淀区", "上海市浦东", &opts),
            None
        );
        assert_eq!(field_redline("address", "北京", "北京", &opts), None);
        let b = BODY.replace("甲公司", "乙公司");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        let company = c.fields.iter().find(|f| f.field == "company").unwrap();
        assert!(!company.same);
        assert_eq!(company.redline, None);
    }

    #[test]
    fn identical_certificates_do_not_differ() {
        let c = compare(&cert("a", BODY), &cert("b", BODY), &Default::default());
        assert!(!c.summary.differs);
        assert_eq!(c.summary.same, 5);
        assert!(c.fields.iter().all(|f| f.same));
    }

    #[test]
    fn number_and_variant_changes_are_classified() {
        let b = BODY.replace("30日内", "60日内").replace("帐号", "账号");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        let changed: Vec<&ProvisionComparison> = c
            .provisions
            .iter()
            .filter(|p| p.status == Status::Changed)
            .collect();
        assert_eq!(changed.len(), 2);
        assert_eq!(changed[0].a.as_deref(), Some("二"));
        assert_eq!(changed[0].classes, vec![ChangeClass::Number]);
        assert!(changed[0].substantive);
        assert_eq!(changed[1].a.as_deref(), Some("三(一)"));
        assert_eq!(changed[1].classes, vec![ChangeClass::VariantChar]);
        assert!(!changed[1].substantive);
        assert!(c.summary.differs);
    }

    #[test]
    fn cosmetic_only_change_does_not_differ() {
        let b = BODY.replace("帐号", "账号");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        assert_eq!(c.summary.changed, 1);
        assert!(!c.summary.differs);
    }

    #[test]
    fn field_differences_are_counted_but_do_not_differ() {
        let b = BODY.replace("甲公司", "乙公司");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        assert_eq!(c.summary.fields_differ, 1);
        assert!(!c.summary.differs);
    }

    #[test]
    fn ocr_slips_do_not_differ_and_obligation_changes_do() {
        // 覆 read as 履, an added 和: slips the engine makes.
        let b = BODY
            .replace("等法律法规", "等法律和法规")
            .replace("资质审核", "资质审和核");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        assert_eq!((c.summary.changed, c.summary.likely_ocr), (2, 2));
        assert!(!c.summary.differs);
        let slips: Vec<&ProvisionComparison> = c
            .provisions
            .iter()
            .filter(|p| p.is_only_ocr_slips())
            .collect();
        assert_eq!(slips.len(), 2);
        assert!(
            slips
                .iter()
                .all(|p| p.classes == vec![ChangeClass::LikelyOcr])
        );
        let b = BODY.replace("你公司不得开展", "你公司得开展");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        assert_eq!((c.summary.obligation, c.summary.substantive), (1, 1));
        assert!(c.summary.differs);
    }

    #[test]
    fn characters_the_engine_doubted_are_slips() {
        let b = BODY.replace("资质审核", "资质审杨");
        let (ca, mut cb) = (cert("a", BODY), cert("b", &b));
        let c = compare(&ca, &cb, &Default::default());
        assert!(c.summary.differs);
        let item = &mut cb.provisions[2].children[0];
        let at = item.text.chars().position(|ch| ch == '杨');
        item.uncertain = at.map(|k| k as u32).into_iter().collect();
        let c = compare(&ca, &cb, &Default::default());
        assert!(!c.summary.differs);
        assert_eq!(c.summary.likely_ocr, 1);
    }

    #[test]
    fn an_added_provision_differs() {
        let b = format!("{BODY}四、你公司应当每年报送年度报告。\n");
        let c = compare(&cert("a", BODY), &cert("b", &b), &Default::default());
        assert_eq!((c.summary.added, c.summary.substantive), (1, 1));
        assert!(c.summary.differs);
    }
}
