//! What the reports say, in every format: summary lines, verdicts, what a change is, labels of
//! clauses and blocks. A sentence that two formats print is written here once.

use crate::compare::{Comparison, ProvisionComparison, Summary};
use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{
    Deviation, DeviationStatus, DriftReport, SkipReason, SkippedBlock, SlotReport, Variant,
};
use crate::model::Warning;
use crate::report::{join_fitting, share_percent};
use crate::scan::ScanRecord;

/// A short description of a row: its change classes and its flags.
pub(crate) fn compare_change(p: &ProvisionComparison) -> String {
    let mut parts: Vec<String> = p.classes.iter().map(|c| c.label().to_string()).collect();
    if p.renumbered {
        parts.push("renumbered".into());
    }
    if p.moved {
        parts.push("moved".into());
    }
    if p.coarse {
        parts.push("coarse diff".into());
    }
    parts.join(", ")
}

/// What stands in for the provisions table when `--only-changes` leaves every row out.
pub(crate) fn all_unchanged(c: &Comparison) -> String {
    format!(
        "All {} provisions are unchanged (the same text under the same number in the same place).",
        c.provisions.len()
    )
}

/// The note under a provisions table that leaves `hidden` unchanged rows out.
pub(crate) fn not_shown(hidden: usize) -> String {
    format!(
        "{hidden} unchanged provision{} not shown",
        if hidden == 1 { "" } else { "s" }
    )
}

/// The verdict [`Summary::differs`](crate::compare::Summary::differs) gives, in words, without
/// the exit status: `Substantive differences in the provisions`.
pub(crate) fn verdict(s: &Summary) -> &'static str {
    if s.differs {
        "Substantive differences in the provisions"
    } else {
        "No substantive difference in the provisions"
    }
}

/// The exit status `compare` gives: the verdict as a number.
pub(crate) fn exit_status(s: &Summary) -> u8 {
    u8::from(s.differs)
}

/// What decides the exit status, in words, for reports that show it.
pub(crate) const EXIT_RULE: &str = "The exit status is 1 when a provision is added, removed, or changed in wording, a number or an obligation, else 0. Header fields, punctuation, variant characters, likely OCR slips, renumbering and moves are reported but do not count.";

/// One line summing up the comparison: the counts, then the verdict and the exit status.
pub(crate) fn compare_summary(c: &Comparison) -> String {
    let s = &c.summary;
    let mut changed = format!("{} substantive", s.provisions_substantive());
    if s.obligation > 0 {
        changed.push_str(&format!(", {} with an obligation change", s.obligation));
    }
    if s.likely_ocr > 0 {
        changed.push_str(&format!("; {} with only likely OCR slips", s.likely_ocr));
    }
    format!(
        "{} pairs: {} same, {} changed ({changed}); {} added, {} removed; {} renumbered, {} moved; {} header field{} differ{}. {} (exit status {}).",
        s.pairs,
        s.same,
        s.changed,
        s.added,
        s.removed,
        s.renumbered,
        s.moved,
        s.fields_differ,
        if s.fields_differ == 1 { "" } else { "s" },
        if s.fields_differ == 1 { "s" } else { "" },
        verdict(s),
        exit_status(s)
    )
}

/// What the plain and Markdown redlines mark a likely OCR slip with, said once where one is
/// shown.
pub(crate) const SLIP_LEGEND: &str =
    "{~A→B~} marks a likely OCR slip, A read as B: not substantive";

/// Each side's integrity warnings, A's first: (`A` or `B`, the side's path, the warning).
pub(crate) fn compare_warnings(c: &Comparison) -> Vec<(&'static str, &str, &Warning)> {
    let a = c.warnings.a.iter().map(|w| ("A", c.a.as_str(), w));
    let b = c.warnings.b.iter().map(|w| ("B", c.b.as_str(), w));
    a.chain(b).collect()
}

/// A warning about a file as the text reports print it: `warning: PATH:LINE: message`.
pub(crate) fn warning_line(path: &str, w: &Warning) -> String {
    match w.line {
        Some(l) => format!("warning: {path}:{l}: {}", w.message),
        None => format!("warning: {path}: {}", w.message),
    }
}

