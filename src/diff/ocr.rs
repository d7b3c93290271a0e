//! OCR slips: takes the changed core of a hunk (and which of its characters the engine read
//! with low confidence) and says whether OCR slips account for all of it.
//!
//! Three kinds of evidence, each checked edit by edit:
//! - the confusion table `data/ocr-confusions.tsv`, what tesseract `chi_sim` was seen to make
//!   of certificate text (覆 → 履, an added 和, `(` → `〈`), plus the classic look-alike pairs
//!   of [`super::is_lookalike_pair`] (已/己, 人/入);
//! - shape-only punctuation: two marks of one shape family (`(` `〈` `《` `【`), which no
//!   author swaps but an engine does;
//! - characters the engine itself doubted (`Provision::uncertain`).
//!
//! The guards that keep numbers, units and obligation words out are the caller's
//! ([`super::classify`]); this module only accounts for the edits.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::{is_lookalike_pair, is_punct_or_space};

/// The confusion table, as shipped (see its header for how it was learned).
const TABLE: &str = include_str!("../../data/ocr-confusions.tsv");

/// Longest text (in characters) on one side of one table entry.
const MAX_ENTRY: usize = 2;

/// One side of an edit, up to [`MAX_ENTRY`] characters, padded with `'\0'`.
type Chars = [char; MAX_ENTRY];

/// The pairs of the confusion table, each stored once with its sides in order, so that a
/// lookup does not depend on which side of a comparison is the OCR text.
#[derive(Debug, Default)]
pub(super) struct Confusions {
    pairs: HashSet<(Chars, Chars)>,
}

impl Confusions {
    /// True if the table holds `a` read as `b` or `b` read as `a` (either may be empty: an
    /// added or dropped character).
    fn contains(&self, a: &[char], b: &[char]) -> bool {
        match (pad(a), pad(b)) {
            (Some(x), Some(y)) => self.pairs.contains(&ordered(x, y)),
            _ => false,
        }
    }

    /// Number of pairs.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.pairs.len()
    }
}

fn pad(s: &[char]) -> Option<Chars> {
    let mut out = ['\0'; MAX_ENTRY];
    if s.len() > MAX_ENTRY {
        return None;
    }
    out[..s.len()].copy_from_slice(s);
    Some(out)
}

fn ordered(x: Chars, y: Chars) -> (Chars, Chars) {
    if x <= y { (x, y) } else { (y, x) }
}

/// The shipped table, parsed on first use.
pub(super) fn confusions() -> &'static Confusions {
    static TABLE_PARSED: OnceLock<Confusions> = OnceLock::new();
    // The table is compiled in and a test checks that every line of it parses; a line that
    // did not would only be left out.
    TABLE_PARSED.get_or_init(|| parse_table(TABLE).0)
}

/// Parses a confusion table: `#` comment lines, a header line starting `kind`, then rows
/// `kind source ocr count …` separated by tabs. Returns the table and the rows it could not
/// read, each with its 1-based line number and why.
pub(super) fn parse_table(text: &str) -> (Confusions, Vec<(usize, String)>) {
    let mut table = Confusions::default();
    let mut bad = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.starts_with("kind\t") || line.trim().is_empty() {
            continue;
        }
        let mut cols = line.split('\t');
        let (Some(kind), Some(source), Some(ocr), Some(count)) =
            (cols.next(), cols.next(), cols.next(), cols.next())
        else {
            bad.push((n + 1, "fewer than 4 columns".to_string()));
            continue;
        };
        let source: Vec<char> = source.chars().collect();
        let ocr: Vec<char> = ocr.chars().collect();
        let shape_ok = match kind {
            "sub" | "punct" => source.len() == 1 && ocr.len() == 1,
            "ins" => source.is_empty() && ocr.len() == 1,
            "del" => source.len() == 1 && ocr.is_empty(),
            "multi" => {
                source.len() <= MAX_ENTRY
                    && ocr.len() <= MAX_ENTRY
                    && source.len() + ocr.len() >= 2
                    && source != ocr
            }
            _ => {
                bad.push((n + 1, format!("unknown kind {kind:?}")));
                continue;
            }
        };
        if !shape_ok {
            bad.push((n + 1, format!("{kind} with {source:?} -> {ocr:?}")));
            continue;
        }
        if count.parse::<u32>().is_err() {
            bad.push((n + 1, format!("count {count:?} is not a number")));
            continue;
        }
        if let (Some(x), Some(y)) = (pad(&source), pad(&ocr)) {
            table.pairs.insert(ordered(x, y));
        }
    }
    (table, bad)
}

