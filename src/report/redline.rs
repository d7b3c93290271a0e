//! Inline redlines of diff ops in every output style: ANSI colour, plain `[-…-]{+…+}`,
//! Markdown `~~…~~`/`**…**` or `<del>`/`<ins>` (one of the two per report), and HTML
//! `<del>`/`<ins>`.

use crate::diff::{Op, OpKind};
use crate::report::html::escape;
use crate::report::markdown;

/// How deletions and insertions are marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Red deletions, green insertions (ANSI SGR codes).
    Ansi,
    /// `[-deleted-]{+inserted+}`, like `git diff --word-diff=plain`.
    Plain,
    /// `~~deleted~~**inserted**`, with the text escaped for Markdown. Only where
    /// every change can be marked so ([`markdown_style`] chooses).
    Markdown,
    /// `<del>deleted</del><ins>inserted</ins>` in Markdown (GitHub and GitLab render them),
    /// with the text escaped for Markdown: for a report where `~~`/`**` would not read
    /// as emphasis somewhere.
    MarkdownTags,
    /// `<del>…</del><ins>…</ins>`, with the text HTML-escaped as everywhere in the HTML reports.
    Html,
}

const RED: &str = "\x1b[31m\x1b[9m";
const GREEN: &str = "\x1b[32m\x1b[4m";
/// A likely OCR slip: dimmed, struck through or underlined, no colour.
const DIM_DEL: &str = "\x1b[2m\x1b[9m";
const DIM_INS: &str = "\x1b[2m\x1b[4m";
const RESET: &str = "\x1b[0m";

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
    redline_marked(ops, &[], style)
}

/// Renders ops as one inline redline in which the hunks flagged in `slips` (one flag per
/// hunk, a hunk being a run of delete and insert ops; missing flags are false) are likely OCR
/// slips, set apart from the changes that count: dimmed on a terminal, `{~覆→履~}` in plain
/// text and Markdown, `<del class="ocr">`/`<ins class="ocr">` in HTML.
pub fn redline_marked(ops: &[Op], slips: &[bool], style: Style) -> String {
    let mut out = String::new();
    let mut hunk = 0;
    let mut k = 0;
    while k < ops.len() {
        if ops[k].op == OpKind::Equal {
            push_op(&mut out, &ops[k], style);
            k += 1;
            continue;
        }
        let end = ops[k..]
            .iter()
            .position(|op| op.op == OpKind::Equal)
            .map_or(ops.len(), |n| k + n);
        if slips.get(hunk).copied().unwrap_or(false) {
            let side = |kind| -> String {
                ops[k..end]
                    .iter()
                    .filter(|op| op.op == kind)
                    .map(|op| op.text.as_str())
                    .collect()
            };
            push_slip(
                &mut out,
                &side(OpKind::Delete),
                &side(OpKind::Insert),
                style,
            );
        } else {
            for op in &ops[k..end] {
                push_op(&mut out, op, style);
            }
        }
        hunk += 1;
        k = end;
    }
    out
}

/// One likely OCR slip, `del` read as `ins` (either may be empty).
fn push_slip(out: &mut String, del: &str, ins: &str, style: Style) {
    match style {
        Style::Ansi => {
            if !del.is_empty() {
                out.push_str(&format!("{DIM_DEL}{del}{RESET}"));
            }
            if !ins.is_empty() {
                out.push_str(&format!("{DIM_INS}{ins}{RESET}"));
            }
        }
        Style::Plain => out.push_str(&format!("{{~{del}→{ins}~}}")),
        Style::Markdown | Style::MarkdownTags => out.push_str(&format!(
            "{{\\~{}→{}\\~}}",
            markdown::escape(del),
            markdown::escape(ins)
        )),
        Style::Html => {
            if !del.is_empty() {
                out.push_str(&format!("<del class=\"ocr\">{}</del>", escape(del)));
            }
            if !ins.is_empty() {
                out.push_str(&format!("<ins class=\"ocr\">{}</ins>", escape(ins)));
            }
        }
    }
}

fn push_op(out: &mut String, op: &Op, style: Style) {
    let t = op.text.as_str();
    match (style, op.op) {
        (Style::Ansi | Style::Plain, OpKind::Equal) => out.push_str(t),
        (Style::Markdown | Style::MarkdownTags, OpKind::Equal) => {
            out.push_str(&markdown::escape(t))
        }
        (Style::MarkdownTags, OpKind::Delete) => {
            out.push_str(&format!("<del>{}</del>", markdown::escape(t)))
        }
        (Style::MarkdownTags, OpKind::Insert) => {
            out.push_str(&format!("<ins>{}</ins>", markdown::escape(t)))
        }
        (Style::Html, OpKind::Equal) => out.push_str(&escape(t)),
        (Style::Ansi, OpKind::Delete) => out.push_str(&format!("{RED}{t}{RESET}")),
        (Style::Ansi, OpKind::Insert) => out.push_str(&format!("{GREEN}{t}{RESET}")),
        (Style::Plain, OpKind::Delete) => out.push_str(&format!("[-{t}-]")),
        (Style::Plain, OpKind::Insert) => out.push_str(&format!("{{+{t}+}}")),
        (Style::Markdown, OpKind::Delete) => out.push_str(&format!("~~{}~~", markdown::escape(t))),
        (Style::Markdown, OpKind::Insert) => out.push_str(&format!("**{}**", markdown::escape(t))),
        (Style::Html, OpKind::Delete) => out.push_str(&format!("<del>{}</del>", escape(t))),
        (Style::Html, OpKind::Insert) => out.push_str(&format!("<ins>{}</ins>", escape(t))),
    }
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
    fn slips_are_set_apart_in_every_style() {
        let op = |op, text: &str| Op {
            op,
            text: text.into(),
        };
        let ops = vec![
            op(OpKind::Equal, "全"),
            op(OpKind::Delete, "覆"),
            op(OpKind::Insert, "履"),
            op(OpKind::Equal, "盖,由"),
            op(OpKind::Delete, "有关"),
            op(OpKind::Insert, "国家"),
            op(OpKind::Equal, "部门和"),
            op(OpKind::Insert, "和"),
            op(OpKind::Equal, "<b>"),
        ];
        let slips = [true, false, true];
        assert_eq!(
            redline_marked(&ops, &slips, Style::Plain),
            "全{~覆→履~}盖,由[-有关-]{+国家+}部门和{~→和~}<b>"
        );
        assert_eq!(
            redline_marked(&ops, &slips, Style::Markdown),
            "全{\\~覆→履\\~}盖,由~~有关~~**国家**部门和{\\~→和\\~}\\<b\\>"
        );
        assert_eq!(
            redline_marked(&ops, &slips, Style::Html),
            "全<del class=\"ocr\">覆</del><ins class=\"ocr\">履</ins>盖,由<del>有关</del><ins>国家</ins>部门和<ins class=\"ocr\">和</ins>&lt;b&gt;"
        );
        let ansi = redline_marked(&ops, &slips, Style::Ansi);
        assert!(ansi.contains("\x1b[2m\x1b[9m覆") && ansi.contains("\x1b[31m\x1b[9m有关"));
        // No flags: the plain redline.
        assert_eq!(
            redline_marked(&ops, &[], Style::Plain),
            redline(&ops, Style::Plain)
        );
        assert_eq!(
            redline(&ops, Style::Plain),
            "全[-覆-]{+履+}盖,由[-有关-]{+国家+}部门和{+和+}<b>"
        );
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
