//! Many certificates to a [`DriftReport`]: every provision placed in a slot (the same clause
//! across certificates), each slot's wordings grouped into variants with the canonical one,
//! diffs against it, and counts by issuer and year.
//!
//! Memory stays small: texts are interned once (hash first); certificates that share their
//! sequence of texts share one *signature*, which is aligned once and grouped into wordings
//! once; a document keeps only its signature, its numbering (itself shared) and the source
//! lines of its provisions. Slots are built by aligning each distinct signature, most common first, against the
//! slots found so far (new clauses become new slots where they fall); a second pass aligns
//! every signature against the final slots, so an early signature can still join a slot that a
//! later one created.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hasher;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use xxhash_rust::xxh3::xxh3_64;

use crate::align::{
    AlignOptions, Profile, align_by_keyed_with_budget, containment, similarity, similarity_bound,
};
use crate::corpus::FileError;
use crate::diff::{ChangeClass, DiffBudget, DiffOptions, Op, OpKind, is_lookalike_pair};
use crate::duplicates::Duplicate;
use crate::model::{Certificate, Date, Fields, Provision, ProvisionId, Warning, WarningKind};

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

type TextId = u32;

/// Interned texts: each distinct text stored once, found by its xxh3 hash first.
#[derive(Debug, Default)]
struct Texts {
    by_hash: HashMap<u64, TextId, FastHash>,
    /// Texts whose hash collided with a different text (practically never used).
    collided: HashMap<Box<str>, TextId>,
    texts: Vec<Box<str>>,
}

impl Texts {
    fn intern(&mut self, text: &str, hash: u64) -> TextId {
        if let Some(&id) = self.by_hash.get(&hash) {
            if &*self.texts[id as usize] == text {
                return id;
            }
            if let Some(&id) = self.collided.get(text) {
                return id;
            }
            let id = self.push(text);
            self.collided.insert(text.into(), id);
            return id;
        }
        let id = self.push(text);
        self.by_hash.insert(hash, id);
        id
    }

    fn push(&mut self, text: &str) -> TextId {
        self.texts.push(text.into());
        TextId::try_from(self.texts.len() - 1).expect("fewer than 2^32 distinct texts")
    }

    fn get(&self, id: TextId) -> &str {
        &self.texts[id as usize]
    }
}

/// A provision in a compact document record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Item {
    id: ProvisionId,
    line: u32,
    text: TextId,
    /// The text stops mid-sentence because the certificate was cut off here.
    cut: bool,
    children: Vec<Item>,
}

impl Item {
    /// True when this item or one of its sub-items is cut off.
    fn has_cut(&self) -> bool {
        self.cut || self.children.iter().any(|c| c.cut)
    }
}

/// A certificate reduced to what drift needs: its texts are those of its signature (shared by
/// every certificate with the same sequence of texts), only ids and lines are its own.
#[derive(Debug, Clone)]
struct Doc {
    /// Shared with every [`Member`] that names this document.
    path: Arc<str>,
    license_no: Option<String>,
    issuer: Option<String>,
    year: Option<u16>,
    /// Its issue date, told with the licence number when another file holds that number too.
    issued: Option<Date>,
    /// The business types its header lists (see [`Prepared::business`]).
    business: BusinessSet,
    /// Index of its signature in [`DriftBuilder::shapes`].
    shape: u32,
    /// Index of its sequence of ids in [`DriftBuilder::id_seqs`].
    ids: u32,
    /// Source line of every provision, in reading order (each top-level provision followed
    /// by its sub-items), as [`Placement::flat`] counts them.
    lines: Box<[u32]>,
}

/// A provision of a [`Prepared`] certificate, in reading order (each top-level provision
/// followed by its sub-items).
#[derive(Debug, Clone, PartialEq, Eq)]
struct FlatProvision {
    id: ProvisionId,
    line: u32,
    /// End of its text in [`Prepared::text`]; it starts where the one before ends.
    end: usize,
    /// xxh3 of its text, computed where the certificate was parsed.
    hash: u64,
    /// A top-level provision (the sub-items after it are its own).
    top: bool,
}

