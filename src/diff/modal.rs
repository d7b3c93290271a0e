//! Obligation and negation words: takes the two sides of a hunk with their context and says
//! whether the change adds, removes or swaps a word that says what a licensee must, may or
//! must not do.
//!
//! A hunk that does so is [`ChangeClass::Obligation`](super::ChangeClass::Obligation):
//! substantive, and never taken for an OCR slip, however small (不得 → 得 is one character).

use std::ops::Range;

/// What a modal word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mood {
    /// 不, 未, 非, 无: a negation.
    Not,
    /// 不得, 禁止, 勿 …: must not.
    MustNot,
    /// 应当, 应, 须, 必须: must.
    Must,
    /// 可以, 可, 得: may.
    May,
    /// A word that holds one of the characters above without being modal (许可, 应急, 取得 …):
    /// listed so that the character inside it is not read as a modal word.
    None,
}

/// The modal words, matched left to right, the longest one first.
const WORDS: &[(&str, Mood)] = &[
    ("不得", Mood::MustNot),
    ("不准", Mood::MustNot),
    ("不许", Mood::MustNot),
    ("不可", Mood::MustNot),
    ("不能", Mood::MustNot),
    ("禁止", Mood::MustNot),
    ("严禁", Mood::MustNot),
    ("勿", Mood::MustNot),
    ("不", Mood::Not),
    ("未", Mood::Not),
    ("非", Mood::Not),
    ("无", Mood::Not),
    ("应当", Mood::Must),
    ("应该", Mood::Must),
    ("必须", Mood::Must),
    ("须", Mood::Must),
    ("应", Mood::Must),
    ("可以", Mood::May),
    ("可", Mood::May),
    ("得", Mood::May),
    // Words that hold a modal character and are not modal.
    ("许可", Mood::None),
    ("认可", Mood::None),
    ("可靠", Mood::None),
    ("应急", Mood::None),
    ("相应", Mood::None),
    ("供应", Mood::None),
    ("响应", Mood::None),
    ("对应", Mood::None),
    ("适应", Mood::None),
    ("反应", Mood::None),
    ("应用", Mood::None),
    ("回应", Mood::None),
    ("应对", Mood::None),
    ("取得", Mood::None),
    ("获得", Mood::None),
    ("得到", Mood::None),
    ("使得", Mood::None),
    ("所得", Mood::None),
    ("无线", Mood::None),
    ("未来", Mood::None),
];

/// True if the change between `old[core_old]` and `new[core_new]` (each side with the same
/// context around its core) changes the modal words that the core touches: a negation added
/// or removed, an obligation turned into a permission, a prohibition into a permission.
/// Swaps within one mood (应当 → 应, 不得 → 禁止) are not.
pub(super) fn changes_obligation(
    old: &[char],
    core_old: Range<usize>,
    new: &[char],
    core_new: Range<usize>,
) -> bool {
    // Most hunks hold no modal character at all: look before matching words.
    let near = |x: &[char], core: &Range<usize>| {
        let lo = core.start.saturating_sub(1);
        let hi = (core.end + 1).min(x.len());
        x[lo..hi].iter().any(|&c| is_modal_char(c))
    };
    if !near(old, &core_old) && !near(new, &core_new) {
        return false;
    }
    // Both views must see a change: the words inside the cores (so that a slip next to
    // 许可 leaving 可 alone is no permission added) and the words touching them (so that
    // 应当 → 应, the core 当, is no obligation removed).
    let differ = |touching| {
        !modal_words(old, &core_old, touching)
            .map(|(_, m)| m)
            .eq(modal_words(new, &core_new, touching).map(|(_, m)| m))
    };
    differ(false) && differ(true)
}

/// True if the change swaps, adds or removes a negation word (未 → 不 as well as 不 → 得):
/// such a change is never an OCR slip, even where it is no change of obligation.
pub(super) fn changes_negation(
    old: &[char],
    core_old: Range<usize>,
    new: &[char],
    core_new: Range<usize>,
) -> bool {
    let negations = |x: &'_ [char], core: &Range<usize>, touching| -> Vec<Range<usize>> {
        modal_words(x, core, touching)
            .filter(|(_, m)| matches!(m, Mood::Not | Mood::MustNot))
            .map(|(r, _)| r)
            .collect()
    };
    let differ = |touching| {
        let (a, b) = (
            negations(old, &core_old, touching),
            negations(new, &core_new, touching),
        );
        a.len() != b.len()
            || a.iter()
                .zip(&b)
                .any(|(r, q)| old[r.clone()] != new[q.clone()])
    };
    differ(false) && differ(true)
}

fn is_modal_char(c: char) -> bool {
    matches!(
        c,
        '不' | '未' | '非' | '无' | '勿' | '禁' | '应' | '须' | '可' | '得'
    )
}

