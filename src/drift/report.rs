//! Report building: each slot's wordings grouped into variants (the canonical one first, the
//! others diffed against it), their members, counts by group and years, the duplicates and
//! the totals.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;

use crate::corpus::FileError;
use crate::diff::{DiffBudget, is_lookalike_pair};

use super::intern::{Doc, FastHash, TextId};
use super::names::SlotNames;
use super::slots::Layout;
use super::{
    DocumentInfo, DriftOptions, DriftReport, DriftSummary, GroupBy, Member, SCHEMA, SlotReport,
    Variant,
};

/// One signature's provision in a slot. It stands for every document of that signature.
#[derive(Debug, Clone, Copy)]
pub(super) struct SlotEntry {
    /// The signature, as an index in [`Placed::sigs`](super::slots::Placed::sigs).
    pub(super) sig: usize,
    /// The provision's index in reading order (see [`Doc::lines`]).
    pub(super) flat: usize,
    pub(super) text: TextId,
}

/// What every slot holds, one entry per signature (not per document).
pub(super) struct SlotContents {
    /// Per slot, indexed as the slots are.
    pub(super) entries: Vec<Vec<SlotEntry>>,
    /// Per slot, the documents that carry it.
    pub(super) present: Vec<usize>,
    /// The slots some document carries, in reading order: the slots of the report.
    pub(super) order: Vec<usize>,
}

impl SlotContents {
    pub(super) fn new(layout: &Layout) -> SlotContents {
        let sigs = &layout.placed.sigs;
        let mut entries: Vec<Vec<SlotEntry>> = vec![Vec::new(); layout.slots.slots.len()];
        for (si, placements) in layout.placed.placements.iter().enumerate() {
            let items = layout.interned.items(sigs[si].shape);
            for p in placements {
                entries[p.slot].push(SlotEntry {
                    sig: si,
                    flat: p.flat,
                    text: p.item(items).text,
                });
            }
        }
        let present = entries
            .iter()
            .map(|es| es.iter().map(|e| sigs[e.sig].docs.len()).sum())
            .collect();
        let order = layout
            .slots
            .reading_order()
            .into_iter()
            .filter(|&s| !entries[s].is_empty())
            .collect();
        SlotContents {
            entries,
            present,
            order,
        }
    }
}

/// The group of every document: its issuer, its year or both (see [`GroupBy`]).
struct Groups {
    /// Documents per group key, sorted by key.
    sizes: BTreeMap<String, usize>,
    /// Each document's group as its rank among the sorted keys, so that counting a member is
    /// an array increment.
    of_doc: Vec<usize>,
}

impl Groups {
    fn new(docs: &[Doc], by: GroupBy) -> Groups {
        // Keys are made once per distinct issuer and year (a few hundred pairs, not one key
        // per document).
        let mut pairs: HashMap<(Option<&str>, Option<u16>), usize, FastHash> = HashMap::default();
        let mut pair_docs: Vec<(String, usize)> = Vec::new();
        let doc_pair: Vec<usize> = docs
            .iter()
            .map(|d| {
                let pair = (d.issuer.as_deref(), d.year);
                let p = *pairs.entry(pair).or_insert_with(|| {
                    pair_docs.push((by.key(pair.0, pair.1), 0));
                    pair_docs.len() - 1
                });
                pair_docs[p].1 += 1;
                p
            })
            .collect();
        let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
        for (key, n) in &pair_docs {
            *sizes.entry(key.clone()).or_default() += n;
        }
        let rank: HashMap<&str, usize> = sizes
            .keys()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        let pair_rank: Vec<usize> = pair_docs
            .iter()
            .map(|(key, _)| rank[key.as_str()])
            .collect();
        let of_doc = doc_pair.iter().map(|&p| pair_rank[p]).collect();
        Groups { sizes, of_doc }
    }
}

/// One wording of a slot: its text, the entries that carry it (indices in the slot's
/// entries) and the documents they stand for.
struct Wording {
    text: TextId,
    entries: Vec<usize>,
    count: usize,
}

/// The wordings of slot `s`, the most common first (ties by text).
fn wordings(layout: &Layout, contents: &SlotContents, s: usize) -> Vec<Wording> {
    let entries = &contents.entries[s];
    let mut by_text: HashMap<TextId, Vec<usize>> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        by_text.entry(e.text).or_default().push(i);
    }
    let sigs = &layout.placed.sigs;
    let mut wordings: Vec<Wording> = by_text
        .into_iter()
        .map(|(text, idx)| Wording {
            text,
            count: idx.iter().map(|&i| sigs[entries[i].sig].docs.len()).sum(),
            entries: idx,
        })
        .collect();
    let text = |t| layout.interned.text(t);
    wordings.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| text(a.text).cmp(text(b.text)))
    });
    wordings
}

