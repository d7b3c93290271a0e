//! Inline redlines of diff ops in every output style: ANSI colour, plain `[-…-]{+…+}`,
//! Markdown `~~…~~`/`**…**` and HTML `<del>`/`<ins>`.

use crate::diff::{Op, OpKind};

/// How deletions and insertions are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Red deletions, green insertions (ANSI SGR codes).
    Ansi,
    /// `[-deleted-]{+inserted+}`, like `git diff --word-diff=plain`.
    Plain,
    /// `~~deleted~~**inserted**`, with Markdown specials in the text escaped.
    Markdown,
    /// `<del>…</del><ins>…</ins>`, with the text HTML-escaped.
    Html,
}

const RED: &str = "\x1b[31m\x1b[9m";
const GREEN: &str = "\x1b[32m\x1b[4m";
const RESET: &str = "\x1b[0m";

/// Escapes the characters Markdown would read as markup (`* _ ~ | [ ] < > # & \` and
/// backticks), and turns line breaks and other control characters into spaces, so the text
/// can neither open a tag or an entity nor break out of a table cell or list item.
pub fn escape_markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.push(' ');
            continue;
        }
        if matches!(
            c,
            '*' | '_' | '~' | '|' | '[' | ']' | '<' | '>' | '#' | '&' | '\\' | '`'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a Markdown code span (`` `…` ``), such as a file name: backticks become `'` and
/// line breaks and other control characters spaces, so the text cannot end the span or
/// start a new block.
pub fn code_span(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '`' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    html_escape::encode_quoted_attribute(s).into_owned()
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || matches!(
            c,
            '。' | '、'
                | '，'
                | '；'
                | '：'
                | '“'
                | '”'
                | '‘'
                | '’'
                | '《'
                | '》'
                | '（'
                | '）'
                | '【'
                | '】'
                | '…'
                | '—'
                | '·'
        )
}

/// Whether `**`/`~~` around `text` would be read as emphasis by CommonMark: a delimiter next
/// to punctuation on the inside needs whitespace or punctuation on the outside.
fn markers_flank(prev: Option<char>, text: &str, next: Option<char>) -> bool {
    let loose = |c: Option<char>| c.is_none_or(|c| c.is_whitespace() || is_punct(c));
    let first = text.chars().next();
    let last = text.chars().next_back();
    let opens =
        !first.is_some_and(|c| c.is_whitespace()) && (!first.is_some_and(is_punct) || loose(prev));
    let closes =
        !last.is_some_and(|c| c.is_whitespace()) && (!last.is_some_and(is_punct) || loose(next));
    opens && closes
}

/// Renders ops as one inline redline.
pub fn redline(ops: &[Op], style: Style) -> String {
    let mut out = String::new();
    for (i, op) in ops.iter().enumerate() {
        if style == Style::Markdown && op.op != OpKind::Equal {
            let prev = i
                .checked_sub(1)
                .and_then(|j| ops[j].text.chars().next_back());
            let next = ops.get(i + 1).and_then(|o| o.text.chars().next());
            if !markers_flank(prev, &op.text, next) {
                // GitHub and GitLab render these tags; `**` would show as literal asterisks.
                let tag = if op.op == OpKind::Delete {
                    "del"
                } else {
                    "ins"
                };
                out.push_str(&format!("<{tag}>{}</{tag}>", escape_markdown(&op.text)));
                continue;
            }
        }
        let t = op.text.as_str();
        match (style, op.op) {
            (Style::Ansi | Style::Plain, OpKind::Equal) => out.push_str(t),
            (Style::Markdown, OpKind::Equal) => out.push_str(&escape_markdown(t)),
            (Style::Html, OpKind::Equal) => out.push_str(&escape_html(t)),
            (Style::Ansi, OpKind::Delete) => out.push_str(&format!("{RED}{t}{RESET}")),
            (Style::Ansi, OpKind::Insert) => out.push_str(&format!("{GREEN}{t}{RESET}")),
            (Style::Plain, OpKind::Delete) => out.push_str(&format!("[-{t}-]")),
            (Style::Plain, OpKind::Insert) => out.push_str(&format!("{{+{t}+}}")),
            (Style::Markdown, OpKind::Delete) => {
                out.push_str(&format!("~~{}~~", escape_markdown(t)))
            }
            (Style::Markdown, OpKind::Insert) => {
                out.push_str(&format!("**{}**", escape_markdown(t)))
            }
            (Style::Html, OpKind::Delete) => {
                out.push_str(&format!("<del>{}</del>", escape_html(t)))
            }
            (Style::Html, OpKind::Insert) => {
                out.push_str(&format!("<ins>{}</ins>", escape_html(t)))
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops() -> Vec<Op> {
        vec![
            Op {
                op: OpKind::Equal,
                text: "按照".into(),
            },
            Op {
                op: OpKind::Delete,
                text: "有关".into(),
            },
            Op {
                op: OpKind::Insert,
                text: "国家*<b>".into(),
            },
            Op {
                op: OpKind::Equal,
                text: "法律".into(),
            },
        ]
    }

    #[test]
    fn styles() {
        assert_eq!(
            redline(&ops(), Style::Plain),
            "按照[-有关-]{+国家*<b>+}法律"
        );
        assert_eq!(
            redline(&ops(), Style::Markdown),
            "按照~~有关~~<ins>国家\\*\\<b\\></ins>法律"
        );
        assert_eq!(
            redline(&ops(), Style::Html),
            "按照<del>有关</del><ins>国家*&lt;b&gt;</ins>法律"
        );
        assert!(redline(&ops(), Style::Ansi).contains("\x1b[31m"));
    }

    #[test]
    fn markdown_falls_back_to_tags_where_markers_would_not_flank() {
        let ops = vec![
            Op {
                op: OpKind::Equal,
                text: "要求,".into(),
            },
            Op {
                op: OpKind::Insert,
                text: "开展用户信息保护工作,".into(),
            },
            Op {
                op: OpKind::Equal,
                text: "落实".into(),
            },
        ];
        assert_eq!(
            redline(&ops, Style::Markdown),
            "要求,<ins>开展用户信息保护工作,</ins>落实"
        );
        let ops = vec![
            Op {
                op: OpKind::Equal,
                text: "按照".into(),
            },
            Op {
                op: OpKind::Delete,
                text: "有关".into(),
            },
            Op {
                op: OpKind::Equal,
                text: "法律".into(),
            },
        ];
        assert_eq!(redline(&ops, Style::Markdown), "按照~~有关~~法律");
    }
}