/// The modal words of `x` (where, and their mood) that overlap `core` (an empty core is the
/// point between two characters: a word overlaps it when it holds it), or, if `touching`,
/// that overlap it or touch its edges.
fn modal_words<'a>(
    x: &'a [char],
    core: &'a Range<usize>,
    touching: bool,
) -> impl Iterator<Item = (Range<usize>, Mood)> + 'a {
    words(x)
        .filter(move |(r, _)| {
            if touching {
                r.start <= core.end && r.end >= core.start
            } else if core.is_empty() {
                r.start < core.start && r.end > core.start
            } else {
                r.start < core.end && r.end > core.start
            }
        })
        .filter(|&(_, m)| m != Mood::None)
}

/// The words of [`WORDS`] in `x`, left to right, the longest match first.
fn words(x: &[char]) -> impl Iterator<Item = (Range<usize>, Mood)> + '_ {
    let mut k = 0;
    std::iter::from_fn(move || {
        while k < x.len() {
            let found = WORDS
                .iter()
                .map(|&(w, mood)| (w.chars().count(), w, mood))
                .filter(|&(n, w, _)| {
                    x.get(k..k + n)
                        .is_some_and(|s| s.iter().copied().eq(w.chars()))
                })
                .max_by_key(|&(n, _, _)| n);
            if let Some((n, _, mood)) = found {
                let start = k;
                k += n;
                return Some((start..k, mood));
            }
            k += 1;
        }
        None
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether replacing `old` by `new` between `before` and `after` changes obligation.
    fn changes(before: &str, old: &str, new: &str, after: &str) -> bool {
        let b: Vec<char> = before.chars().collect();
        let o: Vec<char> = old.chars().collect();
        let n: Vec<char> = new.chars().collect();
        let a: Vec<char> = after.chars().collect();
        let xo: Vec<char> = [&b[..], &o, &a].concat();
        let xn: Vec<char> = [&b[..], &n, &a].concat();
        changes_obligation(
            &xo,
            b.len()..b.len() + o.len(),
            &xn,
            b.len()..b.len() + n.len(),
        )
    }

    #[test]
    fn negation_added_or_removed() {
        assert!(changes("你公司", "不", "", "得开展"));
        assert!(changes("你公司", "", "不", "开展"));
        assert!(changes("", "未", "末", "经批准"));
        assert!(changes("违反", "", "非", "法"));
        assert!(changes("", "禁止", "", "开展"));
        assert!(changes("", "勿", "", "泄露"));
        assert!(changes("", "无", "有", "权"));
    }

    #[test]
    fn obligation_turned_into_permission() {
        assert!(changes("你公司", "应当", "可以", "按照"));
        assert!(changes("你公司", "必须", "可", "按照"));
        assert!(changes("你公司", "须", "得", "按照"));
        assert!(changes("你公司", "应", "", "按照"));
        assert!(changes("你公司", "", "可以", "按照"));
    }

    /// Whether replacing `old` by `new` between `before` and `after` changes a negation.
    fn negation(before: &str, old: &str, new: &str, after: &str) -> bool {
        let b: Vec<char> = before.chars().collect();
        let o: Vec<char> = old.chars().collect();
        let n: Vec<char> = new.chars().collect();
        let a: Vec<char> = after.chars().collect();
        let xo: Vec<char> = [&b[..], &o, &a].concat();
        let xn: Vec<char> = [&b[..], &n, &a].concat();
        changes_negation(
            &xo,
            b.len()..b.len() + o.len(),
            &xn,
            b.len()..b.len() + n.len(),
        )
    }

    #[test]
    fn negation_words_swapped_added_or_removed() {
        assert!(negation("", "未", "不", "经批准"));
        assert!(negation("", "不得", "禁止", "开展"));
        assert!(negation("你公司", "不", "", "得开展"));
        assert!(!negation("你公司应当", "", "和", "遵守"));
        assert!(!negation("你公司", "应当", "应", "遵守"));
        assert!(!negation("无", "线", "钱", "电"));
    }

    #[test]
    fn a_swap_within_one_mood_is_not() {
        assert!(!changes("你公司", "应当", "应", "按照"));
        assert!(!changes("你公司", "必须", "须", "按照"));
        assert!(!changes("你公司", "不得", "禁止", "开展"));
        assert!(!changes("你公司", "可以", "可", "开展"));
    }

    #[test]
    fn slips_next_to_a_modal_word_are_not() {
        assert!(!changes("你公司应当", "", "和", "遵守"));
        assert!(!changes("你公司不得", "", "和", "开展"));
        assert!(!changes("未经", "批", "北", "准"));
        assert!(!changes("", "覆", "履", "盖"));
    }

    #[test]
    fn a_slip_that_leaves_a_modal_character_alone_is_not() {
        // 许可 → ;可: the 可 left over is no permission added.
        assert!(!changes("经营", "许", ";", "可证"));
        assert!(!changes("", "取", "", "得经营许可证"));
    }

    #[test]
    fn modal_characters_inside_other_words_are_not() {
        assert!(!changes("经营许", "可", "目", "证"));
        assert!(!changes("建立", "应", "", "急处置"));
        assert!(!changes("", "获", "取", "得经营许可证"));
        assert!(!changes("在发生", "", "重大", "事件时采取相应措施"));
    }
}
