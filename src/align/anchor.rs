//! Anchoring for long alignments ([`align_by_keyed`](super::align_by_keyed)): items with equal
//! keys paired first (common ends, keys unique on both sides, runs of repeated keys), so that
//! only the gaps between anchors are aligned in full.

use super::{Pair, dp_rows};

/// A unit of work of [`anchored`], done in order.
enum Task {
    /// Align `a[a0..a1]` with `b[b0..b1]`, found at the given depth of anchoring.
    Gap(usize, usize, usize, usize, u32),
    /// Pair `a[i]` with `b[j]` (equal keys) if their similarity allows.
    Anchor(usize, usize),
}

/// The anchored alignment of [`align_by_keyed`], without the moved pass. Works from an
/// explicit stack (no recursion), so long inputs cannot overflow the call stack.
pub(super) fn anchored(
    key_a: &[u64],
    key_b: &[u64],
    sim: &mut dyn FnMut(usize, usize) -> f64,
    min: f64,
    budget: usize,
    rows: &mut Vec<Pair>,
) {
    let mut stack = vec![Task::Gap(0, key_a.len(), 0, key_b.len(), 0)];
    while let Some(task) = stack.pop() {
        let (mut a0, mut a1, mut b0, mut b1, depth) = match task {
            Task::Anchor(i, j) => {
                push_anchor(sim, min, i, j, rows);
                continue;
            }
            Task::Gap(a0, a1, b0, b1, depth) => (a0, a1, b0, b1, depth),
        };
        // Common leading and trailing items.
        while a0 < a1 && b0 < b1 && key_a[a0] == key_b[b0] {
            push_anchor(sim, min, a0, b0, rows);
            a0 += 1;
            b0 += 1;
        }
        let mut tail = Vec::new();
        while a0 < a1 && b0 < b1 && key_a[a1 - 1] == key_b[b1 - 1] {
            a1 -= 1;
            b1 -= 1;
            tail.push(Task::Anchor(a1, b1));
        }
        // `tail` holds the trailing anchors last-first, so the first of them ends on top of
        // the stack; the middle is emitted (or pushed) before any of them is popped.
        stack.extend(tail);
        let (n, m) = (a1 - a0, b1 - b0);
        if n == 0 || m == 0 || n.saturating_mul(m) <= budget {
            let mut sims = Vec::with_capacity(n * m);
            for i in a0..a1 {
                for j in b0..b1 {
                    sims.push(sim(i, j));
                }
            }
            dp_rows(n, m, &|i, j| sims[i * m + j], min, (a0, b0), rows);
            continue;
        }
        // Anchors: keys unique on both sides; failing those, equal keys matched greedily in
        // order. Past a depth, or with no anchor at all, pair the gap by position.
        let (ka, kb) = (&key_a[a0..a1], &key_b[b0..b1]);
        let mut anchors = Vec::new();
        if depth < MAX_ANCHOR_DEPTH {
            anchors = unique_anchors(ka, kb);
            if anchors.is_empty() {
                anchors = greedy_anchors(ka, kb);
            }
        }
        if anchors.is_empty() {
            by_position(a0..a1, b0..b1, sim, min, rows);
            continue;
        }
        // Gaps and anchors, pushed last-first.
        let (mut end_a, mut end_b) = (a1, b1);
        for &(i, j) in anchors.iter().rev() {
            let (i, j) = (a0 + i, b0 + j);
            stack.push(Task::Gap(i + 1, end_a, j + 1, end_b, depth + 1));
            stack.push(Task::Anchor(i, j));
            (end_a, end_b) = (i, j);
        }
        stack.push(Task::Gap(a0, end_a, b0, end_b, depth + 1));
    }
}

/// Pairs `a[i]` with `b[j]` when their similarity reaches `min`, else lists both unmatched.
fn push_anchor(
    sim: &mut dyn FnMut(usize, usize) -> f64,
    min: f64,
    i: usize,
    j: usize,
    rows: &mut Vec<Pair>,
) {
    let s = sim(i, j);
    if s >= min {
        rows.push(Pair::both(i, j, s, false));
    } else {
        rows.push(Pair::only_a(i));
        rows.push(Pair::only_b(j));
    }
}

/// Pairs of positions `(i, j)` whose key occurs exactly once in `a` and once in `b`, the
/// longest subset increasing in both (patience diff's anchors). O(k log k).
pub(super) fn unique_anchors(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    use std::collections::HashMap;
    // The map holds the keys of the shorter side only, so the cost is one lookup per item of
    // the longer side: key → (count, position) in the shorter, then in the longer side.
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let mut seen: HashMap<u64, (u32, usize, u32, usize)> = HashMap::with_capacity(short.len());
    for (i, k) in short.iter().enumerate() {
        let e = seen.entry(*k).or_insert((0, i, 0, 0));
        e.0 = e.0.saturating_add(1);
    }
    for (j, k) in long.iter().enumerate() {
        if let Some(e) = seen.get_mut(k) {
            e.2 = e.2.saturating_add(1);
            e.3 = j;
        }
    }
    let mut candidates: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|&(cs, _, cl, _)| cs == 1 && cl == 1)
        .map(|(_, i, _, j)| if a.len() <= b.len() { (i, j) } else { (j, i) })
        .collect();
    candidates.sort_unstable();
    // Longest increasing subsequence of the b positions (a positions already increase).
    let mut tails: Vec<usize> = Vec::new(); // index into candidates of the tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; candidates.len()];
    for (c, &(_, j)) in candidates.iter().enumerate() {
        let len = tails.partition_point(|&t| candidates[t].1 < j);
        prev[c] = len.checked_sub(1).map(|l| tails[l]);
        if len == tails.len() {
            tails.push(c);
        } else {
            tails[len] = c;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(c) = at {
        out.push(candidates[c]);
        at = prev[c];
    }
    out.reverse();
    out
}

/// Levels of anchoring inside anchoring after which a large gap is paired by position: each
/// level costs a pass over the gap, so this bounds the work on adversarial inputs.
const MAX_ANCHOR_DEPTH: u32 = 16;

/// How far ahead in `b` [`greedy_anchors`] looks for an item with the same key.
const GREEDY_WINDOW: usize = 64;

/// Equal keys paired in order, greedily: each item of `a` takes the first unpaired item of `b`
/// with its key within [`GREEDY_WINDOW`] items of the last pair. O(n · window); for long runs
/// of repeated items, where no key is unique.
pub(super) fn greedy_anchors(a: &[u64], b: &[u64]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0usize;
    for (i, k) in a.iter().enumerate() {
        let window = &b[from.min(b.len())..(from + GREEDY_WINDOW).min(b.len())];
        if let Some(d) = window.iter().position(|x| x == k) {
            out.push((i, from + d));
            from += d + 1;
        }
    }
    out
}

/// Pairs a gap by position, keeping pairs whose similarity reaches `min`; the rest of the
/// gap is unmatched (removed rows before added ones).
fn by_position(
    a: std::ops::Range<usize>,
    b: std::ops::Range<usize>,
    sim: &mut dyn FnMut(usize, usize) -> f64,
    min: f64,
    rows: &mut Vec<Pair>,
) {
    let (mut ia, mut ib) = (a.clone(), b.clone());
    for (i, j) in a.zip(b) {
        ia.next();
        ib.next();
        push_anchor(sim, min, i, j, rows);
    }
    rows.extend(ia.map(Pair::only_a));
    rows.extend(ib.map(Pair::only_b));
}
