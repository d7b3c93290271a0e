//! Body lines to provisions: the numbering grammar (`一、` … `九十九、`, `(一)` … inside a
//! provision), rejoining text that wraps and page breaks split.

use crate::model::{Provision, ProvisionId, Warning, WarningKind};
use crate::parse::normalize::{LineKind, Lines};
use crate::parse::numeral;

/// The special provisions split into preamble and numbered provisions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    /// Text before the first provision (`《特别规定事项》是…`).
    pub preamble: String,
    /// Source line where the preamble starts.
    pub preamble_line: Option<usize>,
    /// Top-level provisions with their sub-items.
    pub provisions: Vec<Provision>,
}

/// A top-level label at the start of `t`: the number and the label's length in bytes.
/// `十五、` and `十五.` are labels; `第十五条`, `十五日内` are not.
pub fn top_label(t: &str) -> Option<(u32, usize)> {
    let digits: usize = t
        .char_indices()
        .take_while(|&(_, c)| numeral::is_numeral_char(c))
        .map(|(_, c)| c.len_utf8())
        .sum();
    if digits == 0 {
        return None;
    }
    let sep = t[digits..].chars().next()?;
    if sep != '、' && sep != '.' {
        return None;
    }
    let n = numeral::parse(&t[..digits])?;
    Some((n, digits + sep.len_utf8()))
}

/// A sub-item label at the start of `t`: `(六)` → 6. `(工业和信息化部令第11号)`, `(含更新版本)`
/// and `(适用于…)` are not labels.
pub fn sub_label(t: &str) -> Option<(u32, usize)> {
    let inner = t.strip_prefix('(')?;
    let close = inner.find(')')?;
    let n = numeral::parse(&inner[..close])?;
    Some((n, 1 + close + 1))
}

/// Appends a text fragment, rejoining a sentence split by a wrap or a page break: nothing is
/// put between the halves, except a space between two Latin letters (`Alibaba` / `Cloud`).
pub fn join_into(buf: &mut String, frag: &str) {
    let last = buf.chars().next_back();
    let first = frag.chars().next();
    if let (Some(a), Some(b)) = (last, first)
        && a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
    {
        buf.push(' ');
    }
    buf.push_str(frag);
}

fn new_provision(id: ProvisionId, line: usize, label: &str, text: &str) -> Provision {
    Provision {
        id,
        line,
        end_line: line,
        label: label.to_string(),
        text: text.to_string(),
        children: Vec::new(),
        uncertain: Vec::new(),
    }
}

/// Checks that `n` follows `prev` and records a warning when it does not.
fn check_sequence(prev: Option<u32>, n: u32, what: &str, line: usize, warnings: &mut Vec<Warning>) {
    let expected = prev.map_or(1, |p| p + 1);
    if n == expected {
        return;
    }
    let (kind, message) = match prev {
        Some(p) if n == p => (
            WarningKind::DuplicateNumber,
            format!("{what} {} appears twice", numeral::to_chinese(n)),
        ),
        Some(p) if n < p => (
            WarningKind::OutOfOrder,
            format!(
                "{what} {} follows {}",
                numeral::to_chinese(n),
                numeral::to_chinese(p)
            ),
        ),
        _ => (
            WarningKind::NumberingGap,
            format!(
                "{what} {} expected, {} found",
                numeral::to_chinese(expected),
                numeral::to_chinese(n)
            ),
        ),
    };
    warnings.push(Warning {
        kind,
        line: Some(line),
        message,
    });
}

/// Splits body lines into preamble and provisions. Furniture and blank lines are skipped;
/// every other line either starts a provision or sub-item, or continues the text before it.
pub fn segment(body: Lines<'_>, warnings: &mut Vec<Warning>) -> Segmented {
    let mut out = Segmented::default();
    let mut last_sub: Option<u32> = None;
    for line in body.iter().filter(|l| l.kind == LineKind::Text) {
        let t = line.text;
        if let Some((n, len)) = top_label(t) {
            let prev = out.provisions.last().map(|p| p.id.top);
            check_sequence(prev, n, "provision", line.src, warnings);
            out.provisions.push(new_provision(
                ProvisionId::top(n),
                line.src,
                &t[..len],
                &t[len..],
            ));
            last_sub = None;
            continue;
        }
        if let Some(parent) = out.provisions.last_mut()
            && let Some((n, len)) = sub_label(t)
        {
            check_sequence(last_sub, n, "sub-item", line.src, warnings);
            parent.children.push(new_provision(
                ProvisionId::sub(parent.id.top, n),
                line.src,
                &t[..len],
                &t[len..],
            ));
            parent.end_line = line.src;
            last_sub = Some(n);
            continue;
        }
        match out.provisions.last_mut() {
            Some(parent) => {
                parent.end_line = line.src;
                match parent.children.last_mut() {
                    Some(child) => {
                        child.end_line = line.src;
                        join_into(&mut child.text, t);
                    }
                    None => join_into(&mut parent.text, t),
                }
            }
            None => {
                out.preamble_line.get_or_insert(line.src);
                join_into(&mut out.preamble, t);
            }
        }
    }
    if let Some(last) = out.provisions.last() {
        let last = last.children.last().unwrap_or(last);
        if !ends_sentence(&last.text) {
            warnings.push(Warning {
                kind: WarningKind::Truncated,
                line: Some(last.line),
                message: format!("provision {} stops mid-sentence", last.id),
            });
        }
    } else {
        warnings.push(Warning {
            kind: WarningKind::NoProvisions,
            line: body.first().map(|l| l.src),
            message: "no numbered provisions (一、…) found in the special provisions".into(),
        });
    }
    out
}

