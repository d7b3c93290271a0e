//! File paths in reports: the directory a set of paths shares, and shortening paths to a number
//! of terminal columns so that each keeps its end (the file name) and distinct paths stay
//! distinct.
//!
//! The rule, for a path wider than the columns it gets (CJK characters count two):
//!
//! 1. `…` and as much of the path's end as fits: `…20/licences/licence_000123.txt`.
//! 2. When that reads the same as another row (the paths differ further left), the end is
//!    the file name, whole when it leaves room, and before it, between two `…`, the place where
//!    the path first differs from every other, with as much of that directory's name as fits:
//!    `…/jia…/licence_000123.txt` beside `…/zhe…/licence_000123.txt`. The shared middle is
//!    what is left out.
//! 3. When even that reads the same as another row, the path is shown whole.
//!
//! Nothing here slices a string at a byte offset found in another string: prefixes end at a
//! separator found in the string itself, and shortening works on characters.

use std::collections::HashMap;

use unicode_width::UnicodeWidthChar;

/// The mark where part of a path was left out.
const ELLIPSIS: char = '…';

/// Columns a character takes on a terminal (CJK two; control characters none, as in
/// [`super::truncate_width`]).
fn char_columns(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Columns a string takes on a terminal: CJK characters two, control characters none.
pub fn columns(s: &str) -> usize {
    s.chars().map(char_columns).sum()
}

fn is_separator(c: char) -> bool {
    c == '/' || c == '\\'
}

/// The directory part every path shares, with its final separator (`corpus/`), or `""` when
/// they share none. Paths are compared by whole components, so `北京.txt` and `南京.txt`
/// (whose first characters share a first byte) share nothing, and `a/bc/x` and `a/b/y`
/// share `a/`.
pub fn common_dir<'a>(paths: impl IntoIterator<Item = &'a str>) -> &'a str {
    let mut paths = paths.into_iter();
    let Some(first) = paths.next() else {
        return "";
    };
    let mut prefix = first.rfind(is_separator).map_or("", |i| &first[..=i]);
    for p in paths {
        if p.starts_with(prefix) {
            continue;
        }
        // The longest run of `prefix`'s leading components that `p` starts with; each end
        // is just after a separator of `prefix`, so it is a character boundary there.
        let keep = prefix
            .match_indices(is_separator)
            .map(|(i, sep)| i + sep.len())
            .take_while(|&end| p.as_bytes().get(..end) == Some(&prefix.as_bytes()[..end]))
            .last()
            .unwrap_or(0);
        prefix = &prefix[..keep];
    }
    prefix
}

/// `path` cut to at most `max` columns by keeping its end: `…` and as much of the end as
/// fits (at least one character). A path that fits is returned whole.
pub fn shorten_path(path: &str, max: usize) -> String {
    if columns(path) <= max {
        return path.to_string();
    }
    let chars: Vec<char> = path.chars().collect();
    ending(&chars, max.saturating_sub(1))
}

/// Every path cut to at most `max` columns by the rule in the module documentation: each
/// keeps its end, and two different paths never read the same (a path that cannot be told
/// apart from another when cut is left whole). Equal paths read the same, of course.
pub fn shorten_paths<S: AsRef<str>>(paths: &[S], max: usize) -> Vec<String> {
    let paths: Vec<&str> = paths.iter().map(AsRef::as_ref).collect();
    let mut out: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    let long: Vec<usize> = (0..paths.len())
        .filter(|&i| columns(paths[i]) > max)
        .collect();
    if long.is_empty() {
        return out;
    }
    let chars: Vec<Vec<char>> = paths.iter().map(|p| p.chars().collect()).collect();
    let differs_at = first_differences(&chars);
    // 1 = the end only, 2 = the distinguishing component and the end, 3 = whole.
    let mut stage: Vec<u8> = vec![0; paths.len()];
    let mut redo = long;
    loop {
        for &i in &redo {
            stage[i] += 1;
            out[i] = match stage[i] {
                1 => ending(&chars[i], max.saturating_sub(1)),
                2 => with_difference(&chars[i], differs_at[i], max),
                _ => paths[i].to_string(),
            };
        }
        // Different paths that read the same: those shown cut are shown less cut.
        let mut readers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, o) in out.iter().enumerate() {
            readers.entry(o.as_str()).or_default().push(i);
        }
        redo = readers
            .values()
            .filter(|group| group.iter().any(|&i| paths[i] != paths[group[0]]))
            .flatten()
            .copied()
            .filter(|&i| (1..3).contains(&stage[i]))
            .collect();
        if redo.is_empty() {
            return out;
        }
    }
}

