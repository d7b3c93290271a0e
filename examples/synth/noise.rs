//! Clean lines to the bytes of a noisy file: the line-level noise (punctuation width, spaces
//! inside CJK text, Markdown, indents), line endings and encodings. Every transformation here
//! leaves the normalized text unchanged.

use super::profile::{Applied, Encoding, Noise, Profile, Width};
use super::rng::Rng;

/// What a line is, for the noise that depends on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Empty.
    Blank,
    /// Cover page, appendix and page furniture.
    Furniture,
    /// The first line of a provision: starts with its label (`label` bytes long).
    Label(usize),
    /// Any other text line (preamble, wrapped or page-continued text).
    Text,
}

/// One output line in normalized form, before noise.
#[derive(Debug, Clone)]
pub struct Line {
    /// Text as the normalizer would return it (plus intentional spaces on the cover).
    pub text: String,
    /// What it is.
    pub role: Role,
}

impl Line {
    /// A line of the given role.
    pub fn new(text: impl Into<String>, role: Role) -> Line {
        Line {
            text: text.into(),
            role,
        }
    }

    /// An empty line.
    pub fn blank() -> Line {
        Line::new("", Role::Blank)
    }
}

/// Applies the line-level noise and joins the lines into one text.
pub fn render(lines: &[Line], p: &Profile, rng: &mut Rng, applied: &mut Applied) -> String {
    let eol = if p.crlf { "\r\n" } else { "\n" };
    if p.crlf {
        applied.mark(Noise::Crlf);
    }
    if !p.blank_lines {
        applied.mark(Noise::NoBlankLines);
    }
    let mut out = String::with_capacity(lines.iter().map(|l| l.text.len() + 8).sum());
    let mut first = true;
    for line in lines {
        if line.role == Role::Blank && !p.blank_lines {
            continue;
        }
        if !first {
            out.push_str(eol);
        }
        first = false;
        out.push_str(&noisy_line(line, p, rng, applied));
    }
    if p.final_newline {
        out.push_str(eol);
    }
    out
}

fn noisy_line(line: &Line, p: &Profile, rng: &mut Rng, applied: &mut Applied) -> String {
    if line.role == Role::Blank {
        return String::new();
    }
    let (label, rest) = match line.role {
        Role::Label(n) => line.text.split_at(n),
        _ => ("", line.text.as_str()),
    };
    let mut label = label.to_string();
    if p.paren_ideograph
        && let Some(c) = paren_ideograph(&label)
    {
        label = c.to_string();
        applied.mark(Noise::ParenIdeograph);
    }
    let mut rest = rest.to_string();
    if p.cjk_spaces && (line.role != Role::Furniture || rng.chance(0.3)) {
        let (s, n) = cjk_spaces(&rest, rng);
        if n > 0 {
            rest = s;
            applied.mark(Noise::CjkSpaces);
        }
    }
    if p.punct_spaces {
        let (s, n) = punct_spaces(&rest, rng);
        if n > 0 {
            rest = s;
            applied.mark(Noise::PunctSpaces);
        }
        if !label.is_empty() && rng.chance(0.8) {
            rest.insert(0, ' ');
            applied.mark(Noise::PunctSpaces);
        }
    }
    let full = match p.width {
        Width::Half => false,
        Width::Full => true,
        Width::Mixed => rng.chance(0.5),
    };
    if full {
        let (l, a) = to_full(&label);
        let (r, b) = to_full(&rest);
        if a + b > 0 {
            applied.mark(match p.width {
                Width::Mixed => Noise::WidthMixed,
                _ => Noise::WidthFull,
            });
        }
        label = l;
        rest = r;
    }
    if p.fullwidth_alnum && rng.chance(0.3) {
        let (l, a) = to_full_alnum(&label);
        let (r, b) = to_full_alnum(&rest);
        if a + b > 0 {
            applied.mark(Noise::FullwidthAlnum);
        }
        label = l;
        rest = r;
    }
    let mut out = String::with_capacity(label.len() + rest.len() + 12);
    if let Role::Label(_) = line.role {
        if p.md_list
            && label.starts_with([
                '(', '（', '㈠', '㈡', '㈢', '㈣', '㈤', '㈥', '㈦', '㈧', '㈨', '㈩',
            ])
        {
            out.push_str("- ");
            applied.mark(Noise::MarkdownHeading);
        }
        if p.indent && rng.chance(0.7) {
            out.push_str(if rng.chance(0.5) {
                "\u{3000}\u{3000}"
            } else {
                "    "
            });
            applied.mark(Noise::Indent);
        }
    }
    if p.md_bold_labels && !label.is_empty() {
        out.push_str("**");
        out.push_str(&label);
        out.push_str("**");
        applied.mark(Noise::MarkdownBold);
    } else {
        out.push_str(&label);
    }
    out.push_str(&rest);
    if p.trailing_spaces && rng.chance(0.4) {
        out.push_str("  ");
        applied.mark(Noise::TrailingSpaces);
    }
    out
}

