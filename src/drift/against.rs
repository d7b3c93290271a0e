//! `--against`: every document measured against one reference certificate, clause by clause
//! in the slots of the drift report; business-type blocks one side cannot hold left out.

use std::collections::HashMap;

use serde::Serialize;

use crate::diff::{ChangeClass, DiffBudget, Op, OpKind, TextDiff};
use crate::model::ProvisionId;

use super::DriftOptions;
use super::intern::{Doc, FastHash, TextId};
use super::names::{SlotNames, block_business};
use super::prepare::BusinessSet;
use super::slots::{Layout, Placement};

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
struct Clause {
    id: ProvisionId,
    text: TextId,
    line: u32,
}

/// The clauses one side carries, by slot.
type Carried = HashMap<usize, Clause>;

/// The reference every document is measured against, and the slots they share.
struct Reference<'a> {
    layout: &'a Layout<'a>,
    names: &'a SlotNames,
    doc: &'a Doc,
    /// Every slot in reading order, those no document carries included.
    order: Vec<usize>,
    /// The top-level slots, in reading order.
    tops: Vec<usize>,
    clauses: Carried,
    /// The business types of the blocks it carries.
    blocks: Vec<&'a str>,
}

/// The diffs of pairs of wordings: documents share their texts, so each pair is diffed once.
struct Diffs {
    budget: DiffBudget,
    done: HashMap<(TextId, TextId), TextDiff, FastHash>,
}

/// Every document of `layout` measured against `reference`, whose provisions were placed at
/// `placements`; the slots are named by `names`.
pub(super) fn build_against(
    layout: &Layout,
    names: &SlotNames,
    reference: &Doc,
    placements: &[Placement],
    opts: &DriftOptions,
) -> AgainstReport {
    let order = layout.slots.reading_order();
    let tops = (order.iter().copied())
        .filter(|&s| layout.slots.slots[s].parent.is_none())
        .collect();
    let mut reference = Reference {
        layout,
        names,
        doc: reference,
        order,
        tops,
        clauses: carried(layout, reference, placements),
        blocks: Vec::new(),
    };
    reference.blocks = reference.blocks(&reference.clauses);
    let mut diffs = Diffs {
        budget: DiffBudget::new(&opts.diff),
        done: HashMap::default(),
    };
    let placed = layout.placed;
    let documents = (layout.docs.iter().zip(&placed.doc_sig))
        .map(|(doc, &si)| {
            let mine = carried(layout, doc, &placed.placements[si as usize]);
            let (not_applicable, skipped) = reference.not_applicable(doc, &mine);
            DocumentDeviations {
                path: doc.path.to_string(),
                deviations: reference.deviations(&mine, &skipped, &mut diffs),
                not_applicable,
            }
        })
        .collect();
    AgainstReport {
        reference: reference.doc.path.to_string(),
        documents,
    }
}

/// The clauses `doc` carries: its provisions at `placements`.
fn carried(layout: &Layout, doc: &Doc, placements: &[Placement]) -> Carried {
    let items = layout.interned.items(doc.shape);
    placements
        .iter()
        .map(|p| {
            let clause = Clause {
                id: layout.interned.id_of(doc, p.flat),
                text: p.item(items).text,
                line: doc.lines[p.flat],
            };
            (p.slot, clause)
        })
        .collect()
}

