//! [`DriftBuilder`]: collects documents one at a time, then places them in slots and builds
//! the report (and the `--against` view).

use crate::corpus::FileError;

use super::against::{AgainstReport, build_against};
use super::intern::{Doc, Interned};
use super::names::slot_names;
use super::report::{SlotContents, build_report};
use super::slots::{Layout, place};
use super::{DriftOptions, DriftReport, Prepared};

/// Collects documents one at a time; [`DriftBuilder::finish`] computes the report.
#[derive(Debug, Default)]
pub struct DriftBuilder {
    interned: Interned,
    docs: Vec<Doc>,
    errors: Vec<FileError>,
}

impl DriftBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a document; its texts are interned and the rest dropped.
    pub fn add(&mut self, p: Prepared) {
        let doc = self.interned.doc(p);
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
        let reference = self.interned.doc(reference);
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
        let interned = &self.interned;
        let (mut slots, placed) = place(interned, &self.docs, &opts.align);
        // The reference may bring clauses no document carries: slots of their own.
        let reference = reference.map(|r| {
            let placements = slots.assign(&interned.texts, interned.items(r.shape), &opts.align);
            (r, placements)
        });
        let layout = Layout {
            interned,
            docs: &self.docs,
            slots: &slots,
            placed: &placed,
        };
        let contents = SlotContents::new(&layout);
        let names = slot_names(&layout, &contents);
        let report = build_report(&layout, &contents, &names, &self.errors, opts);
        let against =
            reference.map(|(r, placements)| build_against(&layout, &names, &r, &placements, opts));
        (report, against)
    }
}
