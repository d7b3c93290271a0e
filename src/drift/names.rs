//! Slot names: the id most documents give a slot, told apart by the block's subject or the
//! clause's opening words where two slots would share one.

use std::collections::{BTreeMap, HashMap};

use crate::model::ProvisionId;

use super::report::SlotContents;
use super::slots::Layout;

/// The subject of a business-type block: `你公司在经营信息服务业务时应当遵守下列规定` →
/// `信息服务业务`.
pub(super) fn block_subject(text: &str) -> Option<&str> {
    let start = text.find("经营")? + "经营".len();
    let end = text[start..].find("时")? + start;
    let s = &text[start..end];
    (!s.is_empty() && s.chars().count() <= 30).then_some(s)
}

/// The business type a provision opens a block for (`你公司在经营在线数据处理与交易处理业务时应当
/// 遵守下列规定` → `在线数据处理与交易处理业务`), if it opens one; `你公司在未取得…业务经营许可时,
/// 不得…` opens none.
pub(super) fn block_business(text: &str) -> Option<&str> {
    block_subject(text).filter(|s| s.contains("业务") && text.contains("遵守下列规定"))
}

/// The first words of a clause, past the formula every clause opens with:
/// `你公司应当按照广东省通信管理局要求,…` → `按照广东省通信管理局要求…`.
pub(super) fn opening_words(text: &str) -> String {
    let mut t = text;
    for lead in ["你公司", "应当", "应"] {
        t = t.strip_prefix(lead).unwrap_or(t);
    }
    let t = t.split([',', '。', ';', ':']).next().unwrap_or(t);
    let cut: String = t.chars().take(12).collect();
    if cut.chars().count() < t.chars().count() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// The most frequent of `keys`; ties go to the smallest key.
fn most_common<K: Ord>(keys: impl IntoIterator<Item = (K, usize)>) -> Option<K> {
    let mut counts: BTreeMap<K, usize> = BTreeMap::new();
    for (k, n) in keys {
        *counts.entry(k).or_default() += n;
    }
    counts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .map(|(k, _)| k)
}

/// A slot's name in the report.
#[derive(Debug, Clone)]
pub(super) struct SlotName {
    /// The id most documents give the slot, with a suffix when another slot has that id too.
    pub(super) name: String,
    /// Why the name carries a suffix, when it does.
    pub(super) note: Option<String>,
}

/// The name of every slot of the report, by slot index.
pub(super) type SlotNames = HashMap<usize, SlotName>;

/// Names the slots of the report by the id most documents give them; a name two slots would
/// share gets the block's subject (or the clause's opening words, or a number) appended, and
/// a note saying why.
pub(super) fn slot_names(layout: &Layout, contents: &SlotContents) -> SlotNames {
    let base = plain_names(layout, contents);
    let sigs = &layout.placed.sigs;
    let entries = &contents.entries;
    let wording = |s: usize| {
        most_common(
            entries[s]
                .iter()
                .map(|e| (layout.interned.text(e.text), sigs[e.sig].docs.len())),
        )
    };
    // The most common wording of a top-level slot, for its subject.
    let subject = |s: usize| -> Option<String> {
        let top = layout.slots.slots[s].parent.unwrap_or(s);
        block_subject(wording(top)?).map(str::to_string)
    };
    // Otherwise the opening words of the slot's most common wording.
    let opening = |s: usize| wording(s).map(opening_words);
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &s in &contents.order {
        by_name.entry(base[&s].as_str()).or_default().push(s);
    }
    let plain = |name: &str| SlotName {
        name: name.to_string(),
        note: None,
    };
    let mut out = SlotNames::new();
    for (name, mut list) in by_name {
        if list.len() == 1 {
            out.insert(list[0], plain(name));
            continue;
        }
        // The slot most documents carry keeps the plain name.
        let present = &contents.present;
        list.sort_by(|&x, &y| present[y].cmp(&present[x]).then(x.cmp(&y)));
        out.insert(list[0], plain(name));
        for (k, &s) in list.iter().enumerate().skip(1) {
            let suffix = subject(s)
                .or_else(|| opening(s))
                .unwrap_or_else(|| format!("#{}", k + 1));
            out.insert(
                s,
                SlotName {
                    name: format!("{name} [{suffix}]"),
                    note: Some(format!(
                        "another clause is also numbered {name} in most certificates; this one is told apart by {suffix}"
                    )),
                },
            );
        }
    }
    out
}

/// The id most documents give each slot of the report.
fn plain_names(layout: &Layout, contents: &SlotContents) -> HashMap<usize, String> {
    // Per signature, how many of its documents use each numbering (there are a few): the
    // ids below are counted per numbering, not per document.
    let numberings: Vec<Vec<(u32, usize)>> = (layout.placed.sigs)
        .iter()
        .map(|sig| {
            let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
            for &d in &sig.docs {
                *counts.entry(layout.docs[d as usize].ids).or_default() += 1;
            }
            counts.into_iter().collect()
        })
        .collect();
    (contents.order)
        .iter()
        .map(|&s| {
            let ids = contents.entries[s].iter().flat_map(|e| {
                numberings[e.sig]
                    .iter()
                    .map(move |&(ids, n)| (layout.interned.id_in(ids, e.flat), n))
            });
            let id = most_common(ids).unwrap_or(ProvisionId::top(0));
            (s, id.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_blocks_are_told_from_clauses_that_name_a_business() {
        assert_eq!(
            block_business("你公司在经营在线数据处理与交易处理业务时应当遵守下列规定:"),
            Some("在线数据处理与交易处理业务")
        );
        assert_eq!(
            block_business("你公司在经营信息服务业务时应当遵守下列规定"),
            Some("信息服务业务")
        );
        for not_a_block in [
            "你公司在未取得国内通信设施服务业务经营许可时,不得投资建设电信传输网络设施。",
            "你公司在经营信息服务业务时,应当建立健全信息安全管理制度。",
            "你公司应当遵守下列规定:",
        ] {
            assert_eq!(block_business(not_a_block), None, "{not_a_block}");
        }
    }
}
