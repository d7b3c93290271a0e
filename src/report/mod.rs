//! Renderers: plain data in, bytes out through an `io::Write`; they know nothing of flags.

pub mod compare;
pub mod drift;
pub mod html_compare;
pub mod html_drift;
pub mod redline;
pub mod scan;
pub mod show;

use std::borrow::Cow;

use unicode_width::UnicodeWidthChar;

/// The width of a terminal the tables are laid out for when none is known.
pub const DEFAULT_WIDTH: u16 = 80;

/// Cuts `s` to at most `max` display columns (CJK characters count two), ending with `…`
/// when something was cut.
pub fn truncate_width(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if width + w > max.saturating_sub(1) {
            // Does the rest fit without an ellipsis? (Stop counting once it cannot: the rest
            // may be megabytes long.)
            let mut rest = 0usize;
            for c in s[out.len()..].chars() {
                rest += c.width().unwrap_or(0);
                if width + rest > max {
                    break;
                }
            }
            if width + rest <= max {
                out.push_str(&s[out.len()..]);
            } else {
                out.push('…');
            }
            return out;
        }
        width += w;
        out.push(c);
    }
    out
}

/// Makes a CSV cell safe to open in a spreadsheet: a cell that begins with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or a full-width `＝`, `＋`, `－`, `＠`) would be read as a
/// formula, so it gets a leading `'`. Other cells are returned unchanged.
pub fn csv_safe(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠') => {
            Cow::Owned(format!("'{s}"))
        }
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_cjk_as_two_columns() {
        assert_eq!(truncate_width("你公司应当按照", 7), "你公司…");
        assert_eq!(truncate_width("你公司", 6), "你公司");
        assert_eq!(truncate_width("abc", 3), "abc");
        assert_eq!(truncate_width("abcd", 3), "ab…");
        assert_eq!(truncate_width("", 3), "");
    }

    #[test]
    fn csv_safe_defuses_formulas_only() {
        let formulas = [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-1",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "＝1",
        ];
        for s in formulas {
            assert_eq!(csv_safe(s), format!("'{s}"), "{s:?}");
        }
        for s in ["", "北京某公司", "1+1", "a=b", "'=x", " =x", "2023-08-04"] {
            assert!(matches!(csv_safe(s), Cow::Borrowed(b) if b == s), "{s:?}");
        }
    }
}
