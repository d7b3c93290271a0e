//! Slot names: the id most documents give a slot, told apart by the block's subject or the
//! clause's opening words where two slots would share one.

use std::collections::{BTreeMap, HashMap};

use crate::model::ProvisionId;

use super::DriftBuilder;
use super::report::SlotEntry;
use super::slots::{Placed, SlotSet};

/// The subject of a business-type block: `你公司在经营信息服务业务时应当遵守下列规定` →
/// `信息服务业务`.
pub fn block_subject(text: &str) -> Option<&str> {
    let start = text.find("经营")? + "经营".len();
    let end = text[start..].find("时")? + start;
    let s = &text[start..end];
    (!s.is_empty() && s.chars().count() <= 30).then_some(s)
}

/// The business type a provision opens a block for (`你公司在经营在线数据处理与交易处理业务时应当
/// 遵守下列规定` → `在线数据处理与交易处理业务`), if it opens one; `你公司在未取得…业务经营许可时,
/// 不得…` opens none.
pub fn block_business(text: &str) -> Option<&str> {
    block_subject(text).filter(|s| s.contains("业务") && text.contains("遵守下列规定"))
}

/// The first words of a clause, past the formula every clause opens with:
/// `你公司应当按照广东省通信管理局要求,…` → `按照广东省通信管理局要求…`.
pub fn opening_words(text: &str) -> String {
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

/// Names slots by the id most members give them; a name two slots would share gets the
/// block's subject (or a number) appended, and a note saying why.
/// The most frequent of `keys`; ties go to the smallest key.
pub(super) fn most_common<K: Ord>(keys: impl IntoIterator<Item = (K, usize)>) -> Option<K> {
    let mut counts: BTreeMap<K, usize> = BTreeMap::new();
    for (k, n) in keys {
        *counts.entry(k).or_default() += n;
    }
    counts
        .into_iter()
        .max_by(|x, y| x.1.cmp(&y.1).then(y.0.cmp(&x.0)))
        .map(|(k, _)| k)
}

pub(super) fn slot_names(
    b: &DriftBuilder,
    slots: &SlotSet,
    order: &[usize],
    placed: &Placed,
    entries: &[Vec<SlotEntry>],
    present: &[usize],
) -> HashMap<usize, (String, Option<String>)> {
    let sigs = &placed.sigs;
    // Per signature, how many of its documents use each numbering (there are a few): the
    // ids below are counted per numbering, not per document.
    let numberings: Vec<Vec<(u32, usize)>> = sigs
        .iter()
        .map(|sig| {
            let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
            for &d in &sig.docs {
                *counts.entry(b.docs[d as usize].ids).or_default() += 1;
            }
            counts.into_iter().collect()
        })
        .collect();
    let base: HashMap<usize, String> = order
        .iter()
        .map(|&s| {
            let ids = entries[s].iter().flat_map(|&(si, flat, _)| {
                numberings[si]
                    .iter()
                    .map(move |&(ids, n)| (b.id_in(ids, flat), n))
            });
            let id = most_common(ids).unwrap_or(ProvisionId::top(0));
            (s, id.to_string())
        })
        .collect();
    let wording = |s: usize| {
        most_common(
            entries[s]
                .iter()
                .map(|&(si, _, t)| (b.texts.get(t), sigs[si].docs.len())),
        )
    };
    // The most common wording of a top-level slot, for its subject.
    let subject = |s: usize| -> Option<String> {
        let top = slots.slots[s].parent.unwrap_or(s);
        block_subject(wording(top)?).map(str::to_string)
    };
    // Otherwise the opening words of the slot's most common wording.
    let opening = |s: usize| wording(s).map(opening_words);
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &s in order {
        by_name.entry(base[&s].as_str()).or_default().push(s);
    }
    let mut out: HashMap<usize, (String, Option<String>)> = HashMap::new();
    for (name, mut list) in by_name {
        if list.len() == 1 {
            out.insert(list[0], (name.to_string(), None));
            continue;
        }
        // The slot most documents carry keeps the plain name.
        list.sort_by(|&x, &y| present[y].cmp(&present[x]).then(x.cmp(&y)));
        out.insert(list[0], (name.to_string(), None));
        for (k, &s) in list.iter().enumerate().skip(1) {
            let suffix = subject(s)
                .or_else(|| opening(s))
                .unwrap_or_else(|| format!("#{}", k + 1));
            out.insert(
                s,
                (
                    format!("{name} [{suffix}]"),
                    Some(format!(
                        "another clause is also numbered {name} in most certificates; this one is told apart by {suffix}"
                    )),
                ),
            );
        }
    }
    out
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
