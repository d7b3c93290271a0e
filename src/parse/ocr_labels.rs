//! Labels as OCR mangles them, at the start of a line: the numeral lost (`、`, `)`), read as a
//! lookalike (`入、` for `八、`) or with a character added (`(和八)`), the brackets of a
//! sub-item read in other shapes (`《八)`, `〈八〉`, `{八)`). Which of them are labels, and of
//! which number, [`segment`](crate::parse::segment) decides from the numbering around them.

use crate::parse::numeral;

/// The level of a label: a top-level provision (`十五、`) or a sub-item (`(六)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// `十五、`.
    Top,
    /// `(六)`.
    Sub,
}

/// What may be a label that OCR mangled, at the start of a line: `《一)`, `(和八)`, `〈八〉`,
/// `五)`, `)`, `、`, `入、`, `和信、`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mangled {
    /// The level its shape says.
    pub level: Level,
    /// Its number, when its numeral reads as one once lookalikes (`入` for `八`) are read as
    /// the numerals they stand for and characters the engine adds (`和`) are dropped.
    pub n: Option<u32>,
    /// Length of the label in bytes.
    pub len: usize,
    /// A sub-item label with a numeral between two brackets of whatever shape (`《一)`,
    /// `〈八〉`, `(/八)`): a label beyond doubt where its number is the one due.
    pub whole: bool,
}

/// The numeral a character of a mangled label stands for: `Some(Some(c))` for a numeral or
/// a lookalike OCR reads for one (`入` for `八`, `丸` for `九`, `+` for `十`), `Some(None)`
/// for a character the engine adds inside labels (`和`, a stray stroke), `None` otherwise.
pub fn numeral_like(c: char) -> Option<Option<char>> {
    match c {
        _ if numeral::is_numeral_char(c) => Some(Some(c)),
        '入' | '人' | '从' => Some(Some('八')),
        '丸' => Some(Some('九')),
        '+' => Some(Some('十')),
        '和' | '/' | '\\' | '|' | '\'' | '`' | '·' => Some(None),
        _ => None,
    }
}

/// A shape OCR gives the opening bracket of a sub-item label (`（` read as `《`, `〈`, `{` …).
pub fn is_open(c: char) -> bool {
    matches!(
        c,
        '(' | '《' | '〈' | '{' | '[' | '【' | '<' | '〔' | '“' | '"' | '「' | '『' | '\\'
    )
}

/// A shape OCR gives the closing bracket of a sub-item label.
pub fn is_close(c: char) -> bool {
    matches!(
        c,
        ')' | '》' | '〉' | '}' | ']' | '】' | '>' | '〕' | '”' | '」' | '』'
    )
}

/// Up to three numeral characters (lookalikes read as numerals, added characters dropped) from
/// the start of `t`, at most four characters in all: their number (if they read as one), how
/// many there were, and the byte where they end.
fn numeral_run(t: &str) -> (Option<u32>, usize, usize) {
    let mut digits = ['\0'; 3];
    let mut len = 0;
    let mut end = 0;
    let mut garbled = false;
    for (i, c) in t.char_indices().take(4) {
        match numeral_like(c) {
            Some(Some(d)) => {
                match digits.get_mut(len) {
                    Some(slot) => *slot = d,
                    None => garbled = true,
                }
                len += 1;
            }
            Some(None) => {}
            None => break,
        }
        end = i + c.len_utf8();
    }
    let n = if garbled || len == 0 {
        None
    } else {
        let mut buf = [0u8; 12];
        let mut k = 0;
        for d in &digits[..len] {
            k += d.encode_utf8(&mut buf[k..]).len();
        }
        std::str::from_utf8(&buf[..k]).ok().and_then(numeral::parse)
    };
    (n, len, end)
}

/// A top-level label mangled by OCR at the start of `t`: up to three numeral-like characters
/// (or none: the numeral lost) and `、`; or two characters, one of them numeral-like, and `、`
/// before `你公司` (`和信、你公司…`, where `八、` was printed). Labels as printed
/// ([`top_label`](crate::parse::segment::top_label)) are not asked for.
pub fn mangled_top(t: &str) -> Option<Mangled> {
    let (n, _, end) = numeral_run(t);
    let label = |end: usize, n| Mangled {
        level: Level::Top,
        n,
        len: end + '、'.len_utf8(),
        whole: false,
    };
    if t[end..].starts_with('、') {
        return Some(label(end, n));
    }
    let mut head = t.char_indices().take(3);
    let (_, a) = head.next()?;
    let (_, b) = head.next()?;
    let (end, sep) = head.next()?;
    let numeral_like = numeral_like(a).is_some() || numeral_like(b).is_some();
    (sep == '、' && numeral_like && !is_punctuation(a) && !is_punctuation(b))
        .then_some(())
        .filter(|()| t[end + sep.len_utf8()..].starts_with("你公司"))
        .map(|()| label(end, None))
}

