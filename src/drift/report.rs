//! Report building: each slot's wordings grouped into variants (the canonical one first, the
//! others diffed against it), their members, counts by group and years, the duplicates and
//! the totals.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::diff::{DiffBudget, is_lookalike_pair};

use super::intern::{FastHash, TextId};
use super::names::slot_names;
use super::slots::{Placed, SlotSet};
use super::{
    DocumentInfo, DriftBuilder, DriftOptions, DriftReport, DriftSummary, Member, SCHEMA,
    SlotReport, Variant,
};

/// One signature's provision in a slot: (index in [`Placed::sigs`], index in [`Doc::lines`],
/// text). It stands for every document of that signature.
pub(super) type SlotEntry = (usize, usize, TextId);

pub(super) fn build_report(
    b: &DriftBuilder,
    slots: &SlotSet,
    placed: &Placed,
    opts: &DriftOptions,
) -> DriftReport {
    let docs = &b.docs;
    let sigs = &placed.sigs;
    // Entries of every slot, one per signature (not per document).
    let mut entries: Vec<Vec<SlotEntry>> = vec![Vec::new(); slots.slots.len()];
    for (si, placements) in placed.placements.iter().enumerate() {
        let items = &b.shapes[sigs[si].shape as usize];
        for p in placements {
            entries[p.slot].push((si, p.flat, p.item(items).text));
        }
    }
    let weight = |e: &SlotEntry| sigs[e.0].docs.len();
    let present: Vec<usize> = entries
        .iter()
        .map(|es| es.iter().map(weight).sum())
        .collect();
    // Group keys are made once per distinct issuer and year (a few hundred pairs, not one
    // key per document).
    let mut pairs: HashMap<(Option<&str>, Option<u16>), usize, FastHash> = HashMap::default();
    let mut pair_docs: Vec<(String, usize)> = Vec::new();
    let doc_pair: Vec<usize> = docs
        .iter()
        .map(|d| {
            let pair = (d.issuer.as_deref(), d.year);
            let p = *pairs.entry(pair).or_insert_with(|| {
                pair_docs.push((opts.by.key(pair.0, pair.1), 0));
                pair_docs.len() - 1
            });
            pair_docs[p].1 += 1;
            p
        })
        .collect();
    let mut group_sizes: BTreeMap<String, usize> = BTreeMap::new();
    for (key, n) in &pair_docs {
        *group_sizes.entry(key.clone()).or_default() += n;
    }
    // Each document's group as its rank among the sorted group keys, so that counting a
    // member is an array increment.
    let rank: HashMap<&str, usize> = group_sizes
        .keys()
        .enumerate()
        .map(|(i, g)| (g.as_str(), i))
        .collect();
    let pair_rank: Vec<usize> = pair_docs
        .iter()
        .map(|(key, _)| rank[key.as_str()])
        .collect();
    let group_of: Vec<usize> = doc_pair.iter().map(|&p| pair_rank[p]).collect();
    let group_names: Vec<&String> = group_sizes.keys().collect();
    let order: Vec<usize> = slots
        .reading_order()
        .into_iter()
        .filter(|&s| !entries[s].is_empty())
        .collect();
    let names = slot_names(b, slots, &order, placed, &entries, &present);
    let mut budget = DiffBudget::new(&opts.diff);
    let mut reports = Vec::with_capacity(order.len());
    // Per report: its slot, and per variant the entries that carry it.
    let mut variant_entries: Vec<(usize, Vec<Vec<usize>>)> = Vec::with_capacity(order.len());
    for &s in &order {
        let m = &entries[s];
        let mut by_text: HashMap<TextId, Vec<usize>> = HashMap::new();
        for (i, &(_, _, t)) in m.iter().enumerate() {
            by_text.entry(t).or_default().push(i);
        }
        // (text, entries, documents carrying it)
        let mut groups: Vec<(TextId, Vec<usize>, usize)> = by_text
            .into_iter()
            .map(|(t, idx)| {
                let n = idx.iter().map(|&i| weight(&m[i])).sum();
                (t, idx, n)
            })
            .collect();
        groups.sort_by(|(ta, _, a), (tb, _, bn)| {
            bn.cmp(a)
                .then_with(|| b.texts.get(*ta).cmp(b.texts.get(*tb)))
        });
        let canonical_text = groups[0].0;
        let present = present[s];
        let common: Vec<TextId> = groups
            .iter()
            .filter(|&&(_, _, n)| n >= 2)
            .map(|(t, _, _)| *t)
            .collect();
        let variants: Vec<Variant> = groups
            .iter()
            .enumerate()
            .map(|(vi, (t, _, count))| {
                let text = b.texts.get(*t);
                let (diff, classes, substantive) = if vi == 0 {
                    (Vec::new(), Vec::new(), false)
                } else {
                    let d = budget.diff(b.texts.get(canonical_text), text);
                    let sub = d.is_substantive();
                    (d.ops, d.classes, sub)
                };
                let ocr_suspect = *count == 1
                    && common.iter().any(|&c| {
                        c != *t && one_lookalike_apart(b.texts.get(c), text) && {
                            let d = budget.diff(b.texts.get(c), text);
                            d.hunks.len() == 1 && d.hunks[0].lookalike
                        }
                    });
                // Members, groups and years are filled in below, for all slots in parallel.
                Variant {
                    count: *count,
                    share: round3(*count as f64 / present as f64),
                    canonical: vi == 0,
                    text: text.to_string(),
                    diff,
                    classes,
                    substantive,
                    ocr_suspect,
                    first_year: None,
                    last_year: None,
                    by_group: BTreeMap::new(),
                    members: Vec::new(),
                }
            })
            .collect();
        variant_entries.push((s, groups.into_iter().map(|(_, idx, _)| idx).collect()));
        let (name, note) = names[&s].clone();
        reports.push(SlotReport {
            slot: name,
            note,
            parent: slots.slots[s].parent.map(|p| names[&p].0.clone()),
            present,
            drifting: variants.len() > 1,
            canonical_share: variants[0].share,
            variants,
        });
    }
    // Each document's signature, so that a slot's members are found by one pass over the
    // documents in path order instead of gathered per signature and sorted.
    let mut doc_sig = vec![0u32; docs.len()];
    for (si, sig) in sigs.iter().enumerate() {
        let si = u32::try_from(si).expect("fewer than 2^32 signatures");
        for &d in &sig.docs {
            doc_sig[d as usize] = si;
        }
    }
    // One member per document: millions on a national corpus, so built on every core.
    reports
        .par_iter_mut()
        .zip(&variant_entries)
        .for_each(|(report, (s, variants))| {
            // Per signature: the variant it carries in this slot and where (a document
            // carries a slot at most once).
            let mut carried: Vec<Option<(usize, usize)>> = vec![None; sigs.len()];
            for (vi, idx) in variants.iter().enumerate() {
                for &i in idx {
                    let (si, flat, _) = entries[*s][i];
                    debug_assert!(carried[si].is_none());
                    carried[si] = Some((vi, flat));
                }
            }
            let mut by_group = vec![vec![0usize; group_names.len()]; variants.len()];
            let keep = opts.max_members.unwrap_or(usize::MAX);
            for v in &mut report.variants {
                v.members.reserve_exact(v.count.min(keep));
            }
            // Documents are in path order: so are the members.
            for (d, doc) in docs.iter().enumerate() {
                let Some((vi, flat)) = carried[doc_sig[d] as usize] else {
                    continue;
                };
                let v = &mut report.variants[vi];
                by_group[vi][group_of[d]] += 1;
                if let Some(y) = doc.year {
                    v.first_year = Some(v.first_year.map_or(y, |f| f.min(y)));
                    v.last_year = Some(v.last_year.map_or(y, |l| l.max(y)));
                }
                if v.members.len() < keep {
                    v.members.push(Member {
                        path: doc.path.clone(),
                        id: b.id_of(doc, flat),
                        line: doc.lines[flat],
                    });
                }
            }
            for (v, counts) in report.variants.iter_mut().zip(by_group) {
                v.by_group = counts
                    .iter()
                    .zip(&group_names)
                    .filter(|&(&n, _)| n > 0)
                    .map(|(&n, &g)| (g.clone(), n))
                    .collect();
            }
        });
    let duplicates = crate::duplicates::find(
        docs.iter()
            .map(|d| (&*d.path, d.license_no.as_deref(), d.issued)),
    );
    let summary = DriftSummary {
        duplicates: duplicates.len(),
        documents: docs.len(),
        errors: b.errors.len(),
        slots: reports.len(),
        drifting_slots: reports.iter().filter(|r| r.drifting).count(),
        ocr_suspects: reports
            .iter()
            .flat_map(|r| &r.variants)
            .filter(|v| v.ocr_suspect)
            .count(),
    };
    // Three strings per document: made on every core.
    let documents = docs
        .par_iter()
        .map(|d| DocumentInfo {
            path: d.path.to_string(),
            license_no: d.license_no.clone(),
            issuer: d.issuer.clone(),
            year: d.year,
        })
        .collect();
    DriftReport {
        schema: SCHEMA,
        by: opts.by,
        documents,
        errors: b.errors.clone(),
        duplicates,
        groups: group_sizes.keys().cloned().collect(),
        group_sizes,
        slots: reports,
        summary,
    }
}

/// True when `a` and `b` have the same number of characters and differ in exactly one
/// position, by a known OCR look-alike pair. A diff whose only hunk is a look-alike
/// replacement implies this, so it is a cheap filter in front of that diff: a slot can have
/// thousands of one-off wordings.
pub(super) fn one_lookalike_apart(a: &str, b: &str) -> bool {
    let (mut x, mut y) = (a.chars(), b.chars());
    let mut found = false;
    loop {
        match (x.next(), y.next()) {
            (None, None) => return found,
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) if !found && is_lookalike_pair(p, q) => found = true,
            _ => return false,
        }
    }
}

pub(super) fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