impl FlatProvision {
    /// True when this provision, at `j` in reading order, starts a top-level item of the
    /// signature: it is a provision, or it comes first (a sub-item with no provision before it
    /// stands on its own).
    fn opens_item(&self, j: usize) -> bool {
        j == 0 || self.top
    }
}

/// A set of business types: bit `i` stands for [`crate::parse::fields::BUSINESS_TYPES`]`[i]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
struct BusinessSet(u32);

const _: () = assert!(crate::parse::fields::BUSINESS_TYPES.len() <= 32);

impl BusinessSet {
    /// The business types of the catalogue that `names` (as a header lists them) name.
    fn of(names: &[String]) -> BusinessSet {
        BusinessSet(
            names
                .iter()
                .filter_map(|n| crate::parse::fields::business_type(n))
                .fold(0, |set, i| set | 1 << i),
        )
    }

    /// True when the set holds the business type of index `i`.
    fn holds(self, i: usize) -> bool {
        self.0 & 1 << i != 0
    }
}

/// A parsed certificate reduced to what drift keeps, ready to be added to a [`DriftBuilder`].
/// Building one is the parallel part of the work; its texts sit in one buffer, so adding it
/// (the sequential part) frees a few blocks instead of one per provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    path: Arc<str>,
    /// The parser found the last provision cut off mid-sentence.
    truncated: bool,
    license_no: Option<String>,
    issuer: Option<String>,
    year: Option<u16>,
    issued: Option<Date>,
    /// The business types its header lists, as a set of indices in
    /// [`crate::parse::fields::BUSINESS_TYPES`]: `--against` skips the business-type blocks of a
    /// reference that a certificate does not hold.
    business: BusinessSet,
    /// The texts of all provisions, one after another.
    text: String,
    provisions: Vec<FlatProvision>,
    /// A hash of the texts, their nesting and the cut-off: certificates with the same
    /// signature have the same one, so [`DriftBuilder::add`] finds theirs with one lookup.
    sig_hash: u64,
}

impl Prepared {
    /// Reduces a certificate's parts (from a parse, or from a scan record); `warnings` tell
    /// whether its last provision was cut off.
    pub fn new(
        path: &str,
        fields: &Fields,
        provisions: &[Provision],
        warnings: &[Warning],
    ) -> Prepared {
        let all = || {
            provisions.iter().flat_map(|p| {
                std::iter::once((p, true)).chain(p.children.iter().map(|c| (c, false)))
            })
        };
        let mut text = String::with_capacity(all().map(|(p, _)| p.text.len()).sum());
        // Sized exactly: a flattened iterator would make the vector grow as it goes.
        let mut flat = Vec::with_capacity(all().count());
        flat.extend(all().map(|(p, top)| {
            text.push_str(&p.text);
            FlatProvision {
                id: p.id,
                line: u32::try_from(p.line).unwrap_or(u32::MAX),
                end: text.len(),
                hash: xxh3_64(p.text.as_bytes()),
                top,
            }
        }));
        let truncated = warnings.iter().any(|w| w.kind == WarningKind::Truncated);
        let mut sig = KeyHasher::default();
        sig.write_u8(u8::from(truncated));
        for f in &flat {
            sig.write_u64(f.hash);
            sig.write_u8(u8::from(f.top));
        }
        let sig_hash = sig.finish();
        Prepared {
            path: path.into(),
            truncated,
            license_no: fields.license_no.clone(),
            issuer: fields.issuer.clone(),
            year: fields.year(),
            issued: fields.issued,
            business: BusinessSet::of(&fields.business),
            text,
            provisions: flat,
            sig_hash,
        }
    }

    /// Reduces a parsed certificate.
    pub fn from_certificate(c: Certificate) -> Prepared {
        Prepared::new(&c.path, &c.fields, &c.provisions, &c.warnings)
    }

    /// Forgets the business types: a report measured against no reference does not use them.
    pub fn without_business(self) -> Prepared {
        Prepared {
            business: BusinessSet::default(),
            ..self
        }
    }
}