/// The shape family of a punctuation mark (after full-width folding), for marks an engine
/// reads as one another: opening brackets, closing brackets, quotes, full stops, dashes, and
/// the enumeration comma with the backtick it is read as. Commas, colons and semicolons are
/// in no family: authors swap those, so a swap among them is no evidence of OCR by its shape
/// (the table lists the swaps the engine was seen to make).
fn shape_family(c: char) -> Option<u8> {
    match c {
        '(' | '[' | '{' | '<' | '〈' | '《' | '【' | '〔' | '〖' | '「' | '『' => Some(1),
        ')' | ']' | '}' | '>' | '〉' | '》' | '】' | '〕' | '〗' | '」' | '』' => Some(2),
        '"' | '\'' | '“' | '”' | '‘' | '’' => Some(3),
        '。' | '.' | '*' | '°' | '·' => Some(4),
        '-' | '—' | '–' | '‐' | '―' | '─' | '~' => Some(5),
        '、' | '`' => Some(6),
        _ => None,
    }
}

/// True if `a` and `b` are two punctuation marks of one shape ([`shape_family`]).
pub(super) fn same_shape(a: char, b: char) -> bool {
    a != b && shape_family(a).is_some() && shape_family(a) == shape_family(b)
}

/// Which characters of one side of a hunk the engine doubted: `doubt(k)` for index `k` of
/// the side's chars.
pub(super) struct Side<'a> {
    /// The core of this side of the hunk.
    pub chars: &'a [char],
    /// Whether the engine read the character at an index of `chars` with low confidence;
    /// indices just outside `chars` (-1, `chars.len()`) are its neighbours.
    pub doubt: &'a dyn Fn(isize) -> bool,
}

