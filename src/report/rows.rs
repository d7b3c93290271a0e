//! The rows of table-shaped output (terminal tables, Markdown tables, CSV), built once per
//! report: each format lays them out and escapes the cells as it must.

use crate::compare::{Comparison, FieldComparison, ProvisionComparison, Status};
use crate::corpus::duplicates::Duplicate;
use crate::diff::ChangeClass;
use crate::drift::{DocumentDeviations, DriftReport, SlotReport};
use crate::model::Certificate;
use crate::report::words::{
    canonical_percent, compare_change, drift_by_group_text, variant_change, variant_groups, years,
};
use crate::report::{CompareView, field_label, share_percent};

/// The header fields as (label, value) rows, in cover-page order, labelled as
/// [`FIELD_LABELS`](crate::report::FIELD_LABELS) says; absent fields are left out.
pub(crate) fn show_fields(cert: &Certificate) -> Vec<(&'static str, String)> {
    let f = &cert.fields;
    let mut rows: Vec<(&'static str, String)> = Vec::new();
    let mut push = |key: &'static str, v: Option<String>| {
        if let Some(v) = v {
            rows.push((field_label(key), v));
        }
    };
    push("license_no", f.license_no.clone());
    push(
        "issuer",
        f.issuer.clone().map(|i| {
            let mut s = i;
            if let Some(c) = &f.category {
                s.push_str(&format!(" · {c}"));
            }
            if let Some(y) = f.number_year {
                s.push_str(&format!(" · number year {y}"));
            }
            if f.cross_regional {
                s.push_str(" · cross-regional");
            }
            s
        }),
    );
    push("company", f.company.clone());
    push("legal_rep", f.legal_rep.clone());
    push("registered_capital", f.registered_capital.clone());
    push("address", f.address.clone());
    push(
        "business",
        (!f.business.is_empty()).then(|| f.business.join("\n")),
    );
    push("coverage", f.coverage.clone());
    push("signatory", f.signatory.clone());
    push("issued", f.issued.map(|d| d.to_string()));
    push("expires", f.expires.map(|d| d.to_string()));
    push("website", f.website.name.clone());
    push("website_domain", f.website.domain.clone());
    push("server_location", f.website.server_location.clone());
    push("access_provider", f.website.access_provider.clone());
    rows
}

/// The header fields a comparison lists: those present on either side, in order.
pub(crate) fn compare_fields(c: &Comparison) -> impl Iterator<Item = &FieldComparison> {
    c.fields.iter().filter(|f| f.a.is_some() || f.b.is_some())
}

/// The provision rows a view of a comparison lists: all, or with `only_changes` those not
/// unchanged ([`ProvisionComparison::is_unchanged`]).
pub(crate) fn compare_provisions<'a>(
    c: &'a Comparison,
    view: &CompareView,
) -> impl Iterator<Item = &'a ProvisionComparison> {
    let only_changes = view.only_changes;
    c.provisions
        .iter()
        .filter(move |p| !(only_changes && p.is_unchanged()))
}

/// One row per provision a view lists: status, A's id, B's id, similarity (of pairs), change.
pub(crate) fn compare_rows(c: &Comparison, view: &CompareView) -> Vec<[String; 5]> {
    compare_provisions(c, view)
        .map(|p| {
            let sim = if p.a.is_some() && p.b.is_some() {
                format!("{:.2}", p.similarity)
            } else {
                String::new()
            };
            [
                p.status.as_str().to_string(),
                p.a.clone().unwrap_or_default(),
                p.b.clone().unwrap_or_default(),
                sim,
                compare_change(p),
            ]
        })
        .collect()
}

/// The rows that are not the same on both sides, as the reports list their changes: those
/// with an obligation change first, then the others in report order; and apart, the rows
/// changed only by likely OCR slips ([`ProvisionComparison::is_only_ocr_slips`]).
pub(crate) fn compare_changes(
    c: &Comparison,
) -> (Vec<&ProvisionComparison>, Vec<&ProvisionComparison>) {
    let rows = || c.provisions.iter().filter(|p| p.status != Status::Same);
    let first = rows().filter(|p| p.has_obligation_change());
    let rest = rows().filter(|p| !p.has_obligation_change() && !p.is_only_ocr_slips());
    (
        first.chain(rest).collect(),
        rows().filter(|p| p.is_only_ocr_slips()).collect(),
    )
}

/// One flag per hunk of a row: is it a likely OCR slip (for the redline to mark apart).
pub(crate) fn slips(p: &ProvisionComparison) -> Vec<bool> {
    p.hunks
        .iter()
        .map(|h| h.class == ChangeClass::LikelyOcr)
        .collect()
}

/// Column heads of [`slot_rows`].
pub(crate) const SLOT_HEADER: [&str; 5] =
    ["slot", "docs", "wordings", "canonical", "drift by group"];

/// One row per slot: its name, carriers, wordings, canonical share, and the groups that use
/// another wording, cut to `max` columns.
pub(crate) fn slot_rows(r: &DriftReport, max: Option<usize>) -> Vec<[String; 5]> {
    r.slots
        .iter()
        .map(|s| {
            [
                s.slot.clone(),
                s.present.to_string(),
                s.variants.len().to_string(),
                canonical_percent(s),
                drift_by_group_text(s, max),
            ]
        })
        .collect()
}

/// Column heads of [`variant_rows`].
pub(crate) const VARIANT_HEADER: [&str; 6] = ["#", "docs", "share", "years", "groups", "change"];

/// One row per wording of a slot, the first `shown`: its number, carriers, share, years, the
/// groups that carry it (cut to `max` columns) and what it changes.
pub(crate) fn variant_rows(s: &SlotReport, shown: usize, max: Option<usize>) -> Vec<[String; 6]> {
    s.variants
        .iter()
        .take(shown)
        .enumerate()
        .map(|(i, v)| {
            [
                (i + 1).to_string(),
                v.count.to_string(),
                share_percent(v.count, s.present),
                years(v).unwrap_or_default(),
                variant_groups(v, max),
                variant_change(v),
            ]
        })
        .collect()
}

/// Column heads of the `--against` table: the certificate, then [`against_counts`].
pub(crate) const AGAINST_HEADER: [&str; 4] = [
    "certificate",
    "deviations",
    "substantive",
    "blocks not applicable",
];

/// A certificate's counts in the `--against` table: deviations, substantive ones, blocks not
/// applicable.
pub(crate) fn against_counts(d: &DocumentDeviations) -> [String; 3] {
    [
        d.deviations.len().to_string(),
        d.deviations
            .iter()
            .filter(|x| x.substantive)
            .count()
            .to_string(),
        d.not_applicable.len().to_string(),
    ]
}

/// One row per file of a possible duplicate: the licence number, the path, the issue date.
pub(crate) fn duplicate_rows(duplicates: &[Duplicate]) -> Vec<[String; 3]> {
    duplicates
        .iter()
        .flat_map(|d| {
            d.documents.iter().map(|f| {
                [
                    d.license_no.clone(),
                    f.path.clone(),
                    f.issued.map(|i| i.to_string()).unwrap_or_default(),
                ]
            })
        })
        .collect()
}
