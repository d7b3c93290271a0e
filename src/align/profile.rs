//! Text profiles for fast similarity: the sorted multiset of a text's character bigrams,
//! compared by the Dice coefficient, with a bound that skips comparisons that cannot reach a
//! threshold.

use crate::model::Provision;

/// A compact, reusable text fingerprint for fast similarity: the sorted multiset of character
/// bigrams, each packed losslessly into a `u64`, plus the character count.
///
/// Whitespace is skipped and full-width ASCII forms (`，` `（` `Ａ`) are folded to half-width,
/// so OCR spacing and width noise do not lower the similarity. A text of one character is
/// represented by that character alone, so it still matches itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Profile {
    grams: Box<[u64]>,
    chars: usize,
}

/// Marker in the high half of a gram key for a lone character (one-character texts); it lies
/// above every Unicode scalar value, so it never collides with a real bigram.
const LONE: u64 = 0x1F_FFFF;

fn fold(c: char) -> u64 {
    let c = c as u32;
    let c = if (0xFF01..=0xFF5E).contains(&c) {
        c - 0xFEE0
    } else {
        c
    };
    u64::from(c)
}

impl Profile {
    /// The profile of one text.
    pub(crate) fn new(text: &str) -> Profile {
        Profile::from_parts([text])
    }

    /// The profile of several texts taken together, as one multiset; no bigram spans two
    /// parts. Used for a block: its heading plus the texts of its sub-items.
    pub(crate) fn from_parts<'a, I: IntoIterator<Item = &'a str>>(parts: I) -> Profile {
        let mut grams = Vec::new();
        let mut chars = 0usize;
        for part in parts {
            let mut prev: Option<u64> = None;
            let mut n = 0usize;
            for c in part.chars().filter(|c| !c.is_whitespace()).map(fold) {
                if let Some(p) = prev {
                    grams.push((p << 21) | c);
                }
                prev = Some(c);
                n += 1;
            }
            if let (1, Some(p)) = (n, prev) {
                grams.push((LONE << 21) | p);
            }
            chars += n;
        }
        grams.sort_unstable();
        Profile {
            grams: grams.into_boxed_slice(),
            chars,
        }
    }

    /// A 64-bit hash of the profile: equal for texts that differ only in whitespace and
    /// width, practically never equal otherwise. Used to anchor long alignments.
    pub(crate) fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&(self.chars as u64).to_le_bytes());
        for g in self.grams.iter() {
            h.update(&g.to_le_bytes());
        }
        h.digest()
    }

    /// Number of characters profiled (whitespace excluded).
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.chars
    }

    /// True when the text had no character other than whitespace.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.chars == 0
    }
}

/// Similarity in [0, 1]: Dice coefficient over character bigram multisets (1.0 for identical
/// texts, also for two empty texts; 0.0 for an empty and a non-empty text). Linear-time merge
/// of two sorted vectors, no allocation.
pub(crate) fn similarity(a: &Profile, b: &Profile) -> f64 {
    let (x, y) = (&a.grams[..], &b.grams[..]);
    let total = x.len() + y.len();
    if total == 0 {
        return 1.0;
    }
    let (long, short) = if x.len() >= y.len() { (x, y) } else { (y, x) };
    let common = if long.len() / 16 > short.len() {
        common_by_search(long, short)
    } else {
        common_by_merge(x, y)
    };
    (2 * common) as f64 / total as f64
}

/// Share of `part`'s character bigrams that also occur in `whole` (1.0 for an empty part):
/// how far `part` reads as a piece of `whole`, as a truncated provision reads as the start of
/// the complete one. Not symmetric, and generous for short parts: use it only where a text is
/// known to be cut off.
pub(crate) fn containment(part: &Profile, whole: &Profile) -> f64 {
    let (x, y) = (&part.grams[..], &whole.grams[..]);
    if x.is_empty() {
        return 1.0;
    }
    let common = if y.len() / 16 > x.len() {
        common_by_search(y, x)
    } else {
        common_by_merge(x, y)
    };
    common as f64 / x.len() as f64
}

/// Size of the multiset intersection of two sorted slices, by a linear merge.
pub(super) fn common_by_merge(x: &[u64], y: &[u64]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

/// The same as [`common_by_merge`] when `long` is much longer than `short`: each distinct
/// value of `short` is looked up in `long` by binary search, O(|short| · log |long|).
pub(super) fn common_by_search(long: &[u64], short: &[u64]) -> usize {
    let (mut from, mut k, mut common) = (0usize, 0usize, 0usize);
    while k < short.len() {
        let v = short[k];
        let run = short[k..].partition_point(|&g| g == v);
        let rest = &long[from..];
        let lo = rest.partition_point(|&g| g < v);
        let hi = lo + rest[lo..].partition_point(|&g| g == v);
        common += run.min(hi - lo);
        from += hi;
        k += run;
    }
    common
}

/// Convenience: similarity of two strings.
pub fn text_similarity(a: &str, b: &str) -> f64 {
    similarity(&Profile::new(a), &Profile::new(b))
}

/// The profile [`align_certificates`] uses for a top-level provision: its own text plus the
/// texts of its sub-items, so a block is recognised by its content, not only its heading.
pub(crate) fn block_profile(p: &Provision) -> Profile {
    Profile::from_parts(
        std::iter::once(p.text.as_str()).chain(p.children.iter().map(|c| c.text.as_str())),
    )
}

/// An upper bound of [`similarity`] from the bigram counts alone, O(1): the Dice coefficient
/// cannot exceed `2·min(|A|, |B|) / (|A| + |B|)`. Use it to skip merges that cannot reach a
/// threshold.
#[inline]
pub(crate) fn similarity_bound(a: &Profile, b: &Profile) -> f64 {
    let (x, y) = (a.grams.len(), b.grams.len());
    if x + y == 0 {
        1.0
    } else {
        (2 * x.min(y)) as f64 / (x + y) as f64
    }
}