/// For each path, the index of the first character at which it differs from the path most
/// like it from the left (the length of the longest common prefix with any other, different
/// path); `None` when no other path differs from it.
fn first_differences(chars: &[Vec<char>]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..chars.len()).collect();
    order.sort_by(|&a, &b| chars[a].cmp(&chars[b]));
    order.dedup_by(|a, b| chars[*a] == chars[*b]);
    let lcp = |a: &[char], b: &[char]| a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let mut at: HashMap<&[char], usize> = HashMap::new();
    for (k, &i) in order.iter().enumerate() {
        // The closest path from the left is next to it in sorted order.
        let before = k.checked_sub(1).map(|j| lcp(&chars[i], &chars[order[j]]));
        let after = order.get(k + 1).map(|&j| lcp(&chars[i], &chars[j]));
        if let Some(n) = before.max(after) {
            at.insert(&chars[i], n);
        }
    }
    chars
        .iter()
        .map(|c| at.get(c.as_slice()).copied())
        .collect()
}

/// Where the longest end of `chars[from..]` that fits in `budget` columns starts: at least
/// one character is kept.
fn ending_start(chars: &[char], budget: usize, from: usize) -> usize {
    let mut start = chars.len();
    let mut width = 0;
    while start > from {
        let w = char_columns(chars[start - 1]);
        if width + w > budget && start < chars.len() {
            break;
        }
        width += w;
        start -= 1;
    }
    start
}

/// `…` and the longest end of `chars` that fits in `budget` columns (at least one
/// character).
fn ending(chars: &[char], budget: usize) -> String {
    let start = ending_start(chars, budget, 0);
    let mut s = String::new();
    if start > 0 {
        s.push(ELLIPSIS);
    }
    s.extend(&chars[start..]);
    s
}

/// Columns kept, at the least, around the character where a path differs from the others.
const MIN_WINDOW: usize = 4;

