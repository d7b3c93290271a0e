//! `--against`: every document measured against one reference certificate, clause by clause
//! in the slots of the drift report; business-type blocks one side cannot hold left out.

use std::collections::HashMap;

use serde::Serialize;

use crate::diff::{ChangeClass, DiffBudget, Op, OpKind};
use crate::model::ProvisionId;

use super::intern::{Doc, FastHash, TextId};
use super::names::block_business;
use super::prepare::BusinessSet;
use super::slots::{Placed, Placement, SlotSet};
use super::{DriftBuilder, DriftOptions, DriftReport};

/// How a clause of a document deviates from the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviationStatus {
    /// Both carry the clause, worded differently (see [`Deviation::classes`]).
    Changed,
    /// The reference carries the clause, the document does not.
    Missing,
    /// The document carries the clause, the reference does not.
    Extra,
}

impl DeviationStatus {
    /// The name as serialized: `changed`, `missing` or `extra`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeviationStatus::Changed => "changed",
            DeviationStatus::Missing => "missing",
            DeviationStatus::Extra => "extra",
        }
    }
}

/// How one document deviates from the reference certificate in one slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deviation {
    /// Slot name, as in the drift report (`… (reference only)` for a clause that no document
    /// carries).
    pub slot: String,
    /// The clause's id in the document (absent when the document lacks the clause).
    pub id: Option<ProvisionId>,
    /// Its id in the reference (absent when the reference lacks the clause): the two differ
    /// where the documents number their blocks differently.
    pub reference_id: Option<ProvisionId>,
    /// Changed, missing or extra.
    pub status: DeviationStatus,
    /// Change classes of a changed clause.
    pub classes: Vec<ChangeClass>,
    /// A wording or number change, or a missing or extra clause.
    pub substantive: bool,
    /// The clause's source line in the document.
    pub line: Option<u32>,
    /// Its source line in the reference.
    pub reference_line: Option<u32>,
    /// Diff ops from the reference's wording to the document's; a missing clause is one
    /// `delete` of the reference's wording, an extra one an `insert` of the document's.
    pub diff: Vec<Op>,
}

/// Why a business-type block was left out of a document's comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SkipReason {
    /// The reference has the block; the document does not hold that business type (its
    /// header does not list it and it has no such block).
    CertificateLacksBusiness,
    /// The document has the block; the reference does not hold that business type.
    ReferenceLacksBusiness,
}

impl SkipReason {
    /// The name as serialized.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::CertificateLacksBusiness => "certificate_lacks_business",
            SkipReason::ReferenceLacksBusiness => "reference_lacks_business",
        }
    }
}

/// A business-type block (`你公司在经营XX业务时应当遵守下列规定` and its sub-items) that one side
/// has and the other cannot have, because it does not hold that business type: not counted
/// as missing or extra clauses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedBlock {
    /// The block's slot name.
    pub slot: String,
    /// The business type the block is for (`在线数据处理与交易处理业务`).
    pub business: String,
    /// The block's id in the document (when the document has it).
    pub id: Option<ProvisionId>,
    /// Its id in the reference (when the reference has it).
    pub reference_id: Option<ProvisionId>,
    /// Which side lacks the business type.
    pub reason: SkipReason,
    /// Clauses left out: the block and its sub-items.
    pub clauses: usize,
}

/// One document measured against the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentDeviations {
    /// File path.
    pub path: String,
    /// Every slot where it differs from the reference, in reading order.
    pub deviations: Vec<Deviation>,
    /// Business-type blocks not compared, because one side does not hold that business type.
    pub not_applicable: Vec<SkippedBlock>,
}

/// Every document measured against one reference certificate (`drift --against FILE`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AgainstReport {
    /// Path of the reference.
    pub reference: String,
    /// Documents in path order (those that match the reference entirely are listed with no
    /// deviations).
    pub documents: Vec<DocumentDeviations>,
}

/// A document's clause in one slot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Clause {
    pub(super) id: ProvisionId,
    pub(super) text: TextId,
    pub(super) line: u32,
}