impl<'a> Reference<'a> {
    fn text(&self, id: TextId) -> &'a str {
        self.layout.interned.text(id)
    }

    /// The business types of the blocks a side carries.
    fn blocks(&self, carried: &Carried) -> Vec<&'a str> {
        (self.tops.iter())
            .filter_map(|t| carried.get(t))
            .filter_map(|c| block_business(self.text(c.text)))
            .collect()
    }

    /// How many clauses a side carries in the block of top-level slot `t`: the slot and its
    /// children.
    fn in_block(&self, carried: &Carried, t: usize) -> usize {
        usize::from(carried.contains_key(&t))
            + (self.layout.slots.slots[t].children.iter())
                .filter(|c| carried.contains_key(c))
                .count()
    }

    /// A slot's name in the report; a clause only the reference carries is named by its id
    /// there.
    fn name(&self, s: usize) -> String {
        match self.names.get(&s) {
            Some(n) => n.name.clone(),
            None => format!("{} (reference only)", self.clauses[&s].id),
        }
    }

    /// The business-type blocks one side has and the other cannot have: neither the block
    /// nor any of its items on the other side, which does not hold that business type. With
    /// their top-level slots, whose clauses are not compared.
    fn not_applicable(&self, doc: &Doc, mine: &Carried) -> (Vec<SkippedBlock>, Vec<usize>) {
        let my_blocks = self.blocks(mine);
        let mut not_applicable = Vec::new();
        let mut skipped = Vec::new();
        for &t in &self.tops {
            let (m, r) = (self.in_block(mine, t), self.in_block(&self.clauses, t));
            let (side, reason) = match (m, r) {
                (0, n) if n > 0 => (&self.clauses, SkipReason::CertificateLacksBusiness),
                (n, 0) if n > 0 => (mine, SkipReason::ReferenceLacksBusiness),
                _ => continue,
            };
            let Some((head, subject)) = side
                .get(&t)
                .and_then(|c| Some((c, block_business(self.text(c.text))?)))
            else {
                continue;
            };
            let held = match reason {
                SkipReason::CertificateLacksBusiness => holds(doc.business, &my_blocks, subject),
                SkipReason::ReferenceLacksBusiness => {
                    holds(self.doc.business, &self.blocks, subject)
                }
            };
            if held {
                continue;
            }
            skipped.push(t);
            // A block of the reference that no document carries is named by its id there and
            // its business type.
            let slot = match self.names.get(&t) {
                Some(n) => n.name.clone(),
                None => format!("{} [{subject}]", head.id),
            };
            not_applicable.push(SkippedBlock {
                slot,
                business: subject.to_string(),
                id: mine.get(&t).map(|c| c.id),
                reference_id: self.clauses.get(&t).map(|c| c.id),
                reason,
                clauses: m + r,
            });
        }
        (not_applicable, skipped)
    }

    /// Every slot where a document carrying `mine` differs from the reference, in reading
    /// order, outside the blocks `skipped`.
    fn deviations(&self, mine: &Carried, skipped: &[usize], diffs: &mut Diffs) -> Vec<Deviation> {
        let slots = &self.layout.slots.slots;
        let mut deviations = Vec::new();
        for &s in &self.order {
            if skipped.contains(&slots[s].parent.unwrap_or(s)) {
                continue;
            }
            let (status, mine, theirs) = match (mine.get(&s), self.clauses.get(&s)) {
                (Some(m), Some(r)) if m.text != r.text => {
                    (DeviationStatus::Changed, Some(m), Some(r))
                }
                (None, Some(r)) => (DeviationStatus::Missing, None, Some(r)),
                (Some(m), None) => (DeviationStatus::Extra, Some(m), None),
                _ => continue,
            };
            let (diff, classes, substantive) = match (mine, theirs) {
                (Some(m), Some(r)) => {
                    let d = (diffs.done.entry((r.text, m.text)))
                        .or_insert_with(|| diffs.budget.diff(self.text(r.text), self.text(m.text)));
                    (d.ops.clone(), d.classes.clone(), d.is_substantive())
                }
                (None, Some(r)) => (
                    vec![whole(OpKind::Delete, self.text(r.text))],
                    Vec::new(),
                    true,
                ),
                (Some(m), None) => (
                    vec![whole(OpKind::Insert, self.text(m.text))],
                    Vec::new(),
                    true,
                ),
                (None, None) => unreachable!("one side carries the clause"),
            };
            deviations.push(Deviation {
                slot: self.name(s),
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
        deviations
    }
}

/// Whether a side holds a business type: its header lists it, or it has a block for it.
fn holds(business: BusinessSet, blocks: &[&str], subject: &str) -> bool {
    blocks.contains(&subject)
        || crate::parse::fields::business_type(subject).is_some_and(|i| business.holds(i))
}

/// One op covering a whole text (a missing or an extra clause).
fn whole(op: OpKind, text: &str) -> Op {
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