fn ends_sentence(t: &str) -> bool {
    let t = t.trim_end_matches(['”', '’', '」', ')', '】', '》']);
    t.ends_with(['。', '.', '!', '?', ';', '!', '?'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::normalize::normalize;

    fn seg(text: &str) -> (Segmented, Vec<Warning>) {
        let n = normalize(&format!("特别规定事项\n{text}"));
        let mut w = Vec::new();
        (segment(n.body(), &mut w), w)
    }

    fn ids(s: &Segmented) -> Vec<String> {
        s.provisions
            .iter()
            .flat_map(|p| std::iter::once(p).chain(&p.children))
            .map(|p| p.id.to_string())
            .collect()
    }

    #[test]
    fn labels() {
        assert_eq!(top_label("十五、你公司"), Some((15, "十五、".len())));
        assert_eq!(top_label("一.你公司"), Some((1, "一.".len())));
        assert_eq!(top_label("第十五条所列"), None);
        assert_eq!(top_label("十五日内"), None);
        assert_eq!(top_label("一十、"), None);
        assert_eq!(sub_label("(六)你公司"), Some((6, "(六)".len())));
        assert_eq!(sub_label("(工业和信息化部令第11号)的有关要求"), None);
        assert_eq!(sub_label("(含更新版本)"), None);
        assert_eq!(sub_label("(适用于信息发布平台及递送服务)你公司"), None);
        assert_eq!(sub_label("(一"), None);
    }

    #[test]
    fn preamble_provisions_and_sub_items() {
        let (s, w) = seg(
            "《特别规定事项》是经营许可证重要组成部分。\n一、第一条。\n二、你公司在经营信息服务业务时应当遵守下列规定:\n（一）甲。\n(二) (适用于信息发布平台及递送服务) 乙。\n",
        );
        assert_eq!(s.preamble, "《特别规定事项》是经营许可证重要组成部分。");
        assert_eq!(ids(&s), vec!["一", "二", "二(一)", "二(二)"]);
        assert_eq!(
            s.provisions[1].children[1].text,
            "(适用于信息发布平台及递送服务)乙。"
        );
        assert_eq!(s.provisions[1].children[1].line, 6);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn page_break_rejoins_sentence() {
        let (s, _) = seg(
            "一、按照法律法规要求或有关标\n\n经营许可证编号: 京B2-20224676\n\n特别规定事项\n\n准,做好用户日志留存。\n二、乙。",
        );
        assert_eq!(
            s.provisions[0].text,
            "按照法律法规要求或有关标准,做好用户日志留存。"
        );
        assert_eq!(s.provisions[0].line, 2);
        assert_eq!(s.provisions[0].end_line, 8);
    }

    #[test]
    fn numbers_split_by_a_wrap_or_a_page_break_rejoin() {
        let want = "按照有关标准,并在处置后的10个工作日内向电信主管部门上报。";
        let (s, w) = seg("一、按照有关标准,并在处置后的1\n0\n个工作日内向电信主管部门上报。");
        assert_eq!(s.provisions[0].text, want);
        assert!(w.is_empty(), "{w:?}");
        let (s, w) = seg(
            "一、按照有关标准,并在处置后的1\n0\n\n经营许可证编号: 京B2-20224676\n\n特别规定事项\n\n个工作日内向电信主管部门上报。\n二、乙。",
        );
        assert_eq!(s.provisions[0].text, want);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn hard_wraps_rejoin() {
        let (s, _) = seg("一、配备专职网络与信息安全管理人\n员,成立相应的机构。");
        assert_eq!(
            s.provisions[0].text,
            "配备专职网络与信息安全管理人员,成立相应的机构。"
        );
    }

    #[test]
    fn numbering_warnings() {
        let (_, w) = seg("一、甲。\n三、乙。\n三、丙。\n二、丁。");
        let kinds: Vec<WarningKind> = w.iter().map(|w| w.kind).collect();
        assert_eq!(
            kinds,
            vec![
                WarningKind::NumberingGap,
                WarningKind::DuplicateNumber,
                WarningKind::OutOfOrder
            ]
        );
    }

    #[test]
    fn truncated_last_provision_warns() {
        let (_, w) = seg("一、甲。\n二、你公司应当按照");
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].kind, WarningKind::Truncated);
        let (_, w) = seg("《特别规定事项》是…");
        assert_eq!(w[0].kind, WarningKind::NoProvisions);
    }

    #[test]
    fn latin_words_split_by_wrap_keep_a_space() {
        let mut s = String::from("Alibaba");
        join_into(&mut s, "Cloud");
        assert_eq!(s, "Alibaba Cloud");
        let mut s = String::from("有关标");
        join_into(&mut s, "准");
        assert_eq!(s, "有关标准");
    }
}
