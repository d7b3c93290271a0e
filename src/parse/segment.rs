//! Body lines to provisions: the numbering grammar (`一、` … `九十九、`, `(一)` … inside a
//! provision), rejoining text that wraps and page breaks split, and labels OCR mangled
//! recovered from the numbering sequence and the text after them.

use crate::model::{Provision, ProvisionId, Warning, WarningKind};
use crate::parse::normalize::{LineKind, Lines};
use crate::parse::numeral;
use crate::parse::ocr_labels::{
    Level, Mangled, is_close, is_open, mangled_sub, mangled_top, numeral_like, starts_provision,
};

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

/// What a body line starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    /// No label.
    None,
    /// A label as printed: its level, number and length in bytes.
    Exact(Level, u32, usize),
    /// What may be a label that OCR mangled.
    Mangled(Mangled),
}

/// A text line of the body with its mark, and whether a blank line or furniture stood
/// between it and the text line before.
#[derive(Debug, Clone, Copy)]
struct Item<'a> {
    src: usize,
    text: &'a str,
    mark: Mark,
    gap: bool,
}

/// What a line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// It continues the text before it.
    Text,
    /// It starts a top-level provision (`n`), its label `len` bytes long.
    Top(u32, usize),
    /// It starts a sub-item (`n`), its label `len` bytes long.
    Sub(u32, usize),
}

/// What `t`, a body line, starts with.
fn mark(t: &str) -> Mark {
    if let Some((n, len)) = top_label(t) {
        return Mark::Exact(Level::Top, n, len);
    }
    if let Some((n, len)) = sub_label(t) {
        return Mark::Exact(Level::Sub, n, len);
    }
    // Most lines continue a sentence: a label starts with a bracket, a numeral or its
    // lookalike, or has its `、` among its first four characters.
    let maybe = match t.chars().next() {
        Some(c) => {
            is_open(c) || is_close(c) || numeral_like(c).is_some() || {
                // `、` among the first four characters (of three bytes at most each).
                let head = &t.as_bytes()[..t.len().min(12)];
                memchr::memmem::find(head, "、".as_bytes()).is_some()
            }
        }
        None => false,
    };
    match maybe
        .then(|| mangled_top(t).or_else(|| mangled_sub(t)))
        .flatten()
    {
        Some(m) => Mark::Mangled(m),
        None => Mark::None,
    }
}

/// The number due after `prev` at one level.
fn due(prev: Option<u32>) -> u32 {
    prev.map_or(1, |p| p + 1)
}

/// True when label numerals `a` and `b` differ by one character (`十二`/`十三`, `三`/`十三`),
/// as an engine misreads one.
fn one_char_apart(a: u32, b: u32) -> bool {
    let (a, b) = (numeral::to_chinese(a), numeral::to_chinese(b));
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    match long.len() - short.len() {
        0 => {
            short
                .iter()
                .zip(long.iter())
                .filter(|(x, y)| x != y)
                .count()
                == 1
        }
        1 => (0..long.len()).any(|skip| {
            long.iter()
                .enumerate()
                .filter(|&(i, _)| i != skip)
                .map(|(_, c)| c)
                .eq(short.iter())
        }),
        _ => false,
    }
}

/// Why a label printed as `n` where `expected` is due is `expected` misread, if it is: the
/// labels after it (`after`) go on from `expected` (`(十一)`, `(十三)`, `(十三)`, `(十四)`:
/// the first `(十三)` is `(十二)`), or it is the last and a numeral that lost a character to
/// the engine, out of order (`十五`, `六`: `六` is `十六`). A numbering no reading settles is
/// left as printed (`一、三、三、二`).
fn misread(
    n: u32,
    expected: u32,
    prev: Option<u32>,
    mut after: impl Iterator<Item = u32>,
) -> Option<String> {
    if n == expected || !one_char_apart(n, expected) {
        return None;
    }
    let name = numeral::to_chinese;
    match (after.next(), after.next()) {
        (Some(a), b) if a == expected + 1 && b.is_none_or(|b| b == expected + 2) => {
            Some(match prev {
                Some(p) => format!("the labels around it number {} and {}", name(p), name(a)),
                None => format!("the label after it numbers {}", name(a)),
            })
        }
        (None, _)
            if prev.is_some_and(|p| n < p)
                && name(n).chars().count() + 1 == name(expected).chars().count() =>
        {
            Some(format!(
                "it is the last, and the label before it numbers {}",
                name(expected - 1)
            ))
        }
        _ => None,
    }
}