/// Collects documents one at a time; [`DriftBuilder::finish`] computes the report.
#[derive(Debug, Default)]
pub struct DriftBuilder {
    texts: Texts,
    /// Distinct signatures: the provision trees of certificates, texts and cut-offs only.
    shapes: Vec<Vec<Item>>,
    /// Signature key (see [`shape_key`]) → index in `shapes`.
    shape_index: HashMap<Box<[u32]>, u32, FastHash>,
    /// Distinct sequences of provision ids in reading order (a few numbering layouts).
    id_seqs: Vec<Box<[ProvisionId]>>,
    id_seq_index: HashMap<Box<[ProvisionId]>, u32, FastHash>,
    docs: Vec<Doc>,
    errors: Vec<FileError>,
    /// [`Prepared::sig_hash`] → the signature of the first document that had it.
    by_sig_hash: HashMap<u64, u32, FastHash>,
    /// Reused by [`DriftBuilder::intern`] for each document's signature key and numbering.
    key_scratch: Vec<u32>,
    ids_scratch: Vec<ProvisionId>,
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

    fn intern(&mut self, p: Prepared) -> Doc {
        // Most documents repeat a signature seen before: found by its hash and checked text
        // by text, without interning each text or writing the key.
        let shape = match self.by_sig_hash.get(&p.sig_hash) {
            Some(&s) if same_signature(&self.texts, &self.shapes[s as usize], &p) => s,
            _ => {
                let s = self.intern_signature(&p);
                self.by_sig_hash.entry(p.sig_hash).or_insert(s);
                s
            }
        };
        let lines = p.provisions.iter().map(|f| f.line).collect();
        let mut id_seq = std::mem::take(&mut self.ids_scratch);
        id_seq.clear();
        id_seq.extend(p.provisions.iter().map(|f| f.id));
        let ids = match self.id_seq_index.get(&id_seq[..]) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.id_seqs.len()).expect("fewer than 2^32 numberings");
                self.id_seqs.push(id_seq.as_slice().into());
                self.id_seq_index.insert(id_seq.as_slice().into(), i);
                i
            }
        };
        self.ids_scratch = id_seq;
        Doc {
            path: p.path,
            license_no: p.license_no,
            issuer: p.issuer,
            year: p.year,
            issued: p.issued,
            business: p.business,
            shape,
            ids,
            lines,
        }
    }

    /// The signature of a document, its texts interned: an index in `shapes`, new or found.
    fn intern_signature(&mut self, p: &Prepared) -> u32 {
        // The signature key (see [`shape_key`]) is written straight from the flat
        // provisions; the tree of items is built only for a signature not seen before.
        let mut key = std::mem::take(&mut self.key_scratch);
        key.clear();
        // Where the current top-level item's pair starts in the key.
        let mut top_at = 0;
        let mut start = 0;
        for (j, f) in p.provisions.iter().enumerate() {
            let text = self.texts.intern(&p.text[start..f.end], f.hash);
            start = f.end;
            if f.opens_item(j) {
                top_at = key.len();
            } else {
                let count: &mut u32 = &mut key[top_at + 1];
                *count = count.saturating_add(2).min(u32::MAX - 1);
            }
            key.extend([text, 0]);
        }
        // The last item's second word is its cut-off bit, whether it is a provision without
        // sub-items or the last sub-item.
        if p.truncated
            && let Some(last) = key.last_mut()
        {
            *last |= 1;
        }
        let shape = match self.shape_index.get(&key[..]) {
            Some(&i) => i,
            None => {
                let i = u32::try_from(self.shapes.len()).expect("fewer than 2^32 signatures");
                self.shapes.push(items_of(&key, &p.provisions));
                self.shape_index.insert(key.as_slice().into(), i);
                i
            }
        };
        self.key_scratch = key;
        shape
    }

    /// The id of a document's provision at `flat` in reading order.
    fn id_of(&self, doc: &Doc, flat: usize) -> ProvisionId {
        self.id_in(doc.ids, flat)
    }

    /// The id at `flat` in reading order in the numbering `ids` (see [`Doc::ids`]).
    fn id_in(&self, ids: u32, flat: usize) -> ProvisionId {
        self.id_seqs[ids as usize][flat]
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
            slots.assign(
                &self.texts,
                &self.shapes[sig.shape as usize],
                &opts.align,
                true,
            );
        }
        // Pass 2: final assignment against the complete slots, once per signature.
        let placements: Vec<Vec<Placement>> = sigs
            .iter()
            .map(|sig| {
                slots.assign(
                    &self.texts,
                    &self.shapes[sig.shape as usize],
                    &opts.align,
                    true,
                )
            })
            .collect();
        let placed = Placed { sigs, placements };
        let ref_placed = reference.as_ref().map(|r| {
            let items = &self.shapes[r.shape as usize];
            (r, slots.assign(&self.texts, items, &opts.align, true))
        });
        let report = build_report(self, &slots, &placed, opts);
        let against = ref_placed.map(|(r, ref_placed)| {
            build_against(self, &slots, &placed, r, &ref_placed, &report, opts)
        });
        (report, against)
    }
}

