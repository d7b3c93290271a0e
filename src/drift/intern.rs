//! Interning: each distinct text stored once (found by its hash first), certificates that
//! share their sequence of texts sharing one signature, numberings shared too; and the hasher
//! of these keys.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use crate::model::{Date, ProvisionId};

use super::prepare::{BusinessSet, FlatProvision, Prepared};

pub(super) type TextId = u32;

/// Interned texts: each distinct text stored once, found by its xxh3 hash first.
#[derive(Debug, Default)]
pub(super) struct Texts {
    by_hash: HashMap<u64, TextId, FastHash>,
    /// Texts whose hash collided with a different text (practically never used).
    collided: HashMap<Box<str>, TextId>,
    texts: Vec<Box<str>>,
}

impl Texts {
    pub(super) fn intern(&mut self, text: &str, hash: u64) -> TextId {
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

    #[inline]
    pub(super) fn get(&self, id: TextId) -> &str {
        &self.texts[id as usize]
    }
}

/// A provision in a compact document record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Item {
    pub(super) id: ProvisionId,
    pub(super) line: u32,
    pub(super) text: TextId,
    /// The text stops mid-sentence because the certificate was cut off here.
    pub(super) cut: bool,
    pub(super) children: Vec<Item>,
}

impl Item {
    /// True when this item or one of its sub-items is cut off.
    #[inline]
    pub(super) fn has_cut(&self) -> bool {
        self.cut || self.children.iter().any(|c| c.cut)
    }
}

/// A certificate reduced to what drift needs: its texts are those of its signature (shared by
/// every certificate with the same sequence of texts), only ids and lines are its own.
#[derive(Debug, Clone)]
pub(super) struct Doc {
    /// Shared with every [`Member`] that names this document.
    pub(super) path: Arc<str>,
    pub(super) license_no: Option<String>,
    pub(super) issuer: Option<String>,
    pub(super) year: Option<u16>,
    /// Its issue date, told with the licence number when another file holds that number too.
    pub(super) issued: Option<Date>,
    /// The business types its header lists (see [`Prepared::business`]).
    pub(super) business: BusinessSet,
    /// Index of its signature in [`Interned::shapes`].
    pub(super) shape: u32,
    /// Index of its sequence of ids in [`Interned::id_seqs`].
    pub(super) ids: u32,
    /// Source line of every provision, in reading order (each top-level provision followed
    /// by its sub-items), as [`Placement::flat`] counts them.
    pub(super) lines: Box<[u32]>,
}

/// A hasher for the builder's and the aligner's own keys (text hashes, slot indices, ids,
/// signature keys), none of which an outsider chooses: one multiply per integer and xxh3 for
/// byte strings, instead of SipHash, which dominated drift on large inputs.
#[derive(Debug, Default)]
pub(super) struct KeyHasher(pub(super) u64);

pub(super) type FastHash = std::hash::BuildHasherDefault<KeyHasher>;

impl Hasher for KeyHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0 ^ (self.0 >> 29)
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.write_u64(xxh3_64(bytes));
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(23) ^ n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

/// What the documents added so far share, each stored once: texts, signatures (the provision
/// trees of certificates, texts and cut-offs only) and numberings.
#[derive(Debug, Default)]
pub(super) struct Interned {
    pub(super) texts: Texts,
    /// Distinct signatures.
    pub(super) shapes: Vec<Vec<Item>>,
    /// Signature key (see [`shape_key`]) → index in `shapes`.
    shape_index: HashMap<Box<[u32]>, u32, FastHash>,
    /// Distinct sequences of provision ids in reading order (a few numbering layouts).
    id_seqs: Vec<Box<[ProvisionId]>>,
    id_seq_index: HashMap<Box<[ProvisionId]>, u32, FastHash>,
    /// [`Prepared::sig_hash`] → the signature of the first document that had it.
    by_sig_hash: HashMap<u64, u32, FastHash>,
    /// Reused by [`Interned::doc`] for each document's signature key and numbering.
    key_scratch: Vec<u32>,
    ids_scratch: Vec<ProvisionId>,
}

impl Interned {
    /// A prepared certificate as a document: its texts, signature and numbering interned.
    pub(super) fn doc(&mut self, p: Prepared) -> Doc {
        // Most documents repeat a signature seen before: found by its hash and checked text
        // by text, without interning each text or writing the key.
        let shape = match self.by_sig_hash.get(&p.sig_hash) {
            Some(&s) if same_signature(&self.texts, &self.shapes[s as usize], &p) => s,
            _ => {
                let s = self.signature(&p);
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
    fn signature(&mut self, p: &Prepared) -> u32 {
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
    #[inline]
    pub(super) fn id_of(&self, doc: &Doc, flat: usize) -> ProvisionId {
        self.id_in(doc.ids, flat)
    }

    /// The id at `flat` in reading order in the numbering `ids` (see [`Doc::ids`]).
    #[inline]
    pub(super) fn id_in(&self, ids: u32, flat: usize) -> ProvisionId {
        self.id_seqs[ids as usize][flat]
    }

    /// The text of `id`.
    #[inline]
    pub(super) fn text(&self, id: TextId) -> &str {
        self.texts.get(id)
    }

    /// The items of signature `shape`.
    #[inline]
    pub(super) fn items(&self, shape: u32) -> &[Item] {
        &self.shapes[shape as usize]
    }
}

/// The key of a signature, from its tree (what [`Interned::doc`] writes from the flat
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut interned = Interned::default();
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
                let expected = tree(&mut interned.texts, &p);
                let known = interned.shapes.len();
                let doc = interned.doc(p.clone());
                let items = &interned.shapes[doc.shape as usize];
                let key = shape_key(items);
                assert_eq!(key, shape_key(&expected), "{}", p.path);
                assert_eq!(interned.shape_index.get(&key), Some(&doc.shape));
                if interned.shapes.len() > known {
                    // A new signature keeps the ids and lines of the document that brought it.
                    assert_eq!(items, &expected, "{}", p.path);
                }
                let ids: Vec<ProvisionId> = p.provisions.iter().map(|f| f.id).collect();
                assert_eq!(&*interned.id_seqs[doc.ids as usize], &ids[..]);
                // Seen again, it is found by its hash: the same signature.
                assert_eq!(interned.doc(p.clone()).shape, doc.shape);
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
                assert_eq!(interned.doc(b).shape, *shape);
            }
        }
        // Four or five documents per seed, and at least as many signatures as seeds.
        assert!(docs > 4 * paths.len());
        assert!(interned.shapes.len() >= paths.len());
    }
}