/// How many OCR slips account for the change of `old.chars` into `new.chars`, if slips
/// account for it: every edit of a minimal alignment of the two cores is a slip (a table
/// pair, a look-alike pair, a shape-only punctuation swap, or a character the engine
/// doubted), or, when `cosmetic` is true, a punctuation change. `None` if some edit is
/// neither, or if no edit is a slip.
pub(super) fn slips(old: &Side, new: &Side, cosmetic: bool) -> Option<usize> {
    let (n, m) = (old.chars.len(), new.chars.len());
    // best[i][j][g]: fewest slips that account for old[..i] → new[..j], with g = 1 when the
    // last edit was a lone deletion and 2 a lone insertion (0 otherwise). A deletion next to
    // an insertion is a substitution, which the table must list as one: 营 → 有 is no
    // dropped 营 beside an added 有.
    let mut best = vec![[None::<usize>; 3]; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    best[0][0] = Some(0);
    let table = confusions();
    for i in 0..=n {
        for j in 0..=m {
            for g in 0..3 {
                let Some(here) = best[at(i, j)][g] else {
                    continue;
                };
                let mut relax = |i2: usize, j2: usize, g2: usize, cost: usize| {
                    let slot = &mut best[at(i2, j2)][g2];
                    if slot.is_none_or(|s| here + cost < s) {
                        *slot = Some(here + cost);
                    }
                };
                if i < n && j < m && old.chars[i] == new.chars[j] {
                    relax(i + 1, j + 1, 0, 0);
                }
                for k in 0..=MAX_ENTRY.min(n - i) {
                    for l in 0..=MAX_ENTRY.min(m - j) {
                        let g2 = match (k, l) {
                            (0, 0) => continue,
                            (_, 0) if g == 2 => continue,
                            (0, _) if g == 1 => continue,
                            (_, 0) => 1,
                            (0, _) => 2,
                            _ => 0,
                        };
                        match edit(table, old, i..i + k, new, j..j + l) {
                            Edit::Slip => relax(i + k, j + l, g2, 1),
                            Edit::Cosmetic if cosmetic => relax(i + k, j + l, g2, 0),
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    best[at(n, m)]
        .iter()
        .flatten()
        .min()
        .copied()
        .filter(|&s| s > 0)
}

/// What one edit of an alignment is.
enum Edit {
    /// An OCR slip.
    Slip,
    /// Punctuation only, no evidence of OCR.
    Cosmetic,
    /// Anything else.
    Other,
}

fn edit(
    table: &Confusions,
    old: &Side,
    ro: std::ops::Range<usize>,
    new: &Side,
    rn: std::ops::Range<usize>,
) -> Edit {
    let (a, b) = (&old.chars[ro.clone()], &new.chars[rn.clone()]);
    let punct = a.iter().chain(b).all(|&c| is_punct_or_space(c));
    let slip = table.contains(a, b)
        || match (a, b) {
            (&[x], &[y]) => is_lookalike_pair(x, y) || same_shape(x, y),
            _ => false,
        }
        || doubted(old, &ro, new, &rn);
    if slip {
        Edit::Slip
    } else if punct && a.len() <= 1 && b.len() <= 1 {
        Edit::Cosmetic
    } else {
        Edit::Other
    }
}

/// An edit the engine's confidences account for: every character it put on one side was
/// doubted (a misread or an added character), or, where it put nothing (a dropped
/// character), a character next to the gap was.
fn doubted(
    old: &Side,
    ro: &std::ops::Range<usize>,
    new: &Side,
    rn: &std::ops::Range<usize>,
) -> bool {
    let all = |s: &Side, r: &std::ops::Range<usize>| {
        if r.is_empty() {
            (s.doubt)(r.start as isize - 1) || (s.doubt)(r.start as isize)
        } else {
            r.clone().all(|k| (s.doubt)(k as isize))
        }
    };
    all(old, ro) || all(new, rn)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never(_: isize) -> bool {
        false
    }

    fn count(old: &str, new: &str, cosmetic: bool) -> Option<usize> {
        let (o, n): (Vec<char>, Vec<char>) = (old.chars().collect(), new.chars().collect());
        slips(
            &Side {
                chars: &o,
                doubt: &never,
            },
            &Side {
                chars: &n,
                doubt: &never,
            },
            cosmetic,
        )
    }

    #[test]
    fn the_shipped_table_parses_whole() {
        let (table, bad) = parse_table(TABLE);
        assert_eq!(bad, Vec::<(usize, String)>::new());
        // The header of data/ocr-confusions.tsv: 123 pairs (a pair and its reverse are one).
        let rows = TABLE
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("kind\t"))
            .count();
        assert_eq!(rows, 123);
        assert!(table.len() > 100 && table.len() <= rows, "{}", table.len());
        assert!(confusions().contains(&['覆'], &['履']));
        assert!(confusions().contains(&['履'], &['覆']));
        assert!(confusions().contains(&[], &['和']));
        assert!(confusions().contains(&['和'], &[]));
        assert!(confusions().contains(&['(', '四'], &[]));
        assert!(!confusions().contains(&['有'], &['国']));
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let text = "# comment\nkind\tsource\tocr\tcount\nsub\t覆\t履\t68\nsub\t覆盖\t履\t3\nins\t\t和\tmany\nodd\ta\tb\t1\nsub\ta\n";
        let (table, bad) = parse_table(text);
        assert_eq!(table.len(), 1);
        let lines: Vec<usize> = bad.iter().map(|b| b.0).collect();
        assert_eq!(lines, vec![4, 5, 6, 7]);
    }

    #[test]
    fn table_pairs_are_slips() {
        assert_eq!(count("覆", "履", false), Some(1));
        assert_eq!(count("覆盖", "履兰", false), Some(2));
        assert_eq!(count("", "和", false), Some(1));
        assert_eq!(count("户", "", false), Some(1));
        assert_eq!(count("增值", "直", false), Some(1));
        assert_eq!(count("覆", "国", false), None);
    }

    #[test]
    fn shape_only_punctuation_is_a_slip() {
        assert_eq!(count("(", "〈", false), Some(1));
        assert_eq!(count(")", "〕", false), Some(1));
        assert_eq!(count("。", ".", false), Some(1));
        assert!(same_shape('《', '【') && !same_shape(',', '、') && !same_shape('(', '('));
        // A comma for a semicolon is no shape confusion (and not in the table).
        assert_eq!(count(";", "、", false), None);
    }

    #[test]
    fn punctuation_next_to_a_slip_is_cosmetic_when_allowed() {
        assert_eq!(count("覆盖;", "履盖、", true), Some(1));
        assert_eq!(count("覆盖;", "履盖、", false), None);
        // Punctuation alone is no slip.
        assert_eq!(count(";", "、", true), None);
    }

    #[test]
    fn look_alike_pairs_are_slips() {
        assert_eq!(count("已", "己", false), Some(1));
        assert_eq!(count("人", "入", false), Some(1));
    }

    #[test]
    fn doubted_characters_are_slips() {
        let (o, n): (Vec<char>, Vec<char>) = ("管理".chars().collect(), "营理".chars().collect());
        let first = |k: isize| k == 0;
        let side = |c: &'static [char]| c;
        let _ = side;
        assert_eq!(
            slips(
                &Side {
                    chars: &o,
                    doubt: &never
                },
                &Side {
                    chars: &n,
                    doubt: &first
                },
                false
            ),
            Some(1)
        );
        assert_eq!(
            slips(
                &Side {
                    chars: &o,
                    doubt: &never
                },
                &Side {
                    chars: &n,
                    doubt: &never
                },
                false
            ),
            None
        );
        // A dropped character: the engine doubted a neighbour of the gap.
        let (o, n): (Vec<char>, Vec<char>) = ("人员".chars().collect(), "人".chars().collect());
        let last = |k: isize| k == 0;
        assert_eq!(
            slips(
                &Side {
                    chars: &o[1..],
                    doubt: &never
                },
                &Side {
                    chars: &n[1..],
                    doubt: &|k| last(k + 1)
                },
                false
            ),
            Some(1)
        );
    }

    #[test]
    fn a_substitution_is_no_deletion_beside_an_insertion() {
        // Both an added 有 and a dropped 营 are in the table; 营 read as 有 is not.
        assert_eq!(count("", "有", false), Some(1));
        assert_eq!(count("营", "", false), Some(1));
        assert_eq!(count("营", "有", true), None);
        assert_eq!(count("营有", "", true), Some(2));
        // Apart, they are two slips.
        assert_eq!(count("营理", "理有", true), Some(2));
    }

    #[test]
    fn unexplained_edits_are_not_slips() {
        assert_eq!(count("有关", "国家", true), None);
        assert_eq!(count("", "员", true), None);
        assert_eq!(count("覆盖", "覆盖范围", true), None);
    }
}