/// `(一)` … `(十)` as one parenthesized ideograph (U+3220…U+3229), which NFKC folds back.
fn paren_ideograph(label: &str) -> Option<char> {
    let inner = label.strip_prefix('(')?.strip_suffix(')')?;
    let n = "一二三四五六七八九十"
        .chars()
        .position(|c| inner == c.to_string())?;
    char::from_u32(0x3220 + n as u32)
}

/// True when a space may stand between `a` and `b` without changing the normalized text: never
/// between two ASCII letters or digits (the normalizer keeps that space), never next to a space
/// or inside Markdown markup (`* *` is no longer emphasis).
fn space_ok(a: Option<char>, b: Option<char>) -> bool {
    let (Some(x), Some(y)) = (a, b) else {
        return false;
    };
    let markup = |c: char| c.is_whitespace() || matches!(c, '*' | '#' | '_');
    let both_alnum = x.is_ascii_alphanumeric() && y.is_ascii_alphanumeric();
    !(both_alnum || markup(x) || markup(y))
}

/// Spaces around numbers (`第 24 号`), inside `《 》` and, rarely, between two CJK characters.
fn cjk_spaces(s: &str, rng: &mut Rng) -> (String, usize) {
    let cs: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 16);
    let mut n = 0;
    for i in 0..cs.len() {
        if i > 0 {
            let (a, b) = (cs[i - 1], cs[i]);
            let p = if a.is_ascii_digit() != b.is_ascii_digit() {
                0.5
            } else if a == '《' || b == '》' {
                0.3
            } else {
                0.015
            };
            if space_ok(Some(a), Some(b)) && rng.chance(p) {
                out.push(if rng.chance(0.9) { ' ' } else { '\u{3000}' });
                n += 1;
            }
        }
        out.push(cs[i]);
    }
    (out, n)
}

/// A space after commas, semicolons, colons and closing parentheses.
fn punct_spaces(s: &str, rng: &mut Rng) -> (String, usize) {
    let mut out = String::with_capacity(s.len() + 16);
    let mut n = 0;
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        out.push(c);
        if matches!(c, ',' | ';' | ':' | ')')
            && space_ok(Some(c), it.peek().copied())
            && rng.chance(0.85)
        {
            out.push(' ');
            n += 1;
        }
    }
    (out, n)
}

/// Half-width punctuation to its full-width form (NFKC maps it back).
fn to_full(s: &str) -> (String, usize) {
    let mut n = 0;
    let out = s
        .chars()
        .map(|c| {
            let f = match c {
                ',' => '，',
                ':' => '：',
                ';' => '；',
                '(' => '（',
                ')' => '）',
                '!' => '！',
                '?' => '？',
                _ => return c,
            };
            n += 1;
            f
        })
        .collect();
    (out, n)
}

/// ASCII digits, letters and `-` to their full-width forms.
fn to_full_alnum(s: &str) -> (String, usize) {
    let mut n = 0;
    let out = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                n += 1;
                char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)
            } else {
                c
            }
        })
        .collect();
    (out, n)
}

/// Encodes the text; records the encoding as noise unless it is plain UTF-8.
pub fn encode(text: &str, enc: Encoding, applied: &mut Applied) -> Vec<u8> {
    match enc {
        Encoding::Utf8 => text.as_bytes().to_vec(),
        Encoding::Utf8Bom => {
            applied.mark(Noise::Utf8Bom);
            let mut v = vec![0xEF, 0xBB, 0xBF];
            v.extend_from_slice(text.as_bytes());
            v
        }
        Encoding::Gb18030 => {
            applied.mark(Noise::Gb18030);
            let (bytes, _, _) = encoding_rs::GB18030.encode(text);
            bytes.into_owned()
        }
        Encoding::Utf16Le => {
            applied.mark(Noise::Utf16le);
            let mut v = Vec::with_capacity(2 + text.len() * 2);
            v.extend_from_slice(&[0xFF, 0xFE]);
            for u in text.encode_utf16() {
                v.extend_from_slice(&u.to_le_bytes());
            }
            v
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use provdiff::parse::normalize::normalize_line;

    #[test]
    fn transformations_keep_the_normalized_text() {
        let s = "(工业和信息化部令第24号)要求,在安全评估完成30日内向电信主管部门;《电信服务规范》:B2-2022";
        assert_eq!(normalize_line(&to_full(s).0), s);
        assert_eq!(normalize_line(&to_full_alnum(s).0), s);
        let mut rng = Rng::for_cert(1, 2, 3);
        for _ in 0..50 {
            assert_eq!(normalize_line(&cjk_spaces(s, &mut rng).0), s);
            assert_eq!(normalize_line(&punct_spaces(s, &mut rng).0), s);
        }
        assert_eq!(paren_ideograph("(三)"), Some('㈢'));
        assert_eq!(paren_ideograph("(十一)"), None);
    }
}