/// The variants of a slot's `wordings` (the first canonical) among `present` documents, each
/// diffed against the canonical one and checked for a likely OCR error; members, groups and
/// years are filled in by [`fill_members`].
fn variants(
    layout: &Layout,
    wordings: &[Wording],
    present: usize,
    budget: &mut DiffBudget,
) -> Vec<Variant> {
    let text = |t| layout.interned.text(t);
    let canonical_text = wordings[0].text;
    let common: Vec<TextId> = wordings
        .iter()
        .filter(|w| w.count >= 2)
        .map(|w| w.text)
        .collect();
    wordings
        .iter()
        .enumerate()
        .map(|(vi, w)| {
            let this = text(w.text);
            let (diff, classes, substantive) = if vi == 0 {
                (Vec::new(), Vec::new(), false)
            } else {
                let d = budget.diff(text(canonical_text), this);
                let sub = d.is_substantive();
                (d.ops, d.classes, sub)
            };
            let ocr_suspect = w.count == 1
                && common.iter().any(|&c| {
                    c != w.text && one_lookalike_apart(text(c), this) && {
                        let d = budget.diff(text(c), this);
                        d.hunks.len() == 1 && d.hunks[0].lookalike
                    }
                });
            Variant {
                count: w.count,
                share: round3(w.count as f64 / present as f64),
                canonical: vi == 0,
                text: this.to_string(),
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
        .collect()
}

/// A slot of the report with, per variant, the entries of the slot that carry it.
struct Carriers<'a> {
    entries: &'a [SlotEntry],
    by_variant: Vec<Vec<usize>>,
}

/// Fills in the members, counts by group and first and last years of every variant of
/// `report`: one pass over the documents in path order.
fn fill_members(
    layout: &Layout,
    groups: &Groups,
    group_names: &[&String],
    report: &mut SlotReport,
    carriers: &Carriers,
    keep: usize,
) {
    // Per signature: the variant it carries in this slot and where (a document carries a
    // slot at most once).
    let mut carried: Vec<Option<(usize, usize)>> = vec![None; layout.placed.sigs.len()];
    for (vi, idx) in carriers.by_variant.iter().enumerate() {
        for &i in idx {
            let e = carriers.entries[i];
            debug_assert!(carried[e.sig].is_none());
            carried[e.sig] = Some((vi, e.flat));
        }
    }
    let mut by_group = vec![vec![0usize; group_names.len()]; carriers.by_variant.len()];
    for v in &mut report.variants {
        v.members.reserve_exact(v.count.min(keep));
    }
    // Documents are in path order: so are the members.
    for (d, doc) in layout.docs.iter().enumerate() {
        let Some((vi, flat)) = carried[layout.placed.doc_sig[d] as usize] else {
            continue;
        };
        let v = &mut report.variants[vi];
        by_group[vi][groups.of_doc[d]] += 1;
        if let Some(y) = doc.year {
            v.first_year = Some(v.first_year.map_or(y, |f| f.min(y)));
            v.last_year = Some(v.last_year.map_or(y, |l| l.max(y)));
        }
        if v.members.len() < keep {
            v.members.push(Member {
                path: doc.path.clone(),
                id: layout.interned.id_of(doc, flat),
                line: doc.lines[flat],
            });
        }
    }
    for (v, counts) in report.variants.iter_mut().zip(by_group) {
        v.by_group = counts
            .iter()
            .zip(group_names)
            .filter(|&(&n, _)| n > 0)
            .map(|(&n, &g)| (g.clone(), n))
            .collect();
    }
}

/// The drift report of the documents of `layout`, their slots named by `names`, with the
/// inputs that failed.
pub(super) fn build_report(
    layout: &Layout,
    contents: &SlotContents,
    names: &SlotNames,
    errors: &[FileError],
    opts: &DriftOptions,
) -> DriftReport {
    let docs = layout.docs;
    let groups = Groups::new(docs, opts.by);
    let group_names: Vec<&String> = groups.sizes.keys().collect();
    let mut budget = DiffBudget::new(&opts.diff);
    let mut reports = Vec::with_capacity(contents.order.len());
    let mut carriers = Vec::with_capacity(contents.order.len());
    for &s in &contents.order {
        let wordings = wordings(layout, contents, s);
        let variants = variants(layout, &wordings, contents.present[s], &mut budget);
        carriers.push(Carriers {
            entries: &contents.entries[s],
            by_variant: wordings.into_iter().map(|w| w.entries).collect(),
        });
        let name = &names[&s];
        reports.push(SlotReport {
            slot: name.name.clone(),
            note: name.note.clone(),
            parent: (layout.slots.slots[s].parent).map(|p| names[&p].name.clone()),
            present: contents.present[s],
            drifting: variants.len() > 1,
            canonical_share: variants[0].share,
            variants,
        });
    }
    // One member per document: millions on a national corpus, so built on every core.
    let keep = opts.max_members.unwrap_or(usize::MAX);
    reports
        .par_iter_mut()
        .zip(&carriers)
        .for_each(|(report, carriers)| {
            fill_members(layout, &groups, &group_names, report, carriers, keep)
        });
    let duplicates = crate::corpus::duplicates::find(
        docs.iter()
            .map(|d| (&*d.path, d.license_no.as_deref(), d.issued)),
    );
    let summary = DriftSummary {
        duplicates: duplicates.len(),
        documents: docs.len(),
        errors: errors.len(),
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
        errors: errors.to_vec(),
        duplicates,
        groups: groups.sizes.keys().cloned().collect(),
        group_sizes: groups.sizes,
        slots: reports,
        summary,
    }
}

/// True when `a` and `b` have the same number of characters and differ in exactly one
/// position, by a known OCR look-alike pair. A diff whose only hunk is a look-alike
/// replacement implies this, so it is a cheap filter in front of that diff: a slot can have
/// thousands of one-off wordings.
fn one_lookalike_apart(a: &str, b: &str) -> bool {
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

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