pub(super) fn build_against(
    b: &DriftBuilder,
    slots: &SlotSet,
    placed: &Placed,
    reference: &Doc,
    ref_placed: &[Placement],
    report: &DriftReport,
    opts: &DriftOptions,
) -> AgainstReport {
    let order: Vec<usize> = slots.reading_order();
    let names: HashMap<usize, String> = {
        // Map slot index → report name through reading order of non-empty slots.
        let mut it = report.slots.iter();
        let mut m = HashMap::new();
        let nonempty: std::collections::HashSet<usize> =
            placed.placements.iter().flatten().map(|p| p.slot).collect();
        for &s in &order {
            if nonempty.contains(&s)
                && let Some(r) = it.next()
            {
                m.insert(s, r.slot.clone());
            }
        }
        m
    };
    let clause_of = |doc: &Doc, p: &Placement| Clause {
        id: b.id_of(doc, p.flat),
        text: p.item(&b.shapes[doc.shape as usize]).text,
        line: doc.lines[p.flat],
    };
    let reference_at: HashMap<usize, Clause> = ref_placed
        .iter()
        .map(|p| (p.slot, clause_of(reference, p)))
        .collect();
    let name = |s: usize| {
        names
            .get(&s)
            .cloned()
            .unwrap_or_else(|| format!("{} (reference only)", reference_at[&s].id))
    };
    let tops: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&s| slots.slots[s].parent.is_none())
        .collect();
    // The business type of the blocks a side carries.
    let blocks = |carried: &HashMap<usize, Clause>| -> Vec<&str> {
        tops.iter()
            .filter_map(|t| carried.get(t))
            .filter_map(|c| block_business(b.texts.get(c.text)))
            .collect()
    };
    // A side holds a business type when its header lists it or it has a block for it.
    let holds = |business: BusinessSet, blocks: &[&str], subject: &str| {
        blocks.contains(&subject)
            || crate::parse::fields::business_type(subject).is_some_and(|i| business.holds(i))
    };
    // The clauses a side carries in a top-level slot's block: the slot and its children.
    let in_block = |carried: &HashMap<usize, Clause>, t: usize| {
        usize::from(carried.contains_key(&t))
            + slots.slots[t]
                .children
                .iter()
                .filter(|c| carried.contains_key(c))
                .count()
    };
    let reference_blocks = blocks(&reference_at);
    let mut documents = Vec::with_capacity(b.docs.len());
    let mut budget = DiffBudget::new(&opts.diff);
    // Documents share their texts: each pair of wordings is diffed once.
    let mut diffs: HashMap<(TextId, TextId), crate::diff::TextDiff, FastHash> = HashMap::default();
    // The placements of every document: those of its signature.
    let mut sig_of = vec![0; b.docs.len()];
    for (si, sig) in placed.sigs.iter().enumerate() {
        for &d in &sig.docs {
            sig_of[d as usize] = si;
        }
    }
    for (doc, &si) in b.docs.iter().zip(&sig_of) {
        let mine: HashMap<usize, Clause> = placed.placements[si]
            .iter()
            .map(|p| (p.slot, clause_of(doc, p)))
            .collect();
        let my_blocks = blocks(&mine);
        // Blocks one side has and the other cannot have: neither the block nor any of its
        // items on the other side, which does not hold that business type.
        let mut not_applicable = Vec::new();
        let mut skipped = Vec::new();
        for &t in &tops {
            let (m, r) = (in_block(&mine, t), in_block(&reference_at, t));
            let (side, reason) = match (m, r) {
                (0, n) if n > 0 => (&reference_at, SkipReason::CertificateLacksBusiness),
                (n, 0) if n > 0 => (&mine, SkipReason::ReferenceLacksBusiness),
                _ => continue,
            };
            let Some((head, subject)) = side
                .get(&t)
                .and_then(|c| Some((c, block_business(b.texts.get(c.text))?)))
            else {
                continue;
            };
            let held = match reason {
                SkipReason::CertificateLacksBusiness => holds(doc.business, &my_blocks, subject),
                SkipReason::ReferenceLacksBusiness => {
                    holds(reference.business, &reference_blocks, subject)
                }
            };
            if held {
                continue;
            }
            skipped.push(t);
            // A block of the reference that no document carries is named by its id there and
            // its business type.
            let slot = names
                .get(&t)
                .cloned()
                .unwrap_or_else(|| format!("{} [{subject}]", head.id));
            not_applicable.push(SkippedBlock {
                slot,
                business: subject.to_string(),
                id: mine.get(&t).map(|c| c.id),
                reference_id: reference_at.get(&t).map(|c| c.id),
                reason,
                clauses: m + r,
            });
        }
        let mut deviations = Vec::new();
        for &s in &order {
            if skipped.contains(&slots.slots[s].parent.unwrap_or(s)) {
                continue;
            }
            let (status, mine, theirs) = match (mine.get(&s), reference_at.get(&s)) {
                (Some(m), Some(r)) if m.text != r.text => {
                    (DeviationStatus::Changed, Some(m), Some(r))
                }
                (None, Some(r)) => (DeviationStatus::Missing, None, Some(r)),
                (Some(m), None) => (DeviationStatus::Extra, Some(m), None),
                _ => continue,
            };
            let (diff, classes, substantive) = match (mine, theirs) {
                (Some(m), Some(r)) => {
                    let d = diffs
                        .entry((r.text, m.text))
                        .or_insert_with(|| budget.diff(b.texts.get(r.text), b.texts.get(m.text)));
                    (d.ops.clone(), d.classes.clone(), d.is_substantive())
                }
                (None, Some(r)) => (
                    vec![whole(OpKind::Delete, b.texts.get(r.text))],
                    Vec::new(),
                    true,
                ),
                (Some(m), None) => (
                    vec![whole(OpKind::Insert, b.texts.get(m.text))],
                    Vec::new(),
                    true,
                ),
                (None, None) => unreachable!("one side carries the clause"),
            };
            deviations.push(Deviation {
                slot: name(s),
                id: mine.map(|c| c.id),
                reference_id: theirs.map(|c| c.id),
                status,
                classes,
                substantive,
                line: mine.map(|c| c.line),
                reference_line: theirs.map(|c| c.line),
                diff,
            });
        }
        documents.push(DocumentDeviations {
            path: doc.path.to_string(),
            deviations,
            not_applicable,
        });
    }
    AgainstReport {
        reference: reference.path.to_string(),
        documents,
    }
}

/// One op covering a whole text (a missing or an extra clause).
pub(super) fn whole(op: OpKind, text: &str) -> Op {
    Op {
        op,
        text: text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_reasons_serialize_as_their_names() {
        for s in [
            DeviationStatus::Changed,
            DeviationStatus::Missing,
            DeviationStatus::Extra,
        ] {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for r in [
            SkipReason::CertificateLacksBusiness,
            SkipReason::ReferenceLacksBusiness,
        ] {
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
    }
}