/// ASCII or CJK punctuation (`、` included), which no numeral is misread as.
fn is_punctuation(c: char) -> bool {
    c.is_ascii_punctuation() || ('\u{3000}'..='\u{303f}').contains(&c) || is_close(c) || is_open(c)
}

/// A sub-item label mangled by OCR at the start of `t`: up to two opening brackets of any shape,
/// a numeral (lookalikes allowed) and a closing bracket of any shape, one of the brackets or the
/// numeral possibly lost (`《一)`, `(/八)`, `〈八〉`, `五)`, `)`, `(八`). Labels as printed
/// ([`sub_label`](crate::parse::segment::sub_label)) are not asked for.
pub fn mangled_sub(t: &str) -> Option<Mangled> {
    let mut start = 0;
    for c in t.chars().take(2) {
        if !is_open(c) {
            break;
        }
        start += c.len_utf8();
    }
    let (n, digits, end) = numeral_run(&t[start..]);
    let end = start + end;
    let close = t[end..].chars().next().filter(|&c| is_close(c));
    let opened = start > 0;
    let len = end + close.map_or(0, char::len_utf8);
    // A bracket and a numeral, both brackets, a lone `)`; a lone opening bracket only before
    // `你公司` (`(你公司…`: not `(适用于…`, which follows a label on a line of its own).
    let shaped = match (opened, close.is_some(), digits > 0) {
        (false, false, _) => false,
        (_, true, _) | (true, false, true) => true,
        (true, false, false) => {
            let after = &t[end..];
            after.starts_with('你') || head(after, 3).contains("公司")
        }
    };
    shaped.then_some(Mangled {
        level: Level::Sub,
        n,
        len,
        whole: opened && close.is_some() && n.is_some(),
    })
}

/// The first `n` characters of `t` (all of it when shorter).
fn head(t: &str, n: usize) -> &str {
    t.char_indices().nth(n).map_or(t, |(i, _)| &t[..i])
}

/// Text a provision or sub-item starts with in the certificate templates: `你公司…`,
/// `未经批准…`, `(适用于…)`, as OCR may read them (a character added or misread).
pub fn starts_provision(t: &str) -> bool {
    let four = head(t, 4);
    four.contains("你公")
        || four.contains("公司")
        || t.starts_with("未经")
        || head(t, 5).contains("适用于")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mangled_label_shapes() {
        let top = |t: &str| mangled_top(t).map(|m| (m.n, t[..m.len].to_string()));
        assert_eq!(top("、你公司"), Some((None, "、".to_string())));
        assert_eq!(top("入、你公司"), Some((Some(8), "入、".to_string())));
        assert_eq!(top("和八、你公司"), Some((Some(8), "和八、".to_string())));
        assert_eq!(top("+五、你公司"), Some((Some(15), "+五、".to_string())));
        assert_eq!(top("和信、你公司"), Some((None, "和信、".to_string())));
        assert_eq!(top("和信、电信"), None);
        assert_eq!(top("件、影响"), None);
        assert_eq!(top("你公司、公司"), None);
        let sub = |t: &str| mangled_sub(t).map(|m| (m.n, t[..m.len].to_string(), m.whole));
        assert_eq!(sub("《一)你"), Some((Some(1), "《一)".to_string(), true)));
        assert_eq!(
            sub("〈《八)你"),
            Some((Some(8), "〈《八)".to_string(), true))
        );
        assert_eq!(sub("(/八)你"), Some((Some(8), "(/八)".to_string(), true)));
        assert_eq!(sub("(十》你"), Some((Some(10), "(十》".to_string(), true)));
        assert_eq!(sub("五)你"), Some((Some(5), "五)".to_string(), false)));
        assert_eq!(sub(")你"), Some((None, ")".to_string(), false)));
        assert_eq!(sub("(八你公司"), Some((Some(8), "(八".to_string(), false)));
        assert_eq!(sub("(你公司"), Some((None, "(".to_string(), false)));
        assert_eq!(sub("(适用于信息服务)"), None);
        assert_eq!(sub("《互联网信息服务管理办法》"), None);
        assert_eq!(sub("人人人和和站"), None);
        assert_eq!(
            sub("《十三五》"),
            Some((None, "《十三五》".to_string(), false))
        );
    }
}