fn label_name(level: Level, parent: Option<u32>, n: u32) -> String {
    match (level, parent) {
        (Level::Sub, Some(p)) => format!("sub-item {}", ProvisionId::sub(p, n)),
        _ => format!("provision {}", ProvisionId::top(n)),
    }
}

/// Decides which marks of `level` in `items[range]` start provisions (sub-items of top-level
/// provision `parent`): labels as printed do, renumbered when a misread makes one break a
/// sequence its neighbours agree on (`(十一)`, `(十三)`, `(十三)`, `(十四)`); mangled
/// labels do when the number due fits before the next printed label and either their shape
/// leaves no doubt or the text after them starts a provision.
fn resolve(
    items: &[Item<'_>],
    roles: &mut [Role],
    range: std::ops::Range<usize>,
    level: Level,
    parent: Option<u32>,
    warnings: &mut Vec<Warning>,
) {
    let role = |n, len| match level {
        Level::Top => Role::Top(n, len),
        Level::Sub => Role::Sub(n, len),
    };
    let exact = |i: usize| match items[i].mark {
        Mark::Exact(l, n, _) if l == level => Some(n),
        _ => None,
    };
    // The numbers of the labels after a line, printed or mangled with a numeral that reads.
    let numbered = |i: usize| match items[i].mark {
        Mark::Exact(l, n, _) if l == level => Some(n),
        Mark::Mangled(m) if m.level == level => m.n,
        _ => None,
    };
    let mut prev: Option<u32> = None;
    // The next line at or after `i` holding a printed label of this level.
    let mut next = range.start;
    for i in range.clone() {
        let item = &items[i];
        let expected = due(prev);
        match item.mark {
            Mark::Exact(l, n, len) if l == level => {
                let mut n = n;
                if let Some(why) =
                    misread(n, expected, prev, (i + 1..range.end).filter_map(numbered))
                {
                    warnings.push(Warning {
                        kind: WarningKind::Recovered,
                        line: Some(item.src),
                        message: format!(
                            "label `{}` read as {}: {why}",
                            &item.text[..len],
                            label_name(level, parent, expected),
                        ),
                    });
                    n = expected;
                }
                roles[i] = role(n, len);
                prev = Some(n);
            }
            Mark::Mangled(m) if m.level == level => {
                if next <= i {
                    next = (i + 1..range.end)
                        .find(|&j| exact(j).is_some())
                        .unwrap_or(range.end);
                }
                let room = next == range.end || exact(next).is_some_and(|q| q > expected);
                let rest = &item.text[m.len..];
                let after_sentence = i == 0 || (item.gap && ends_sentence(items[i - 1].text));
                let sure = m.whole && m.n == Some(expected);
                if room && (sure || starts_provision(rest) || after_sentence) {
                    let why = if sure {
                        "its shape"
                    } else if starts_provision(rest) {
                        "the numbering and the text after it"
                    } else {
                        "the numbering and the sentence ending before it"
                    };
                    warnings.push(Warning {
                        kind: WarningKind::Recovered,
                        line: Some(item.src),
                        message: format!(
                            "label `{}` read as {}, by {why}",
                            &item.text[..m.len],
                            label_name(level, parent, expected),
                        ),
                    });
                    roles[i] = role(expected, m.len);
                    prev = Some(expected);
                }
            }
            _ => {}
        }
    }
}

/// Splits body lines into preamble and provisions. Furniture and blank lines are skipped;
/// every other line either starts a provision or sub-item, or continues the text before it.
/// Labels OCR mangled are recovered from the numbering sequence and the text after them, each
/// with a [`WarningKind::Recovered`] warning.
pub fn segment(body: Lines<'_>, warnings: &mut Vec<Warning>) -> Segmented {
    let out = in_sequence(body).unwrap_or_else(|| recovered(body, warnings));
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

/// [`segment`] of a body whose labels are all as printed and in sequence, with no line that
/// may be a label OCR mangled (clean text, nearly always): `None` for any other body.
fn in_sequence(body: Lines<'_>) -> Option<Segmented> {
    let mut out = Segmented::default();
    let mut last_sub: Option<u32> = None;
    for line in body.iter().filter(|l| l.kind == LineKind::Text) {
        let role = match mark(line.text) {
            Mark::Exact(Level::Top, n, len) => {
                (n == due(out.provisions.last().map(|p| p.id.top))).then_some(Role::Top(n, len))?
            }
            Mark::Exact(Level::Sub, n, len) if !out.provisions.is_empty() => {
                (n == due(last_sub)).then_some(Role::Sub(n, len))?
            }
            Mark::Mangled(_) => return None,
            Mark::Exact(..) | Mark::None => Role::Text,
        };
        place(&mut out, &mut last_sub, line.src, line.text, role);
    }
    Some(out)
}

/// [`segment`] of any body: labels as printed, renumbered where a misread breaks a sequence,
/// and labels OCR mangled, recovered from the sequence and the text after them.
fn recovered(body: Lines<'_>, warnings: &mut Vec<Warning>) -> Segmented {
    let mut items: Vec<Item<'_>> = Vec::with_capacity(body.len());
    let mut gap = false;
    for line in body.iter() {
        if line.kind != LineKind::Text {
            gap = true;
            continue;
        }
        items.push(Item {
            src: line.src,
            text: line.text,
            mark: mark(line.text),
            gap,
        });
        gap = false;
    }
    let mut roles = vec![Role::Text; items.len()];
    resolve(
        &items,
        &mut roles,
        0..items.len(),
        Level::Top,
        None,
        warnings,
    );
    let tops: Vec<(usize, u32)> = roles
        .iter()
        .enumerate()
        .filter_map(|(i, r)| match *r {
            Role::Top(n, _) => Some((i, n)),
            _ => None,
        })
        .collect();
    for (k, &(t, parent)) in tops.iter().enumerate() {
        let end = tops.get(k + 1).map_or(items.len(), |&(i, _)| i);
        resolve(
            &items,
            &mut roles,
            t + 1..end,
            Level::Sub,
            Some(parent),
            warnings,
        );
    }
    let mut out = Segmented::default();
    let mut last_sub: Option<u32> = None;
    for (item, &role) in items.iter().zip(&roles) {
        match role {
            Role::Top(n, _) => {
                let prev = out.provisions.last().map(|p| p.id.top);
                check_sequence(prev, n, "provision", item.src, warnings);
            }
            Role::Sub(n, _) => check_sequence(last_sub, n, "sub-item", item.src, warnings),
            Role::Text => {}
        }
        place(&mut out, &mut last_sub, item.src, item.text, role);
    }
    out
}

/// Puts line `src`, holding `t`, where `role` says: a new provision or sub-item, or the
/// continuation of the text before it.
fn place(out: &mut Segmented, last_sub: &mut Option<u32>, src: usize, t: &str, role: Role) {
    match role {
        Role::Top(n, len) => {
            out.provisions.push(new_provision(
                ProvisionId::top(n),
                src,
                &t[..len],
                &t[len..],
            ));
            *last_sub = None;
        }
        Role::Sub(n, len) => {
            let parent = out
                .provisions
                .last_mut()
                .expect("sub-items are only found inside a provision");
            parent.children.push(new_provision(
                ProvisionId::sub(parent.id.top, n),
                src,
                &t[..len],
                &t[len..],
            ));
            parent.end_line = src;
            *last_sub = Some(n);
        }
        Role::Text => match out.provisions.last_mut() {
            Some(parent) => {
                parent.end_line = src;
                match parent.children.last_mut() {
                    Some(child) => {
                        child.end_line = src;
                        join_into(&mut child.text, t);
                    }
                    None => join_into(&mut parent.text, t),
                }
            }
            None => {
                out.preamble_line.get_or_insert(src);
                join_into(&mut out.preamble, t);
            }
        },
    }
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

    /// Ids, and the recovery warnings' lines and messages.
    fn recovered(s: &Segmented, w: &[Warning]) -> (Vec<String>, Vec<(usize, String)>) {
        let rec = w
            .iter()
            .filter(|w| w.kind == WarningKind::Recovered)
            .map(|w| (w.line.unwrap(), w.message.clone()))
            .collect();
        (ids(s), rec)
    }

    #[test]
    fn a_lost_numeral_is_the_number_due_when_a_provision_starts_after_it() {
        // `四、` read as `、`: between 三 and 五, before `你公司`, it is 四.
        let (s, w) = seg("一、甲。\n二、乙。\n三、丙。\n、你公司应当按照要求。\n五、戊。");
        let (got, rec) = recovered(&s, &w);
        assert_eq!(got, ["一", "二", "三", "四", "五"]);
        assert_eq!(s.provisions[3].text, "你公司应当按照要求。");
        assert_eq!(s.provisions[3].label, "、");
        assert_eq!(rec.len(), 1);
        assert_eq!(rec[0].0, 5);
        assert!(
            rec[0].1.contains("`、`") && rec[0].1.contains("provision 四"),
            "{}",
            rec[0].1
        );
        assert!(w.iter().all(|w| w.kind == WarningKind::Recovered), "{w:?}");
        // Added characters and lookalikes in the label: `和信、`, `入、`, `和人入、`.
        for label in ["和信、", "入、", "和人入、", "和八、", "丸、"] {
            let (s, w) = seg(&format!("一、甲。\n{label}你公司应当。\n三、丙。"));
            assert_eq!(ids(&s), ["一", "二", "三"], "{label}");
            assert_eq!(s.provisions[1].text, "你公司应当。", "{label}");
            assert_eq!(w.len(), 1, "{label}: {w:?}");
        }
    }

    #[test]
    fn a_lost_numeral_needs_room_in_the_sequence() {
        // 三 and 四 are both printed: the `、你公司` line between them is text of 三.
        let (s, w) = seg("一、甲。\n二、乙。\n三、丙。\n、你公司应当。\n四、丁。");
        assert_eq!(ids(&s), ["一", "二", "三", "四"]);
        assert_eq!(s.provisions[2].text, "丙。、你公司应当。");
        assert!(w.is_empty(), "{w:?}");
        // Two lines where one number is missing: the first is it.
        let (s, _) = seg("一、甲。\n、你公司乙。\n、你公司丙。\n三、丁。");
        assert_eq!(ids(&s), ["一", "二", "三"]);
        assert_eq!(s.provisions[1].text, "你公司乙。、你公司丙。");
    }

    #[test]
    fn a_lost_numeral_needs_a_provision_or_a_sentence_end() {
        // Inside a sentence, a line starting with `、` continues it.
        let (s, w) = seg("一、按照《条例》\n、《办法》等法律法规要求。\n三、丙。");
        assert_eq!(ids(&s), ["一", "三"]);
        assert_eq!(w[0].kind, WarningKind::NumberingGap);
        // After a sentence and a blank line, whatever it starts with, it is a provision.
        let (s, w) = seg("一、甲。\n\n、按照要求办理。\n\n三、丙。");
        assert_eq!(ids(&s), ["一", "二", "三"]);
        assert!(w[0].message.contains("sentence"), "{}", w[0].message);
        // Continuation lines that hold `、` early are text.
        let (s, w) = seg(
            "一、应当规范电信网码号资源、业务资费、市场管理、服务质\n量、电信设备管理。\n二、乙。",
        );
        assert_eq!(ids(&s), ["一", "二"]);
        assert!(w.is_empty(), "{w:?}");
        let (s, _) = seg("一、甲。\n\n你公司、公司。\n二、乙。");
        assert_eq!(ids(&s), ["一", "二"]);
    }

    #[test]
    fn mangled_brackets_are_sub_items_where_their_number_is_due() {
        let (s, w) = seg(
            "一、你公司应当遵守下列规定:\n《一) 你公司甲。\n(二) 乙。\n〈三〉丙。\n{四)丁。\n(/五)戊。\n\\(六)己。\n〈《七)庚。\n(和八)辛。\n{丸)壬。\n“十)癸。\n(十一》子。",
        );
        let (got, rec) = recovered(&s, &w);
        assert_eq!(
            got,
            [
                "一",
                "一(一)",
                "一(二)",
                "一(三)",
                "一(四)",
                "一(五)",
                "一(六)",
                "一(七)",
                "一(八)",
                "一(九)",
                "一(十)",
                "一(十一)"
            ]
        );
        assert_eq!(rec.len(), 10, "{rec:?}");
        assert_eq!(s.provisions[0].children[0].label, "《一)");
        assert_eq!(s.provisions[0].children[0].text, "你公司甲。");
        assert_eq!(s.provisions[0].children[7].label, "(和八)");
        let (s, _) = seg("一、甲:\n(一)甲。\n(入)乙。\n(三)丙。");
        // A lookalike read as another number than the one due, with no provision after it.
        assert_eq!(ids(&s), ["一", "一(一)", "一(三)"]);
        assert!(rec[0].1.contains("sub-item 一(一)"), "{}", rec[0].1);
        assert!(w.iter().all(|w| w.kind == WarningKind::Recovered), "{w:?}");
    }

    #[test]
    fn a_sub_item_missing_a_bracket_or_its_numeral_needs_a_provision_after_it() {
        let (s, w) = seg(
            "一、你公司应当遵守下列规定:\n(一)甲。\n二) 你公司乙。\n) 你公司丙。\n(四你公司丁。\n(你公司戊。\n(六)己。",
        );
        assert_eq!(
            ids(&s),
            [
                "一", "一(一)", "一(二)", "一(三)", "一(四)", "一(五)", "一(六)"
            ]
        );
        assert_eq!(w.len(), 4, "{w:?}");
        // Without it, such lines are text: a number closed by a wrap, a lone `(`.
        let (s, w) = seg(
            "一、你公司应当遵守下列规定:\n(一)按照《办法》(第\n二)条处理。\n(适用于信息服务)丙。\n(二)丁。",
        );
        assert_eq!(ids(&s), ["一", "一(一)", "一(二)"]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn a_misread_numeral_is_renumbered_when_its_neighbours_agree() {
        // Labels that repeat with nothing to settle them stay as printed.
        let (s, w) = seg(
            "一、甲:\n(一)甲。\n(二)乙。\n(三)丙。\n(三)丁。\n(四)戊。\n二、己。\n三、庚。\n三、辛。\n四、壬。",
        );
        let (got, rec) = recovered(&s, &w);
        assert_eq!(
            got,
            [
                "一", "一(一)", "一(二)", "一(三)", "一(三)", "一(四)", "二", "三", "三", "四"
            ]
        );
        assert!(rec.is_empty(), "{rec:?}");
        // `十三、` read for `四、`? Too far: `三、` read for `十三、`, `(十三)` for `(十二)`.
        let (s, w) = seg("十一、甲。\n十二、乙。\n三、丙。\n十四、丁。\n十五、戊。");
        let (got, rec) = recovered(&s, &w);
        assert_eq!(got, ["十一", "十二", "十三", "十四", "十五"]);
        assert_eq!(rec.len(), 1);
        assert_eq!(rec[0].0, 4);
        assert!(
            rec[0].1.contains("`三、`") && rec[0].1.contains("provision 十三"),
            "{}",
            rec[0].1
        );
        let (s, w) = seg("一、甲。\n二、乙。\n三、丙。\n十三、丁。\n五、戊。\n六、己。");
        let (got, rec) = recovered(&s, &w);
        assert_eq!(got, ["一", "二", "三", "十三", "五", "六"]);
        assert!(rec.is_empty(), "{rec:?}");
        // Sub-items: `(十三)` before `(十三)`, `(十四)`.
        let (s, w) = seg("一、甲:\n(十一)甲。\n(十三)乙。\n(十三)丙。\n(十四)丁。");
        let (got, rec) = recovered(&s, &w);
        assert_eq!(got, ["一", "一(十一)", "一(十二)", "一(十三)", "一(十四)"]);
        assert_eq!(rec.len(), 1);
        assert!(
            w.iter().any(|w| w.kind == WarningKind::NumberingGap),
            "the first sub-item is (十一): {w:?}"
        );
    }

    #[test]
    fn a_numbering_error_its_neighbours_do_not_settle_stays_as_printed() {
        // 一、三、三、二: nothing agrees on a reading; 一、三、四: a gap, not a misread.
        let (s, _) = seg("一、甲。\n三、乙。\n三、丙。\n二、丁。");
        assert_eq!(ids(&s), ["一", "三", "三", "二"]);
        let (s, w) = seg("一、甲。\n三、乙。\n四、丙。");
        assert_eq!(ids(&s), ["一", "三", "四"]);
        assert_eq!(w[0].kind, WarningKind::NumberingGap);
        // 十二 for 三 is two characters off: no engine misread.
        let (s, _) = seg("一、甲。\n二、乙。\n十二、丙。\n四、丁。\n五、戊。");
        assert_eq!(ids(&s), ["一", "二", "十二", "四", "五"]);
    }

    #[test]
    fn numerals_one_character_apart() {
        assert!(one_char_apart(12, 13));
        assert!(one_char_apart(3, 13));
        assert!(one_char_apart(2, 3));
        assert!(one_char_apart(10, 11));
        assert!(!one_char_apart(12, 3));
        assert!(!one_char_apart(4, 4));
        assert!(!one_char_apart(21, 12));
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
