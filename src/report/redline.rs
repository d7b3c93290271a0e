//! Inline redlines of diff ops in every output style: ANSI colour, plain `[-…-]{+…+}`,
//! Markdown `~~…~~`/`**…**` or `<del>`/`<ins>` (one of the two per report), and HTML
//! `<del>`/`<ins>`.

use crate::diff::{Op, OpKind};
use crate::report::html::escape;

/// How deletions and insertions are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Red deletions, green insertions (ANSI SGR codes).
    Ansi,
    /// `[-deleted-]{+inserted+}`, like `git diff --word-diff=plain`.
    Plain,
    /// `~~deleted~~**inserted**`, with Markdown specials in the text escaped. Only where
    /// every change can be marked so ([`markdown_style`] chooses).
    Markdown,
    /// `<del>deleted</del><ins>inserted</ins>` in Markdown (GitHub and GitLab render them),
    /// with Markdown specials in the text escaped: for a report where `~~`/`**` would not read
    /// as emphasis somewhere.
    MarkdownTags,
    /// `<del>…</del><ins>…</ins>`, with the text HTML-escaped as everywhere in the HTML reports.
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

/// The Markdown style of a report whose redlines are `diffs`: `~~`/`**` when each of their
/// changes reads as emphasis so marked, else `<del>`/`<ins>` throughout (where CommonMark
/// would show `**` as literal asterisks, next to CJK punctuation). One style per report.
pub fn markdown_style<'a>(diffs: impl IntoIterator<Item = &'a [Op]>) -> Style {
    let markers_fit = |ops: &[Op]| {
        ops.iter().enumerate().all(|(i, op)| {
            op.op == OpKind::Equal || {
                let prev = i
                    .checked_sub(1)
                    .and_then(|j| ops[j].text.chars().next_back());
                let next = ops.get(i + 1).and_then(|o| o.text.chars().next());
                markers_flank(prev, &op.text, next)
            }
        })
    };
    if diffs.into_iter().all(markers_fit) {
        Style::Markdown
    } else {
        Style::MarkdownTags
    }
}

/// Renders ops as one inline redline.
pub fn redline(ops: &[Op], style: Style) -> String {
    let mut out = String::new();
    for op in ops {
        let t = op.text.as_str();
        match (style, op.op) {
            (Style::Ansi | Style::Plain, OpKind::Equal) => out.push_str(t),
            (Style::Markdown | Style::MarkdownTags, OpKind::Equal) => {
                out.push_str(&escape_markdown(t))
            }
            (Style::MarkdownTags, OpKind::Delete) => {
                out.push_str(&format!("<del>{}</del>", escape_markdown(t)))
            }
            (Style::MarkdownTags, OpKind::Insert) => {
                out.push_str(&format!("<ins>{}</ins>", escape_markdown(t)))
            }
            (Style::Html, OpKind::Equal) => out.push_str(&escape(t)),
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
            (Style::Html, OpKind::Delete) => out.push_str(&format!("<del>{}</del>", escape(t))),
            (Style::Html, OpKind::Insert) => out.push_str(&format!("<ins>{}</ins>", escape(t))),
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
            "按照~~有关~~**国家\\*\\<b\\>**法律"
        );
        assert_eq!(
            redline(&ops(), Style::MarkdownTags),
            "按照<del>有关</del><ins>国家\\*\\<b\\></ins>法律"
        );
        assert_eq!(
            redline(&ops(), Style::Html),
            "按照<del>有关</del><ins>国家*&lt;b&gt;</ins>法律"
        );
        assert!(redline(&ops(), Style::Ansi).contains("\x1b[31m"));
    }

    #[test]
    fn a_report_takes_tags_where_any_marker_would_not_flank() {
        let op = |op, text: &str| Op {
            op,
            text: text.into(),
        };
        // `**开展…,**` between `,` and `落` would not read as emphasis.
        let tags = vec![
            op(OpKind::Equal, "要求,"),
            op(OpKind::Insert, "开展用户信息保护工作,"),
            op(OpKind::Equal, "落实"),
        ];
        let marks = vec![
            op(OpKind::Equal, "按照"),
            op(OpKind::Delete, "有关"),
            op(OpKind::Equal, "法律"),
        ];
        assert_eq!(markdown_style([marks.as_slice()]), Style::Markdown);
        assert_eq!(redline(&marks, Style::Markdown), "按照~~有关~~法律");
        let both = [marks.as_slice(), tags.as_slice()];
        let style = markdown_style(both);
        assert_eq!(style, Style::MarkdownTags);
        assert_eq!(redline(&marks, style), "按照<del>有关</del>法律");
        assert_eq!(
            redline(&tags, style),
            "要求,<ins>开展用户信息保护工作,</ins>落实"
        );
        assert_eq!(markdown_style(std::iter::empty()), Style::Markdown);
    }
}