/// The key of a signature, from its tree (what [`DriftBuilder::intern`] writes from the flat
/// provisions): for each top-level provision its text, whether it is cut off and
/// how many sub-items it has, then each sub-item's text and whether it is cut off.
#[cfg(test)]
fn shape_key(items: &[Item]) -> Box<[u32]> {
    let mut key = Vec::with_capacity(
        2 * items.len() + 2 * items.iter().map(|it| it.children.len()).sum::<usize>(),
    );
    for it in items {
        let children = u32::try_from(it.children.len()).unwrap_or(u32::MAX >> 1);
        key.extend([it.text, u32::from(it.cut) | children << 1]);
        for c in &it.children {
            key.extend([c.text, u32::from(c.cut)]);
        }
    }
    key.into()
}

/// True when `p` has the signature `items`: the tree [`items_of`] would build from it has the
/// same nesting, the same texts and the same cut-off item.
fn same_signature(texts: &Texts, items: &[Item], p: &Prepared) -> bool {
    let n = p.provisions.len();
    let mut flat = p.provisions.iter().enumerate();
    let mut start = 0;
    let mut same = |item: &Item, top: bool| {
        let Some((j, f)) = flat.next() else {
            return false;
        };
        let text = &p.text[start..f.end];
        start = f.end;
        f.opens_item(j) == top
            && item.cut == (p.truncated && j + 1 == n)
            && texts.get(item.text) == text
    };
    for it in items {
        if !same(it, true) || !it.children.iter().all(|c| same(c, false)) {
            return false;
        }
    }
    // No provision left over.
    flat.next().is_none()
}

/// The tree of items of a signature from its key (see [`shape_key`]) and the flat provisions
/// of the document that introduced it (their ids and lines).
fn items_of(key: &[u32], flat: &[FlatProvision]) -> Vec<Item> {
    let mut items: Vec<Item> = Vec::new();
    for (j, (f, pair)) in flat.iter().zip(key.chunks_exact(2)).enumerate() {
        let item = Item {
            id: f.id,
            line: f.line,
            text: pair[0],
            cut: pair[1] & 1 == 1,
            children: Vec::new(),
        };
        match items.last_mut() {
            Some(parent) if !f.opens_item(j) => parent.children.push(item),
            _ => items.push(item),
        }
    }
    items
}

/// A signature in use, with the documents that carry it (indices into the path-sorted docs).
struct Signature {
    shape: u32,
    docs: Vec<u32>,
}

fn signatures(docs: &[Doc], shapes: usize) -> Vec<Signature> {
    let mut by_shape: Vec<Vec<u32>> = vec![Vec::new(); shapes];
    for (i, d) in docs.iter().enumerate() {
        by_shape[d.shape as usize].push(u32::try_from(i).expect("fewer than 2^32 documents"));
    }
    let mut sigs: Vec<Signature> = by_shape
        .into_iter()
        .enumerate()
        .filter(|(_, docs)| !docs.is_empty())
        .map(|(shape, docs)| Signature {
            shape: shape as u32,
            docs,
        })
        .collect();
    // Most common first; ties by the first path (documents are in path order).
    sigs.sort_by(|a, b| {
        b.docs
            .len()
            .cmp(&a.docs.len())
            .then(a.docs[0].cmp(&b.docs[0]))
    });
    sigs
}

/// Every signature with where its provisions landed.
struct Placed {
    sigs: Vec<Signature>,
    /// Per signature, in the order of `sigs`.
    placements: Vec<Vec<Placement>>,
}

