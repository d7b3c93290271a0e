//! Many certificates to a [`DriftReport`]: every provision placed in a slot (the same clause
//! across certificates), each slot's wordings grouped into variants with the canonical one,
//! diffs against it, and counts by issuer and year.
//!
//! Memory stays small: texts are interned once (hash first); certificates that share their
//! sequence of texts share one *signature*, which is aligned once and grouped into wordings
//! once; a document keeps only its signature, its numbering (itself shared) and the source
//! lines of its provisions. Slots are built by aligning each distinct signature, most common
//! first, against the slots found so far (new clauses become new slots where they fall); a
//! second pass aligns every signature against the final slots, so an early signature can still
//! join a slot that a later one created.

mod against;
mod builder;
mod intern;
mod names;
mod prepare;
mod read;
mod report;
mod slots;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::align::AlignOptions;
use crate::corpus::FileError;
use crate::corpus::duplicates::Duplicate;
use crate::diff::{ChangeClass, DiffOptions, Op};
use crate::model::ProvisionId;

pub use against::{
    AgainstReport, Deviation, DeviationStatus, DocumentDeviations, SkipReason, SkippedBlock,
};
pub use builder::DriftBuilder;
pub use prepare::{Prepared, prepare, prepare_file, prepare_file_without_business};
pub use read::{Added, drift_paths};

/// The schema name written into every JSON drift report.
pub const SCHEMA: &str = "provdiff.drift/1";

/// How members are grouped in counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// By issuing authority (province or ministry).
    Issuer,
    /// By issue year.
    Year,
    /// By issuer and year.
    #[default]
    IssuerYear,
}

impl GroupBy {
    /// The group key of a document.
    pub fn key(self, issuer: Option<&str>, year: Option<u16>) -> String {
        let issuer = issuer.unwrap_or("unknown");
        let year = year.map_or_else(|| "unknown".to_string(), |y| y.to_string());
        match self {
            GroupBy::Issuer => issuer.to_string(),
            GroupBy::Year => year,
            GroupBy::IssuerYear => format!("{issuer} {year}"),
        }
    }
}

/// Options for drift.
#[derive(Debug, Clone, Default)]
pub struct DriftOptions {
    /// Pairwise alignment thresholds, used against slots.
    pub align: AlignOptions,
    /// Diff settings for variant redlines.
    pub diff: DiffOptions,
    /// Grouping of counts.
    pub by: GroupBy,
    /// Keep at most this many members per variant (the first in path order); `None` keeps
    /// all. Counts, groups and years always cover every document. A table that shows five
    /// members a wording need not build three million of them for a national corpus.
    pub max_members: Option<usize>,
}

/// One document as listed in the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentInfo {
    /// File path.
    pub path: String,
    /// Licence number.
    pub license_no: Option<String>,
    /// Issuing authority.
    pub issuer: Option<String>,
    /// Issue year (else number year).
    pub year: Option<u16>,
}

/// A document that carries a wording, with the id and line the provision has there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// File path (shared by all the members of one document).
    pub path: std::sync::Arc<str>,
    /// The provision's id in that document (serialized as text, `十五(六)`).
    pub id: ProvisionId,
    /// Its source line.
    pub line: u32,
}

/// One wording of a slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Variant {
    /// Documents carrying it.
    pub count: usize,
    /// Share of the slot's documents, 0 to 1.
    pub share: f64,
    /// True for the canonical (most frequent) wording.
    pub canonical: bool,
    /// The normalized text.
    pub text: String,
    /// Diff ops from the canonical text to this one (empty for the canonical variant).
    pub diff: Vec<Op>,
    /// Change classes against the canonical text.
    pub classes: Vec<ChangeClass>,
    /// A wording or number change (not only punctuation or variant characters).
    pub substantive: bool,
    /// Carried by one certificate and one look-alike character away from a common wording:
    /// probably an OCR error, not drift.
    pub ocr_suspect: bool,
    /// First issue year seen.
    pub first_year: Option<u16>,
    /// Last issue year seen.
    pub last_year: Option<u16>,
    /// Counts per group (issuer, year, or both).
    pub by_group: BTreeMap<String, usize>,
    /// The documents carrying this wording, in path order: every one, unless
    /// [`DriftOptions::max_members`] keeps fewer (`count` always counts them all).
    pub members: Vec<Member>,
}

/// One clause across the corpus.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlotReport {
    /// The slot's name: the id most members give it, made distinct when needed.
    pub slot: String,
    /// Why the name carries a suffix, when it does.
    pub note: Option<String>,
    /// Name of the parent slot, for sub-items.
    pub parent: Option<String>,
    /// Documents that carry this clause.
    pub present: usize,
    /// More than one wording.
    pub drifting: bool,
    /// Share of the canonical wording among carriers.
    pub canonical_share: f64,
    /// Wordings, canonical first, then by count.
    pub variants: Vec<Variant>,
}

/// Totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DriftSummary {
    /// Documents parsed.
    pub documents: usize,
    /// Inputs that failed.
    pub errors: usize,
    /// Slots found.
    pub slots: usize,
    /// Slots with more than one wording.
    pub drifting_slots: usize,
    /// Variants flagged as likely OCR errors.
    pub ocr_suspects: usize,
    /// Licence numbers held by more than one file (see [`DriftReport::duplicates`]).
    pub duplicates: usize,
}

/// The drift report (`--format json` writes it as is; schema `provdiff.drift/1`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DriftReport {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// How `by_group` counts are grouped.
    pub by: GroupBy,
    /// Documents, in path order.
    pub documents: Vec<DocumentInfo>,
    /// Inputs that could not be parsed.
    pub errors: Vec<FileError>,
    /// Possible duplicates: licence numbers held by more than one file, with each file's path
    /// and issue date (the same licence scanned twice, or a renewal).
    pub duplicates: Vec<Duplicate>,
    /// Group keys in use, sorted.
    pub groups: Vec<String>,
    /// Documents per group.
    pub group_sizes: BTreeMap<String, usize>,
    /// Slots in reading order.
    pub slots: Vec<SlotReport>,
    /// Totals.
    pub summary: DriftSummary,
}
