//! Slot placement: every distinct signature aligned against the slots found so far, most
//! common first, new clauses becoming new slots where they fall; then every signature placed
//! again against the complete slots.

use std::collections::HashMap;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use crate::align::{
    AlignOptions, Profile, align_by_keyed_with_budget, containment, similarity, similarity_bound,
};

use super::intern::{Doc, FastHash, Interned, Item, Texts};

/// A signature in use, with the documents that carry it (indices into the path-sorted docs).
pub(super) struct Signature {
    pub(super) shape: u32,
    pub(super) docs: Vec<u32>,
}

/// The signatures of `docs` (of `shapes` interned ones) that some document carries, most
/// common first.
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
pub(super) struct Placed {
    pub(super) sigs: Vec<Signature>,
    /// Per signature, in the order of `sigs`.
    pub(super) placements: Vec<Vec<Placement>>,
    /// Each document's signature, as an index in `sigs`.
    pub(super) doc_sig: Vec<u32>,
}

/// Places the provisions of `docs` (in path order) in slots. Pass 1 discovers the slots,
/// most common signature first; pass 2 places every signature against the complete slots.
pub(super) fn place(interned: &Interned, docs: &[Doc], opts: &AlignOptions) -> (SlotSet, Placed) {
    let mut slots = SlotSet::default();
    let sigs = signatures(docs, interned.shapes.len());
    for sig in &sigs {
        slots.assign(&interned.texts, interned.items(sig.shape), opts);
    }
    let placements = sigs
        .iter()
        .map(|sig| slots.assign(&interned.texts, interned.items(sig.shape), opts))
        .collect();
    let mut doc_sig = vec![0u32; docs.len()];
    for (si, sig) in sigs.iter().enumerate() {
        let si = u32::try_from(si).expect("fewer than 2^32 signatures");
        for &d in &sig.docs {
            doc_sig[d as usize] = si;
        }
    }
    let placed = Placed {
        sigs,
        placements,
        doc_sig,
    };
    (slots, placed)
}

/// The documents laid out in slots: what report building, slot naming and `--against` read.
pub(super) struct Layout<'a> {
    pub(super) interned: &'a Interned,
    /// In path order.
    pub(super) docs: &'a [Doc],
    pub(super) slots: &'a SlotSet,
    pub(super) placed: &'a Placed,
}

/// Where one provision of a document landed: its slot and the item's path in the document.
#[derive(Debug, Clone, Copy)]
pub(super) struct Placement {
    pub(super) slot: usize,
    pub(super) top: usize,
    pub(super) child: Option<usize>,
    /// The item's index in reading order (see [`Doc::lines`]).
    pub(super) flat: usize,
}

impl Placement {
    #[inline]
    pub(super) fn item<'a>(&self, items: &'a [Item]) -> &'a Item {
        let top = &items[self.top];
        self.child.map_or(top, |c| &top.children[c])
    }
}

/// A slot under construction.
#[derive(Debug)]
pub(super) struct Slot {
    pub(super) parent: Option<usize>,
    pub(super) children: Vec<usize>,
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
pub(super) struct SlotSet {
    pub(super) slots: Vec<Slot>,
    /// Top-level slots in order.
    top: Vec<usize>,
    /// Profiles of distinct items (block key → profile, shared rather than copied into each
    /// alignment) and cached similarities.
    profiles: HashMap<u64, Arc<Profile>>,
    sims: HashMap<(u64, usize), f64, FastHash>,
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
    /// returns, for each item, its slot: an item that matches none gets a new slot where it
    /// falls.
    fn align_level(
        &mut self,
        texts: &Texts,
        items: &[Item],
        parent: Option<usize>,
        opts: &AlignOptions,
    ) -> Vec<usize> {
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
        // The alignment lists every item once: each gets its slot below.
        let mut result = vec![usize::MAX; items.len()];
        let mut new_order = Vec::with_capacity(order.len() + items.len());
        for p in pairs {
            match (p.a, p.b) {
                (Some(s), Some(i)) => {
                    result[i] = order[s];
                    new_order.push(order[s]);
                }
                (Some(s), None) => new_order.push(order[s]),
                (None, Some(i)) => {
                    let id = self.slots.len();
                    self.slots.push(Slot {
                        parent,
                        children: Vec::new(),
                        rep: Profile::clone(&profiles[i].1),
                        key: profiles[i].0,
                    });
                    result[i] = id;
                    new_order.push(id);
                }
                (None, None) => {}
            }
        }
        match parent {
            Some(p) => self.slots[p].children = new_order,
            None => self.top = new_order,
        }
        result
    }

    /// Places every provision of a document in a slot.
    pub(super) fn assign(
        &mut self,
        texts: &Texts,
        items: &[Item],
        opts: &AlignOptions,
    ) -> Vec<Placement> {
        let mut out = Vec::new();
        let tops = self.align_level(texts, items, None, opts);
        let mut flat = 0;
        for (ti, (item, slot)) in items.iter().zip(tops).enumerate() {
            let top_flat = flat;
            flat += 1 + item.children.len();
            out.push(Placement {
                slot,
                top: ti,
                child: None,
                flat: top_flat,
            });
            let kids = self.align_level(texts, &item.children, Some(slot), opts);
            for (ci, k) in kids.into_iter().enumerate() {
                out.push(Placement {
                    slot: k,
                    top: ti,
                    child: Some(ci),
                    flat: top_flat + 1 + ci,
                });
            }
        }
        out
    }

    /// Slots in reading order: each top-level slot followed by its children.
    pub(super) fn reading_order(&self) -> Vec<usize> {
        let mut v = Vec::new();
        for &t in &self.top {
            v.push(t);
            v.extend(self.slots[t].children.iter().copied());
        }
        v
    }
}