/// Where one provision of a document landed: its slot and the item's path in the document.
#[derive(Debug, Clone, Copy)]
struct Placement {
    slot: usize,
    top: usize,
    child: Option<usize>,
    /// The item's index in reading order (see [`Doc::lines`]).
    flat: usize,
}

impl Placement {
    fn item<'a>(&self, items: &'a [Item]) -> &'a Item {
        let top = &items[self.top];
        self.child.map_or(top, |c| &top.children[c])
    }
}

/// A slot under construction.
#[derive(Debug)]
struct Slot {
    parent: Option<usize>,
    children: Vec<usize>,
    /// Profile of the wording that created the slot (a block's profile includes its items).
    rep: Profile,
    /// Block key of that wording: items with the same key are identical to it.
    key: u64,
}

/// Similarity cells one alignment of a certificate against the slots may compute in full
/// (see [`align_by_keyed_with_budget`]). Drift runs two alignments per distinct certificate,
/// so a corpus with thousands of junk documents, each adding slots, must not pay a full
/// dynamic programme against every slot each time; real corpora stay far below this (a
/// hundred top-level slots × 16 provisions is 1,600 cells).
const DRIFT_ALIGN_BUDGET: usize = 1 << 16;

/// Cached similarities kept at most (about 25 MB); past it the cache starts over.
const SIM_CACHE_MAX: usize = 1 << 20;

#[derive(Debug, Default)]
struct SlotSet {
    slots: Vec<Slot>,
    /// Top-level slots in order.
    top: Vec<usize>,
    /// Profiles of distinct items (block key → profile, shared rather than copied into each
    /// alignment) and cached similarities.
    profiles: HashMap<u64, Arc<Profile>>,
    sims: HashMap<(u64, usize), f64, FastHash>,
}

/// A hasher for the builder's and the aligner's own keys (text hashes, slot indices, ids,
/// signature keys), none of which an outsider chooses: one multiply per integer and xxh3 for
/// byte strings, instead of SipHash, which dominated drift on large inputs.
#[derive(Debug, Default)]
struct KeyHasher(u64);

type FastHash = std::hash::BuildHasherDefault<KeyHasher>;

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        self.write_u64(xxh3_64(bytes));
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(23) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

fn block_key(item: &Item) -> u64 {
    let mut bytes = Vec::with_capacity(4 * (1 + item.children.len()));
    bytes.extend_from_slice(&item.text.to_le_bytes());
    for c in &item.children {
        bytes.extend_from_slice(&c.text.to_le_bytes());
    }
    // Keep a top-level item apart from a child with the same text, and a cut-off item apart
    // from a complete one.
    xxh3_64(&bytes)
        ^ if item.has_cut() { 0x5bd1_e995_0000 } else { 0 }
        ^ if item.id.sub.is_some() {
            0x9e37_79b9
        } else {
            0
        }
}

impl SlotSet {
    fn profile(&mut self, texts: &Texts, item: &Item) -> (u64, Arc<Profile>) {
        let key = block_key(item);
        let p = self
            .profiles
            .entry(key)
            .or_insert_with(|| {
                Arc::new(Profile::from_parts(
                    std::iter::once(texts.get(item.text))
                        .chain(item.children.iter().map(|c| texts.get(c.text))),
                ))
            })
            .clone();
        (key, p)
    }

    /// Similarity of an item to a slot; 0 when it cannot reach `min` (such pairs are never
    /// matched, so their exact value does not matter). An item cut off by a truncated
    /// certificate is measured by how far it reads as the start of the slot's wording.
    fn sim(&mut self, key: u64, profile: &Profile, cut: bool, slot: usize, min: f64) -> f64 {
        let rep = &self.slots[slot].rep;
        if !cut && similarity_bound(profile, rep) < min {
            return 0.0;
        }
        if let Some(&s) = self.sims.get(&(key, slot)) {
            return s;
        }
        let s = if cut {
            similarity(profile, rep).max(containment(profile, rep))
        } else {
            similarity(profile, rep)
        };
        if self.sims.len() >= SIM_CACHE_MAX {
            // A cache, not a record: bound its memory on huge inputs.
            self.sims.clear();
        }
        self.sims.insert((key, slot), s);
        s
    }