/// Change classes for people: `number, variant character`.
pub(crate) fn class_labels(classes: &[ChangeClass]) -> String {
    classes
        .iter()
        .map(|c| c.label())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a variant changes, in words: its classes and the OCR flag.
pub(crate) fn variant_change(v: &Variant) -> String {
    if v.canonical {
        return "canonical".into();
    }
    let mut s = class_labels(&v.classes);
    if v.ocr_suspect {
        s.push_str(if s.is_empty() {
            "likely OCR error"
        } else {
            "; likely OCR error"
        });
    }
    s
}

/// The years of the certificates that carry a variant: `2020`, `2018–2023`; `None` when
/// none is known.
pub(crate) fn years(v: &Variant) -> Option<String> {
    match (v.first_year, v.last_year) {
        (Some(a), Some(b)) if a == b => Some(a.to_string()),
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        _ => None,
    }
}

/// The groups that carry a variant, with their counts: `北京 (2), 江苏 (1)`, cut to `max`
/// columns as [`join_fitting`] cuts.
pub(crate) fn variant_groups(v: &Variant, max: Option<usize>) -> String {
    let parts: Vec<String> = v
        .by_group
        .iter()
        .map(|(g, n)| format!("{g} ({n})"))
        .collect();
    join_fitting(&parts, max)
}

/// The canonical wording's share of a slot's carriers, as every format shows it.
pub(crate) fn canonical_percent(s: &SlotReport) -> String {
    share_percent(s.variants.first().map_or(0, |v| v.count), s.present)
}

/// Groups whose members carry a non-canonical wording: `江苏 2/2` = 2 of the 2 documents of
/// that group carrying this clause use another wording.
pub(crate) fn drift_by_group(s: &SlotReport) -> Vec<(String, usize, usize)> {
    let mut total: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut off: std::collections::BTreeMap<&str, usize> = Default::default();
    for v in &s.variants {
        for (g, n) in &v.by_group {
            *total.entry(g).or_default() += n;
            if !v.canonical {
                *off.entry(g).or_default() += n;
            }
        }
    }
    off.into_iter()
        .map(|(g, n)| (g.to_string(), n, total[g]))
        .collect()
}

/// [`drift_by_group`] as one item per group: `江苏 1/2`.
pub(crate) fn drift_by_group_items(s: &SlotReport) -> Vec<String> {
    drift_by_group(s)
        .iter()
        .map(|(g, n, t)| format!("{g} {n}/{t}"))
        .collect()
}

/// [`drift_by_group`] as text, `江苏 1/2, 北京 1/1`, cut to `max` columns as
/// [`join_fitting`] cuts.
pub(crate) fn drift_by_group_text(s: &SlotReport, max: Option<usize>) -> String {
    join_fitting(&drift_by_group_items(s), max)
}

/// One line with the totals.
pub(crate) fn drift_summary(r: &DriftReport) -> String {
    let s = &r.summary;
    format!(
        "{} documents, {} failed; {} slots, {} with more than one wording; {} likely OCR errors",
        s.documents, s.errors, s.slots, s.drifting_slots, s.ocr_suspects
    )
}

/// The line saying how many of a slot's wordings are not listed when `shown` are, if any.
pub(crate) fn more_wordings(s: &SlotReport, shown: usize) -> Option<String> {
    let more = s.variants.len().saturating_sub(shown);
    (more > 0).then(|| {
        format!(
            "  … {more} more wording{} (see --format json or csv)",
            if more == 1 { "" } else { "s" }
        )
    })
}

/// ` … and N more` after a list that leaves `n` out, or nothing.
pub(crate) fn and_more(n: usize) -> String {
    if n > 0 {
        format!(" … and {n} more")
    } else {
        String::new()
    }
}

/// A clause of an `--against` deviation, saying whose id is whose: `七` when both number it
/// alike, `ref 十六(六) = own 十五(六)` when they do not, `ref 十五(三)` for a missing clause
/// and `own 十七` for an extra one.
pub(crate) fn clause_label(d: &Deviation) -> String {
    match (d.reference_id, d.id) {
        (Some(r), Some(o)) if r == o => o.to_string(),
        (Some(r), Some(o)) => format!("ref {r} = own {o}"),
        (Some(r), None) => format!("ref {r}"),
        (None, Some(o)) => format!("own {o}"),
        (None, None) => d.slot.clone(),
    }
}

/// What a deviation is, in words: its change classes, or `missing` / `extra`.
pub(crate) fn deviation_kind(d: &Deviation) -> String {
    match d.status {
        DeviationStatus::Changed if !d.classes.is_empty() => class_labels(&d.classes),
        status => status.as_str().to_string(),
    }
}

/// A skipped business-type block, in words: `block 十五 [在线数据处理与交易处理业务] not
/// applicable: the certificate does not hold this business type (ref 十五, 8 clauses)`.
pub(crate) fn skipped_text(k: &SkippedBlock) -> String {
    let block = if k.slot.contains(&k.business) {
        k.slot.clone()
    } else {
        format!("{} [{}]", k.slot, k.business)
    };
    let (who, id) = match k.reason {
        SkipReason::CertificateLacksBusiness => {
            ("certificate", k.reference_id.map(|i| format!("ref {i}")))
        }
        SkipReason::ReferenceLacksBusiness => ("reference", k.id.map(|i| format!("own {i}"))),
    };
    let clauses = if k.clauses == 1 {
        "1 clause".to_string()
    } else {
        format!("{} clauses", k.clauses)
    };
    let id = id.map(|i| format!("{i}, ")).unwrap_or_default();
    format!(
        "block {block} not applicable: the {who} does not hold this business type ({id}{clauses})"
    )
}

/// What the ids of the against view mean.
pub(crate) const ID_NOTE: &str =
    "ref: the reference's id of a clause; own: the certificate's own id";

/// `Possible duplicates: 2 licence numbers held by more than one file (…)`.
pub(crate) fn duplicates_heading(n: usize) -> String {
    format!(
        "Possible duplicates: {n} licence {} held by more than one file (the same licence read twice, or a renewal)",
        if n == 1 { "number" } else { "numbers" }
    )
}

/// The files of a duplicate with their issue dates: `a.txt (issued 2023-08-04), b.txt (…)`.
pub(crate) fn duplicate_files(d: &Duplicate) -> String {
    d.documents
        .iter()
        .map(|f| match f.issued {
            Some(i) => format!("{} (issued {i})", f.path),
            None => format!("{} (no issue date)", f.path),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `N files, N ok, N failed, N with warnings`.
pub(crate) fn scan_summary(records: &[ScanRecord]) -> String {
    let ok = records.iter().filter(|r| r.is_ok()).count();
    let warned = records.iter().filter(|r| !r.warnings.is_empty()).count();
    format!(
        "{} file{}, {ok} ok, {} failed, {warned} with warnings",
        records.len(),
        if records.len() == 1 { "" } else { "s" },
        records.len() - ok,
    )
}
