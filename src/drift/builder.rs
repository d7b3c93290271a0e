//! [`DriftBuilder`]: collects documents one at a time, then places them in slots and builds
//! the report (and the `--against` view).

use std::collections::HashMap;

use crate::corpus::FileError;
use crate::model::ProvisionId;

use super::against::{AgainstReport, build_against};
use super::intern::{Doc, FastHash, Item, Texts};
use super::report::build_report;
use super::slots::{Placed, Placement, SlotSet, signatures};
use super::{DriftOptions, DriftReport, Prepared};

/// Collects documents one at a time; [`DriftBuilder::finish`] computes the report.
#[derive(Debug, Default)]
pub struct DriftBuilder {
    pub(super) texts: Texts,
    /// Distinct signatures: the provision trees of certificates, texts and cut-offs only.
    pub(super) shapes: Vec<Vec<Item>>,
    /// Signature key (see [`shape_key`]) → index in `shapes`.
    pub(super) shape_index: HashMap<Box<[u32]>, u32, FastHash>,
    /// Distinct sequences of provision ids in reading order (a few numbering layouts).
    pub(super) id_seqs: Vec<Box<[ProvisionId]>>,
    pub(super) id_seq_index: HashMap<Box<[ProvisionId]>, u32, FastHash>,
    pub(super) docs: Vec<Doc>,
    pub(super) errors: Vec<FileError>,
    /// [`Prepared::sig_hash`] → the signature of the first document that had it.
    pub(super) by_sig_hash: HashMap<u64, u32, FastHash>,
    /// Reused by [`DriftBuilder::intern`] for each document's signature key and numbering.
    pub(super) key_scratch: Vec<u32>,
    pub(super) ids_scratch: Vec<ProvisionId>,
}

impl DriftBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document; its texts are interned and the rest dropped.
    pub fn add(&mut self, p: Prepared) {
        let doc = self.intern(p);
        self.docs.push(doc);
    }

    /// Records an input that could not be parsed.
    pub fn add_error(&mut self, e: FileError) {
        self.errors.push(e);
    }

    /// Number of documents added so far.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// True when no document was added.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Aligns every document into slots and groups each slot's wordings.
    pub fn finish(mut self, opts: &DriftOptions) -> DriftReport {
        self.report(opts)
    }

    /// [`DriftBuilder::finish`] that keeps the builder: more documents may be added and the
    /// report computed again, or a program about to exit may skip freeing it.
    pub fn report(&mut self, opts: &DriftOptions) -> DriftReport {
        self.finish_with(opts, None).0
    }

    /// Like [`DriftBuilder::finish`], and also measures every document against `reference`
    /// (a certificate that need not be part of the corpus).
    pub fn finish_against(
        mut self,
        opts: &DriftOptions,
        reference: Prepared,
    ) -> (DriftReport, AgainstReport) {
        let reference = self.intern(reference);
        let (report, against) = self.finish_with(opts, Some(reference));
        (report, against.unwrap_or_default())
    }

    fn finish_with(
        &mut self,
        opts: &DriftOptions,
        reference: Option<Doc>,
    ) -> (DriftReport, Option<AgainstReport>) {
        // Same bytes out for any input order: documents in path order, one per path.
        self.docs.sort_by(|a, b| a.path.cmp(&b.path));
        self.docs.dedup_by(|a, b| a.path == b.path);
        self.errors.sort();
        self.errors.dedup();
        let mut slots = SlotSet::default();
        let sigs = signatures(&self.docs, self.shapes.len());
        // Pass 1: discover slots, most common signature first.
        for sig in &sigs {
            slots.assign(&self.texts, &self.shapes[sig.shape as usize], &opts.align);
        }
        // Pass 2: final assignment against the complete slots, once per signature.
        let placements: Vec<Vec<Placement>> = sigs
            .iter()
            .map(|sig| slots.assign(&self.texts, &self.shapes[sig.shape as usize], &opts.align))
            .collect();
        let placed = Placed { sigs, placements };
        let ref_placed = reference.as_ref().map(|r| {
            let items = &self.shapes[r.shape as usize];
            (r, slots.assign(&self.texts, items, &opts.align))
        });
        let report = build_report(self, &slots, &placed, opts);
        let against = ref_placed.map(|(r, ref_placed)| {
            build_against(self, &slots, &placed, r, &ref_placed, &report, opts)
        });
        (report, against)
    }
}