    /// Aligns `items` against `order` (top-level slots, or the children of one slot) and
    /// returns, for each item, its slot; unmatched items get new slots where they fall when
    /// `grow` is set.
    fn align_level(
        &mut self,
        texts: &Texts,
        items: &[Item],
        parent: Option<usize>,
        opts: &AlignOptions,
        grow: bool,
    ) -> Vec<Option<usize>> {
        let order: Vec<usize> = match parent {
            Some(p) => self.slots[p].children.clone(),
            None => self.top.clone(),
        };
        let profiles: Vec<(u64, Arc<Profile>)> =
            items.iter().map(|it| self.profile(texts, it)).collect();
        let min =
            crate::align::threshold(opts.min_similarity, crate::align::DEFAULT_MIN_SIMILARITY);
        let slot_keys: Vec<u64> = order.iter().map(|&s| self.slots[s].key).collect();
        let item_keys: Vec<u64> = profiles.iter().map(|(k, _)| *k).collect();
        let pairs = align_by_keyed_with_budget(
            &slot_keys,
            &item_keys,
            |s, i| {
                let (key, prof) = &profiles[i];
                self.sim(*key, prof, items[i].has_cut(), order[s], min)
            },
            opts,
            DRIFT_ALIGN_BUDGET,
        );
        let mut result = vec![None; items.len()];
        let mut new_order = Vec::with_capacity(order.len() + items.len());
        for p in pairs {
            match (p.a, p.b) {
                (Some(s), Some(i)) => {
                    result[i] = Some(order[s]);
                    new_order.push(order[s]);
                }
                (Some(s), None) => new_order.push(order[s]),
                (None, Some(i)) if grow => {
                    let id = self.slots.len();
                    self.slots.push(Slot {
                        parent,
                        children: Vec::new(),
                        rep: Profile::clone(&profiles[i].1),
                        key: profiles[i].0,
                    });
                    result[i] = Some(id);
                    new_order.push(id);
                }
                _ => {}
            }
        }
        match parent {
            Some(p) => self.slots[p].children = new_order,
            None => self.top = new_order,
        }
        result
    }

    /// Places every provision of a document in a slot.
    fn assign(
        &mut self,
        texts: &Texts,
        items: &[Item],
        opts: &AlignOptions,
        grow: bool,
    ) -> Vec<Placement> {
        let mut out = Vec::new();
        let tops = self.align_level(texts, items, None, opts, grow);
        let mut flat = 0;
        for (ti, (item, slot)) in items.iter().zip(tops).enumerate() {
            let top_flat = flat;
            flat += 1 + item.children.len();
            let Some(slot) = slot else { continue };
            out.push(Placement {
                slot,
                top: ti,
                child: None,
                flat: top_flat,
            });
            let kids = self.align_level(texts, &item.children, Some(slot), opts, grow);
            for (ci, k) in kids.into_iter().enumerate() {
                if let Some(k) = k {
                    out.push(Placement {
                        slot: k,
                        top: ti,
                        child: Some(ci),
                        flat: top_flat + 1 + ci,
                    });
                }
            }
        }
        out
    }