/// The path's end and, before it, the place where the path differs from every other (character
/// `at`) with as much of its path component as fits: `…/2020/…/licence_000000.txt`,
/// `…/jia…/licence_000000.txt`. The file name (with its separator) stays whole when at least
/// [`MIN_WINDOW`] columns remain beside it. `…` and the end alone when `at` is unknown.
fn with_difference(chars: &[char], at: Option<usize>, max: usize) -> String {
    let Some(at) = at.filter(|&at| at < chars.len()) else {
        return ending(chars, max.saturating_sub(1));
    };
    let cols = |part: &[char]| part.iter().copied().map(char_columns).sum::<usize>();
    // The end kept: the file name with its separator when the difference lies before it,
    // else what follows the difference.
    let name = chars.iter().rposition(|&c| is_separator(c)).unwrap_or(0);
    let tail_from = if at < name { name } else { at + 1 };
    let component = chars[..at]
        .iter()
        .rposition(|&c| is_separator(c))
        .unwrap_or(0);
    let component_end = chars[at..]
        .iter()
        .position(|&c| is_separator(c))
        .map_or(chars.len(), |k| at + k + 1)
        .min(tail_from.max(at + 1));
    // The end gets its whole width when the window keeps [`MIN_WINDOW`] columns; else (a
    // long file name) the window gets its component, up to a third of the width.
    let tail_width = cols(&chars[tail_from..]);
    let tail_budget = if tail_width + 2 + MIN_WINDOW <= max {
        tail_width
    } else {
        let window =
            cols(&chars[component..component_end]).clamp(MIN_WINDOW, (max / 3).max(MIN_WINDOW));
        max.saturating_sub(2 + window)
    };
    let tail = ending_start(chars, tail_budget, tail_from);
    // The window: the differing character, then as much as fits of its component before it,
    // of what follows it, and of what precedes the component.
    let budget = max.saturating_sub(cols(&chars[tail..]) + 2);
    let (mut from, mut to) = (at, at + 1);
    let mut width = char_columns(chars[at]);
    let grow = |edge: &mut usize, step: isize, limit: usize, width: &mut usize| {
        while *edge != limit {
            let next = edge.wrapping_add_signed(step);
            let c = chars[if step < 0 { next } else { *edge }];
            if *width + char_columns(c) > budget {
                break;
            }
            *width += char_columns(c);
            *edge = next;
        }
    };
    grow(&mut from, -1, component, &mut width);
    grow(&mut to, 1, tail, &mut width);
    grow(&mut from, -1, 0, &mut width);
    let mut s = String::new();
    if from > 0 {
        s.push(ELLIPSIS);
    }
    s.extend(&chars[from..to]);
    if to < tail {
        s.push(ELLIPSIS);
    }
    s.extend(&chars[tail..]);
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_dir_is_made_of_whole_components() {
        let dir = |paths: &[&str]| common_dir(paths.iter().copied()).to_string();
        assert_eq!(dir(&["corpus/000_a.txt", "corpus/001_b.txt"]), "corpus/");
        assert_eq!(dir(&["a/b/000.txt", "a/c/001.txt"]), "a/");
        assert_eq!(dir(&["a/bc/000.txt", "a/b/001.txt"]), "a/");
        assert_eq!(dir(&["x.txt", "y.txt"]), "");
        assert_eq!(dir(&["d/000.txt"]), "d/");
        assert_eq!(dir(&[]), "");
        assert_eq!(dir(&["北京.txt", "南京.txt"]), "");
        assert_eq!(dir(&["证书一.txt", "证书二.txt"]), "");
        assert_eq!(dir(&["/tmp/x/北京.txt", "/tmp/x/南京.txt"]), "/tmp/x/");
        assert_eq!(dir(&["证书/北京/1.txt", "证书/南京/2.txt"]), "证书/");
        assert_eq!(dir(&["c:\\证书\\一.txt", "c:\\证书\\二.txt"]), "c:\\证书\\");
    }

    #[test]
    fn a_path_keeps_its_end() {
        assert_eq!(shorten_path("corpus/000.txt", 20), "corpus/000.txt");
        assert_eq!(shorten_path("corpus/000.txt", 14), "corpus/000.txt");
        assert_eq!(shorten_path("corpus/000.txt", 8), "…000.txt");
        assert_eq!(shorten_path("证书/北京.txt", 9), "…北京.txt");
        assert_eq!(shorten_path("证书/北京.txt", 8), "…京.txt");
        assert_eq!(shorten_path("abc", 0), "…c");
    }

    #[test]
    fn distinct_paths_stay_distinct() {
        let paths = [
            "/data/licences/jiangsu/2020/000000_3fa2e29c17b4fcd1.txt",
            "/data/licences/jiangsu/2021/000000_3fa2e29c17b4fcd1.txt",
            "/data/licences/beijing/2021/000001_0b8f8b01.txt",
            "short.txt",
        ];
        let out = shorten_paths(&paths, 24);
        assert_eq!(
            out,
            [
                "…/2020…2e29c17b4fcd1.txt",
                "…/2021…2e29c17b4fcd1.txt",
                "…021/000001_0b8f8b01.txt",
                "short.txt",
            ]
        );
        // Paths that differ far from their end keep the file name whole and show where
        // they differ.
        let out = shorten_paths(
            &[
                "/tmp/x/jiangsu-communications-administration/2020/licences/licence_000000.txt",
                "/tmp/x/zhejiang-communications-administration/2020/licences/licence_000000.txt",
            ],
            25,
        );
        assert_eq!(
            out,
            ["…/jia…/licence_000000.txt", "…/zhe…/licence_000000.txt"]
        );
        let out = shorten_paths(
            &[
                "a/b/2020-long-directory-name/cd/name.txt",
                "a/b/2021-long-directory-name/cd/name.txt",
            ],
            16,
        );
        assert_eq!(out, ["…/2020…/name.txt", "…/2021…/name.txt"]);
        // A difference in the middle of a long file name.
        let names = [
            "jiangsu-communications-administration-2020-licence-000.txt",
            "jiangsu-communications-administration-2021-licence-000.txt",
        ];
        let out = shorten_paths(&names, 30);
        assert_ne!(out[0], out[1]);
        for (o, n) in out.iter().zip(names) {
            assert!(o.ends_with("000.txt"), "{o}");
            assert!(o.contains(&n[38..42]), "{o} shows the year");
        }
    }

    #[test]
    fn equal_paths_read_the_same() {
        let out = shorten_paths(&["dir/sub/a.txt", "dir/sub/a.txt", "dir/sub/b.txt"], 6);
        assert_eq!(out, ["…a.txt", "…a.txt", "…b.txt"]);
    }

    fn path() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just('/'),
                Just('\\'),
                Just('…'),
                Just('.'),
                proptest::char::range('a', 'c'),
                proptest::char::range('一', '三'),
                proptest::char::range('\u{80}', '\u{10ffff}'),
            ],
            0..24,
        )
        .prop_map(|c| c.into_iter().collect())
    }

    proptest! {
        #[test]
        fn any_paths_are_shortened_without_panic_and_stay_distinct(
            paths in proptest::collection::vec(path(), 0..8),
            max in 0usize..30,
        ) {
            let dir = common_dir(paths.iter().map(String::as_str));
            for p in &paths {
                prop_assert!(p.starts_with(dir));
            }
            let out = shorten_paths(&paths, max);
            prop_assert_eq!(out.len(), paths.len());
            for (i, a) in paths.iter().enumerate() {
                let short = shorten_path(a, max);
                prop_assert!(short == *a || columns(&short) <= max.max(3));
                for (j, b) in paths.iter().enumerate() {
                    prop_assert_eq!(a == b, out[i] == out[j], "{:?} {:?} -> {:?}", a, b, out);
                }
            }
        }
    }
}