    /// Slots in reading order: each top-level slot followed by its children.
    fn reading_order(&self) -> Vec<usize> {
        let mut v = Vec::new();
        for &t in &self.top {
            v.push(t);
            v.extend(self.slots[t].children.iter().copied());
        }
        v
    }
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

/// The subject of a business-type block: `你公司在经营信息服务业务时应当遵守下列规定` →
/// `信息服务业务`.
pub fn block_subject(text: &str) -> Option<&str> {
    let start = text.find("经营")? + "经营".len();
    let end = text[start..].find("时")? + start;
    let s = &text[start..end];
    (!s.is_empty() && s.chars().count() <= 30).then_some(s)
}

/// The business type a provision opens a block for (`你公司在经营在线数据处理与交易处理业务时应当
/// 遵守下列规定` → `在线数据处理与交易处理业务`), if it opens one; `你公司在未取得…业务经营许可时,
/// 不得…` opens none.
pub fn block_business(text: &str) -> Option<&str> {
    block_subject(text).filter(|s| s.contains("业务") && text.contains("遵守下列规定"))
}

/// The first words of a clause, past the formula every clause opens with:
/// `你公司应当按照广东省通信管理局要求,…` → `按照广东省通信管理局要求…`.
pub fn opening_words(text: &str) -> String {
    let mut t = text;
    for lead in ["你公司", "应当", "应"] {
        t = t.strip_prefix(lead).unwrap_or(t);
    }
    let t = t.split([',', '。', ';', ':']).next().unwrap_or(t);
    let cut: String = t.chars().take(12).collect();
    if cut.chars().count() < t.chars().count() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// One signature's provision in a slot: (index in [`Placed::sigs`], index in [`Doc::lines`],
/// text). It stands for every document of that signature.
type SlotEntry = (usize, usize, TextId);

fn build_report(
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

/// Names slots by the id most members give them; a name two slots would share gets the
/// block's subject (or a number) appended, and a note saying why.
/// The most frequent of `keys`; ties go to the smallest key.
fn most_common<K: Ord>(keys: impl IntoIterator<Item = (K, usize)>) -> Option<K> {
    let mut counts: BTreeMap<K, usize> = BTreeMap::new();
    for (k, n) in keys {
        *counts.entry(k).or_default() += n;
    }
    counts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .map(|(k, _)| k)
}

fn slot_names(
    b: &DriftBuilder,
    slots: &SlotSet,
    order: &[usize],
    placed: &Placed,
    entries: &[Vec<SlotEntry>],
    present: &[usize],
) -> HashMap<usize, (String, Option<String>)> {
    let sigs = &placed.sigs;
    // Per signature, how many of its documents use each numbering (there are a few): the
    // ids below are counted per numbering, not per document.
    let numberings: Vec<Vec<(u32, usize)>> = sigs
        .iter()
        .map(|sig| {
            let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
            for &d in &sig.docs {
                *counts.entry(b.docs[d as usize].ids).or_default() += 1;
            }
            counts.into_iter().collect()
        })
        .collect();
    let base: HashMap<usize, String> = order
        .iter()
        .map(|&s| {
            let ids = entries[s].iter().flat_map(|&(si, flat, _)| {
                numberings[si]
                    .iter()
                    .map(move |&(ids, n)| (b.id_in(ids, flat), n))
            });
            let id = most_common(ids).unwrap_or(ProvisionId::top(0));
            (s, id.to_string())
        })
        .collect();
    let wording = |s: usize| {
        most_common(
            entries[s]
                .iter()
                .map(|&(si, _, t)| (b.texts.get(t), sigs[si].docs.len())),
        )
    };
    // The most common wording of a top-level slot, for its subject.
    let subject = |s: usize| -> Option<String> {
        let top = slots.slots[s].parent.unwrap_or(s);
        block_subject(wording(top)?).map(str::to_string)
    };
    // Otherwise the opening words of the slot's most common wording.
    let opening = |s: usize| wording(s).map(opening_words);
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &s in order {
        by_name.entry(base[&s].as_str()).or_default().push(s);
    }
    let mut out: HashMap<usize, (String, Option<String>)> = HashMap::new();
    for (name, mut list) in by_name {
        if list.len() == 1 {
            out.insert(list[0], (name.to_string(), None));
            continue;
        }
        // The slot most documents carry keeps the plain name.
        list.sort_by(|&x, &y| present[y].cmp(&present[x]).then(x.cmp(&y)));
        out.insert(list[0], (name.to_string(), None));
        for (k, &s) in list.iter().enumerate().skip(1) {
            let suffix = subject(s)
                .or_else(|| opening(s))
                .unwrap_or_else(|| format!("#{}", k + 1));
            out.insert(
                s,
                (
                    format!("{name} [{suffix}]"),
                    Some(format!(
                        "another clause is also numbered {name} in most certificates; this one is told apart by {suffix}"
                    )),
                ),
            );
        }
    }
    out
}

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

fn build_against(
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
    fn business_blocks_are_told_from_clauses_that_name_a_business() {
        assert_eq!(
            block_business("你公司在经营在线数据处理与交易处理业务时应当遵守下列规定:"),
            Some("在线数据处理与交易处理业务")
        );
        assert_eq!(
            block_business("你公司在经营信息服务业务时应当遵守下列规定"),
            Some("信息服务业务")
        );
        for not_a_block in [
            "你公司在未取得国内通信设施服务业务经营许可时,不得投资建设电信传输网络设施。",
            "你公司在经营信息服务业务时,应当建立健全信息安全管理制度。",
            "你公司应当遵守下列规定:",
        ] {
            assert_eq!(block_business(not_a_block), None, "{not_a_block}");
        }
    }

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

    #[test]
    fn business_sets_hold_the_types_a_header_lists() {
        let set = BusinessSet::of(&[
            "在线数据处理与交易处理业务(仅限经营类电子商务)".to_string(),
            "信息服务业务(仅限互联网信息服务)".to_string(),
            "not a business type".to_string(),
        ]);
        let index = |name| crate::parse::fields::business_type(name).unwrap();
        assert!(set.holds(index("在线数据处理与交易处理业务")));
        assert!(set.holds(index("信息服务业务")));
        assert!(!set.holds(index("互联网数据中心业务")));
        assert_eq!(BusinessSet::of(&[]), BusinessSet::default());
    }

    /// The tree of a document's items built the plain way: each sub-item under the provision
    /// before it, the last item cut off when the certificate is truncated.
    fn tree(texts: &mut Texts, p: &Prepared) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        let mut start = 0;
        for f in &p.provisions {
            let item = Item {
                id: f.id,
                line: f.line,
                text: texts.intern(&p.text[start..f.end], f.hash),
                cut: false,
                children: Vec::new(),
            };
            start = f.end;
            match items.last_mut() {
                Some(parent) if !f.top => parent.children.push(item),
                _ => items.push(item),
            }
        }
        if p.truncated
            && let Some(last) = items.last_mut()
        {
            match last.children.last_mut() {
                Some(child) => child.cut = true,
                None => last.cut = true,
            }
        }
        items
    }

    #[test]
    fn signatures_written_from_flat_provisions_equal_those_of_the_tree() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 4);
        let mut builder = DriftBuilder::new();
        let mut docs = 0;
        let mut all = Vec::new();
        for path in &paths {
            let cert = crate::parse_file(path, &crate::ParseOptions::default()).unwrap();
            let whole = Prepared::from_certificate(cert);
            // Cut off after its last provision, after a sub-item, and with no provision left.
            let mut variants = vec![whole.clone()];
            for keep in [whole.provisions.len(), 3, 0] {
                let mut cut = whole.clone();
                cut.provisions.truncate(keep);
                cut.truncated = true;
                variants.push(cut);
            }
            // The same texts nested otherwise: the first sub-item read as a provision.
            let mut flattened = whole.clone();
            if let Some(f) = flattened.provisions.iter_mut().find(|f| !f.top) {
                f.top = true;
                variants.push(flattened);
            }
            for p in variants {
                let expected = tree(&mut builder.texts, &p);
                let known = builder.shapes.len();
                let doc = builder.intern(p.clone());
                let items = &builder.shapes[doc.shape as usize];
                let key = shape_key(items);
                assert_eq!(key, shape_key(&expected), "{}", p.path);
                assert_eq!(builder.shape_index.get(&key), Some(&doc.shape));
                if builder.shapes.len() > known {
                    // A new signature keeps the ids and lines of the document that brought it.
                    assert_eq!(items, &expected, "{}", p.path);
                }
                let ids: Vec<ProvisionId> = p.provisions.iter().map(|f| f.id).collect();
                assert_eq!(&*builder.id_seqs[doc.ids as usize], &ids[..]);
                // Seen again, it is found by its hash: the same signature.
                assert_eq!(builder.intern(p.clone()).shape, doc.shape);
                docs += 1;
                all.push((p, doc.shape));
            }
        }
        // Every document under the hash of every other: the text-by-text check turns away
        // each one whose signature differs, and it keeps its own.
        for (a, _) in &all {
            for (b, shape) in &all {
                let mut b = b.clone();
                b.sig_hash = a.sig_hash;
                assert_eq!(builder.intern(b).shape, *shape);
            }
        }
        // Four or five documents per seed, and at least as many signatures as seeds.
        assert!(docs > 4 * paths.len());
        assert!(builder.shapes.len() >= paths.len());
    }
}
