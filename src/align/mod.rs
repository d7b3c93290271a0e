//! Align: takes two sequences of provisions (or any items with a similarity) and returns an
//! order-preserving alignment by content, with moved items paired in a second pass.
//!
//! The core is [`align_by`], generic over a similarity function on index pairs, so the same
//! code aligns two certificates ([`align_certificates`]), two lists of text profiles or a
//! certificate against a sequence of consensus slots (drift).
//!
//! Similarity is the Dice coefficient over character-bigram multisets ([`text_similarity`]),
//! computed by merging two sorted `u64` vectors held in a profile, built once per text and
//! reused.

mod anchor;
mod profile;

use crate::model::{Certificate, Provision, ProvisionId};

use anchor::anchored;
pub use profile::text_similarity;
pub(crate) use profile::{Profile, block_profile, containment, similarity, similarity_bound};

/// Options for alignment.
#[derive(Debug, Clone, PartialEq)]
pub struct AlignOptions {
    /// Pairs scoring below this similarity stay unmatched (added/removed) rather than forced.
    ///
    /// Default 0.5. On the corpus, counterpart provisions score 0.65 or more even when
    /// reworded (000 十二 ↔ 001 十二: 0.66; 000 八 ↔ 001 八: 0.90), while different
    /// provisions score at most 0.43 (sibling sub-items sharing boilerplate, 十五(十三) ↔
    /// 十五(十四); the online-data-processing block ↔ the information-service block).
    pub min_similarity: f64,
    /// Leftover unmatched items whose best counterpart scores at least this are paired as
    /// moved. Default 0.8: a moved pair crosses other pairs, so it needs stronger evidence
    /// than an in-order pair. Values below `min_similarity` act as `min_similarity`.
    pub moved_similarity: f64,
}

/// Default for [`AlignOptions::min_similarity`].
pub const DEFAULT_MIN_SIMILARITY: f64 = 0.5;
/// Default for [`AlignOptions::moved_similarity`].
pub const DEFAULT_MOVED_SIMILARITY: f64 = 0.8;

impl Default for AlignOptions {
    fn default() -> Self {
        AlignOptions {
            min_similarity: DEFAULT_MIN_SIMILARITY,
            moved_similarity: DEFAULT_MOVED_SIMILARITY,
        }
    }
}

/// One row of an alignment: indices into the two input sequences.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// Index into the first sequence, `None` for an item only in the second.
    pub a: Option<usize>,
    /// Index into the second sequence, `None` for an item only in the first.
    pub b: Option<usize>,
    /// Similarity of the pair; 0 for unmatched rows.
    pub similarity: f64,
    /// True for pairs made by the second pass (they cross other pairs).
    pub moved: bool,
}

impl Pair {
    pub(super) fn only_a(i: usize) -> Pair {
        Pair {
            a: Some(i),
            b: None,
            similarity: 0.0,
            moved: false,
        }
    }
    pub(super) fn only_b(j: usize) -> Pair {
        Pair {
            a: None,
            b: Some(j),
            similarity: 0.0,
            moved: false,
        }
    }
    pub(super) fn both(i: usize, j: usize, similarity: f64, moved: bool) -> Pair {
        Pair {
            a: Some(i),
            b: Some(j),
            similarity,
            moved,
        }
    }
}

/// A threshold from the options: NaN falls back to `default`, the rest is clamped to [0, 2]
/// (above 1 nothing can match).
pub(crate) fn threshold(x: f64, default: f64) -> f64 {
    if x.is_nan() {
        default
    } else {
        x.clamp(0.0, 2.0)
    }
}

/// Order-preserving alignment of two sequences given a similarity function over index pairs.
///
/// Dynamic programming (Needleman–Wunsch style) maximizes the sum of
/// `sim − min_similarity` over matched pairs, so a pair below the threshold is never chosen;
/// gaps cost 0. A second pass then pairs leftover unmatched items greedily by descending
/// similarity ≥ `moved_similarity` and marks them moved.
///
/// The output lists every index of `a` and of `b` exactly once, in an order that follows `a`,
/// with `b`-only rows placed where they fall in `b`'s order (a merge, like a diff: within a
/// gap, removed rows come before added ones), and moved pairs placed at the `a` side's
/// position. Deterministic: ties are broken by lowest indices.
///
/// `sim` is called exactly once for every `(i, j)`, in row-major order; NaN counts as 0 and
/// values are clamped to [0, 1]. Cost: O(n·m) time and two n·m tables of `f64`; for inputs
/// that may be large, use [`align_by_keyed`], which bounds the work.
pub fn align_by<F: FnMut(usize, usize) -> f64>(
    n_a: usize,
    n_b: usize,
    mut sim: F,
    opts: &AlignOptions,
) -> Vec<Pair> {
    let min = threshold(opts.min_similarity, DEFAULT_MIN_SIMILARITY);
    let moved_min = threshold(opts.moved_similarity, DEFAULT_MOVED_SIMILARITY).max(min);
    let (Some(cells), Some(_)) = (
        n_a.checked_mul(n_b),
        (n_a.saturating_add(1)).checked_mul(n_b.saturating_add(1)),
    ) else {
        // Too large to align at all: report everything as unmatched.
        return (0..n_a)
            .map(Pair::only_a)
            .chain((0..n_b).map(Pair::only_b))
            .collect();
    };

    let mut sims = Vec::with_capacity(cells);
    for i in 0..n_a {
        for j in 0..n_b {
            sims.push(clean(sim(i, j)));
        }
    }
    let s_at = |i: usize, j: usize| sims[i * n_b + j];
    let mut rows = Vec::with_capacity(n_a + n_b);
    dp_rows(n_a, n_b, &s_at, min, (0, 0), &mut rows);
    moved_pass(rows, n_a, n_b, moved_min, |left_a, left_b| {
        let mut candidates = Vec::new();
        for &i in left_a {
            for &j in left_b {
                let s = s_at(i, j);
                if s >= moved_min {
                    candidates.push((s, i, j));
                }
            }
        }
        candidates
    })
}

/// A similarity as the alignment uses it: NaN counts as 0, the rest is clamped to [0, 1].
fn clean(s: f64) -> f64 {
    if s.is_nan() { 0.0 } else { s.clamp(0.0, 1.0) }
}

/// The dynamic programme of [`align_by`] over an `n × m` block of precomputed similarities
/// (`s_at` takes block-local indices); appends its rows, with indices shifted by `offset`.
pub(super) fn dp_rows(
    n_a: usize,
    n_b: usize,
    s_at: &dyn Fn(usize, usize) -> f64,
    min: f64,
    offset: (usize, usize),
    rows: &mut Vec<Pair>,
) {
    // best[i][j]: best total gain aligning a[i..] with b[j..] (suffix form, so the traceback
    // runs forward and ties go to the lowest indices).
    let w = n_b + 1;
    let mut best = vec![0.0f64; (n_a + 1) * w];
    for i in (0..n_a).rev() {
        for j in (0..n_b).rev() {
            let mut v = best[(i + 1) * w + j].max(best[i * w + j + 1]);
            let s = s_at(i, j);
            if s >= min {
                v = v.max(s - min + best[(i + 1) * w + j + 1]);
            }
            best[i * w + j] = v;
        }
    }

    // Traceback: prefer a match, then skipping a (removed before added). The comparisons are
    // exact on purpose: they recompute the very expressions the table was filled with.
    let (oa, ob) = offset;
    let (mut i, mut j) = (0, 0);
    while i < n_a && j < n_b {
        let here = best[i * w + j];
        let s = s_at(i, j);
        if s >= min && here == s - min + best[(i + 1) * w + j + 1] {
            rows.push(Pair::both(oa + i, ob + j, s, false));
            i += 1;
            j += 1;
        } else if here == best[(i + 1) * w + j] {
            rows.push(Pair::only_a(oa + i));
            i += 1;
        } else {
            rows.push(Pair::only_b(ob + j));
            j += 1;
        }
    }
    rows.extend((oa + i..oa + n_a).map(Pair::only_a));
    rows.extend((ob + j..ob + n_b).map(Pair::only_b));
}

/// Second pass: pairs leftovers that cross other pairs, strongest first. `candidates` gets
/// the unmatched indices of both sides and returns the `(similarity, i, j)` worth pairing.
fn moved_pass(
    rows: Vec<Pair>,
    n_a: usize,
    n_b: usize,
    moved_min: f64,
    candidates: impl FnOnce(&[usize], &[usize]) -> Vec<(f64, usize, usize)>,
) -> Vec<Pair> {
    let left_a: Vec<usize> = rows
        .iter()
        .filter(|r| r.b.is_none())
        .filter_map(|r| r.a)
        .collect();
    let left_b: Vec<usize> = rows
        .iter()
        .filter(|r| r.a.is_none())
        .filter_map(|r| r.b)
        .collect();
    if left_a.is_empty() || left_b.is_empty() {
        return rows;
    }
    let mut candidates: Vec<(f64, usize, usize)> = candidates(&left_a, &left_b)
        .into_iter()
        .filter(|c| c.0 >= moved_min)
        .collect();
    if candidates.is_empty() {
        return rows;
    }
    candidates.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
    let mut partner_of_a = vec![None; n_a];
    let mut b_taken = vec![false; n_b];
    for (s, i, j) in candidates {
        if partner_of_a[i].is_none() && !b_taken[j] {
            partner_of_a[i] = Some((j, s));
            b_taken[j] = true;
        }
    }
    rows.into_iter()
        .filter_map(|r| match (r.a, r.b) {
            (Some(i), None) => Some(match partner_of_a[i] {
                Some((j, s)) => Pair::both(i, j, s, true),
                None => r,
            }),
            (None, Some(j)) if b_taken[j] => None,
            _ => Some(r),
        })
        .collect()
}

/// Similarity cells (n·m) above which [`align_by_keyed`] and [`align_certificates`] stop
/// running the full dynamic programme: about a million, i.e. two certificates of a thousand
/// items each in one block. Real certificates have at most a few dozen items per block.
pub const ALIGN_BUDGET: usize = 1 << 20;

/// [`align_by`] with bounded work, for sequences that may be arbitrarily long: `key_a` and
/// `key_b` are fingerprints of the items (equal keys mean identical items).
///
/// When `n·m` is within [`ALIGN_BUDGET`] this is exactly [`align_by`]. Above it, the
/// alignment is anchored first: common leading and trailing items with equal keys are
/// paired, then items whose key is unique on both sides are paired in order (the longest
/// increasing run, as in patience diff), and the same is repeated inside each gap between
/// anchors. A gap whose `n·m` is within the budget is aligned by the dynamic programme; a
/// larger gap with no anchor is paired by position, keeping the pairs whose measured
/// similarity reaches `min_similarity`. The moved pass then considers every leftover pair
/// when there are few enough, else only leftovers with equal keys. `sim` is called at most
/// a few times per pair it considers (NaN counts as 0; values are clamped to [0, 1]), never
/// for all n·m pairs of a large input. The output has the same shape and guarantees as
/// [`align_by`]'s, except that the in-order pairs are no longer guaranteed optimal.
pub fn align_by_keyed<F: FnMut(usize, usize) -> f64>(
    key_a: &[u64],
    key_b: &[u64],
    sim: F,
    opts: &AlignOptions,
) -> Vec<Pair> {
    align_by_keyed_with_budget(key_a, key_b, sim, opts, ALIGN_BUDGET)
}

/// [`align_by_keyed`] with an explicit budget of cells, for callers that run many alignments
/// (drift aligns every distinct certificate against all slots) and need a smaller one.
pub(crate) fn align_by_keyed_with_budget<F: FnMut(usize, usize) -> f64>(
    key_a: &[u64],
    key_b: &[u64],
    mut sim: F,
    opts: &AlignOptions,
    budget: usize,
) -> Vec<Pair> {
    let (n_a, n_b) = (key_a.len(), key_b.len());
    if n_a.saturating_mul(n_b) <= budget {
        return align_by(n_a, n_b, sim, opts);
    }
    let min = threshold(opts.min_similarity, DEFAULT_MIN_SIMILARITY);
    let moved_min = threshold(opts.moved_similarity, DEFAULT_MOVED_SIMILARITY).max(min);
    let mut sim = |i: usize, j: usize| clean(sim(i, j));
    let mut rows = Vec::with_capacity(n_a + n_b);
    anchored(key_a, key_b, &mut sim, min, budget, &mut rows);
    moved_pass(rows, n_a, n_b, moved_min, |left_a, left_b| {
        let mut candidates = Vec::new();
        if left_a.len().saturating_mul(left_b.len()) <= budget {
            for &i in left_a {
                for &j in left_b {
                    let s = sim(i, j);
                    if s >= moved_min {
                        candidates.push((s, i, j));
                    }
                }
            }
        } else {
            // The k-th leftover of a key in `a` against the k-th in `b`: linear, however
            // often a key repeats.
            let mut by_key: std::collections::HashMap<u64, std::collections::VecDeque<usize>> =
                Default::default();
            for &j in left_b {
                by_key.entry(key_b[j]).or_default().push_back(j);
            }
            for &i in left_a {
                if let Some(j) = by_key.get_mut(&key_a[i]).and_then(|q| q.pop_front()) {
                    let s = sim(i, j);
                    if s >= moved_min {
                        candidates.push((s, i, j));
                    }
                }
            }
        }
        candidates
    })
}

/// Convenience over profiles: [`align_by`] with [`similarity`]. Pairs whose
/// [`similarity_bound`] is below `min_similarity` are scored 0 without merging; that cannot
/// change the result, since such pairs are never matched. Long sequences (more than
/// [`ALIGN_BUDGET`] pairs) go through [`align_by_keyed`] with [`Profile::fingerprint`] keys.
pub(crate) fn align_profiles(a: &[Profile], b: &[Profile], opts: &AlignOptions) -> Vec<Pair> {
    let min = threshold(opts.min_similarity, DEFAULT_MIN_SIMILARITY);
    let sim = |i: usize, j: usize| {
        let (x, y) = (&a[i], &b[j]);
        if similarity_bound(x, y) < min {
            0.0
        } else {
            similarity(x, y)
        }
    };
    if a.len().saturating_mul(b.len()) <= ALIGN_BUDGET {
        return align_by(a.len(), b.len(), sim, opts);
    }
    let ka: Vec<u64> = a.iter().map(Profile::fingerprint).collect();
    let kb: Vec<u64> = b.iter().map(Profile::fingerprint).collect();
    align_by_keyed(&ka, &kb, sim, opts)
}

/// A pair of provisions from two certificates.
#[derive(Debug, Clone, PartialEq)]
pub struct ProvisionPair {
    /// Index path into certificate A: (top index, Some(child index)) or None if added in B.
    pub a: Option<(usize, Option<usize>)>,
    /// Index path into certificate B: (top index, Some(child index)) or None if removed.
    pub b: Option<(usize, Option<usize>)>,
    /// Id of the provision in A.
    pub a_id: Option<ProvisionId>,
    /// Id of the provision in B.
    pub b_id: Option<ProvisionId>,
    /// Similarity of the pair (of the whole block for a top-level provision); 0 if unmatched.
    pub similarity: f64,
    /// Both sides present and their ids differ (e.g. 000 十五 ↔ 003 十六).
    pub renumbered: bool,
    /// Paired by the second pass (crosses other pairs).
    pub moved: bool,
}

fn provision_pair(
    a: Option<((usize, Option<usize>), &Provision)>,
    b: Option<((usize, Option<usize>), &Provision)>,
    pair: &Pair,
) -> ProvisionPair {
    let a_id = a.map(|(_, p)| p.id);
    let b_id = b.map(|(_, p)| p.id);
    ProvisionPair {
        a: a.map(|(path, _)| path),
        b: b.map(|(path, _)| path),
        a_id,
        b_id,
        similarity: pair.similarity,
        renumbered: matches!((a_id, b_id), (Some(x), Some(y)) if x != y),
        moved: pair.moved,
    }
}

/// Hierarchical alignment of two certificates.
///
/// Top-level provisions are aligned first, each scored on its own text plus its children's
/// texts, so a block is recognised by its content, not just its heading
/// "你公司在经营XX业务时应当遵守下列规定". Sub-items are then aligned only inside aligned
/// parent pairs; children of unmatched parents are all added/removed. Returns rows in reading
/// order: each top-level row followed by its children's rows.
pub fn align_certificates(
    a: &Certificate,
    b: &Certificate,
    opts: &AlignOptions,
) -> Vec<ProvisionPair> {
    let pa: Vec<Profile> = a.provisions.iter().map(block_profile).collect();
    let pb: Vec<Profile> = b.provisions.iter().map(block_profile).collect();
    let mut out = Vec::new();
    for top in align_profiles(&pa, &pb, opts) {
        let ta = top.a.map(|i| (i, &a.provisions[i]));
        let tb = top.b.map(|j| (j, &b.provisions[j]));
        out.push(provision_pair(
            ta.map(|(i, p)| ((i, None), p)),
            tb.map(|(j, p)| ((j, None), p)),
            &top,
        ));
        let children = match (ta, tb) {
            (Some((_, x)), Some((_, y))) => {
                let ca: Vec<Profile> = x.children.iter().map(|c| Profile::new(&c.text)).collect();
                let cb: Vec<Profile> = y.children.iter().map(|c| Profile::new(&c.text)).collect();
                align_profiles(&ca, &cb, opts)
            }
            (Some((_, x)), None) => (0..x.children.len()).map(Pair::only_a).collect(),
            (None, Some((_, y))) => (0..y.children.len()).map(Pair::only_b).collect(),
            (None, None) => Vec::new(),
        };
        for c in &children {
            let ca = ta
                .zip(c.a)
                .map(|((i, p), k)| ((i, Some(k)), &p.children[k]));
            let cb = tb
                .zip(c.b)
                .map(|((j, p), k)| ((j, Some(k)), &p.children[k]));
            out.push(provision_pair(ca, cb, c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::anchor::{greedy_anchors, unique_anchors};
    use super::profile::{common_by_merge, common_by_search};
    use super::*;
    use crate::model::{Certificate, Provision, ProvisionId};
    use proptest::prelude::*;

    // Wording from corpus/000 (provisions 一–十四 and the information-service block) and
    // corpus/003 (the online-data-processing block), cut at a clause boundary.
    const TOPS: [&str; 14] = [
        "你公司应当按照《中华人民共和国电信条例》、《互联网信息服务管理办法》等法律法规要求,严格执行电信网码号资源、业务资费、市场管理、服务质量、电信设备管理、设施建设和运行、安全生产及网络与信息安全等行业管理规定,",
        "你公司应当按照许可的业务种类和业务覆盖范围,依法开展业务经营活动,不得经营或变相经营未经许可的其他电信业务,不得超越许可的业务覆盖范围开展经营活动。",
        "你公司在未取得国内通信设施服务业务经营许可时,不得投资建设电信传输网络设施。你公司需使用电信传输网等网络基础设施时,应当使用已取得基础电信业务经营许可的经营者提供的网络设施,",
        "你公司应当按照电信主管部门要求,规范各类电信资源的使用管理,不得向未经许可擅自开展电信业务的经营者提供电信资源,不得将你公司购买或租用的带宽等网络接入资源向互联网接入服务业务经营者转售或转租。",
        "你公司应当按照《电信服务规范》等相关电信服务管理要求向用户提供服务,建立健全服务管理制度,配备用户投诉受理人员,妥善化解服务纠纷,维护用户合法权益。",
        "你公司应当按照《通信网络安全防护管理办法》(工业和信息化部令第11号)的有关要求,开展所属网络和系统定级备案、符合性评测和风险评估等工作,及时向通信主管部门报备,",
        "你公司应当按照国家用户信息保护有关法律法规和《电信和互联网用户个人信息保护规定》(工业和信息化部令第24号)要求,落实企业网络与信息安全主体责任,完善管理制度和技术手段,",
        "你公司应当按照电信主管部门要求,在发生大规模用户个人信息泄露事件、影响众多用户的服务中断事件等重大网络安全事件时,应当按照相关规定及预案立即进行应急处置,控制影响范围,消除事件危害,并第一时间向电信主管部门报告,",
        "你公司应当配合国家有关部门依法开展监督检查工作,按照法律法规要求或有关标准,做好用户日志留存、违法信息监测等工作,对发现的违法信息立即进行处置,保存有关记录,并在处置后的10个工作日内向电信主管部门上报。",
        "你公司应按照有关法律法规要求,为有关部门提供技术接口和解密等技术支持和协助。",
        "你公司或者经你公司授权经营电信业务的子公司,遇有合并或者分立、有限责任公司股东变化、业务经营权转移等涉及经营主体需要变更的情形,应当自公司作出决定之日起30日内向我部提出申请,经批准后方可实施。",
        "你公司遇有业务覆盖范围内负责当地业务经营、客户服务等事务的机构信息发生变化的情形,应当在变更后30日内向原发证机关报送有关信息。你公司经营许可证有效期届满需要继续经营的,应当提前90日向原发证机关提出续办申请。",
        "你公司如已持有省(自治区、直辖市)通信管理局颁发的电信业务经营许可证,且所载明的业务种类和相应的业务覆盖范围包含在跨地区电信业务经营许可证的范围内,应当在取得我部颁发的许可证后30日内,",
        "你公司应当在每年第一季度参加电信主管部门组织的经营许可证年报。",
    ];
    const INFO_HEAD: &str = "你公司在经营信息服务业务时应当遵守下列规定:";
    const INFO: [&str; 14] = [
        "你公司应当按本经营许可证中载明的信息服务项目开展业务。你公司拟从事法律、行政法规和国务院文件规定的“互联网+”融合服务项目,或者按照《互联网信息服务管理办法》等相关法规要求应当前置审批或专项审批的项目,",
        "未经批准,你公司不得开展固定网电话信息服务业务。",
        "你公司制作、复制、发布、传播《互联网信息服务管理办法》第十五条所列内容,不得提供虚假信息诱导、欺骗用户。",
        "你公司发布信息服务业务广告时,应当公布你公司名称和经营许可证编号,且不得含有悖于社会良好风尚、损害人民群众尤其是青少年身心健康的内容。",
        "你公司向用户收费应当做到准确、合理,不得向用户收取信息服务项目中明码标价外的任何其他费用。你公司若委托当地电信运营企业代收信息服务费,应当与其签订协议,明确双方权利、义务和违约责任,并采取措施避免引发收费纠纷。",
        "你公司应当按照电信主管部门要求,配备相应数量的专职网络与信息安全管理人员,成立相应的网络与信息安全管理机构,并将相关信息向业务开展地电信主管部门报备,建立健全网络与信息安全保障制度,制定应急处置预案,",
        "你公司应当按照电信主管部门要求或有关标准,具备网络与信息安全管理技术保障措施,并实现与网络和业务发展同步规划、同步建设、同步运行,确保网络与信息安全管理技术手段对运营网络和业务的全覆盖;",
        "你公司应当按照电信主管部门要求或有关标准,建立互联网新技术新业务安全评估制度,在新技术、业务或应用上线(含合作推广、试点、商用等)时,在基础资源配置、技术实现方式、业务功能或用户规模等方面发生较大变化时,",
        "你公司应当按照电信主管部门要求,针对木马僵尸网络、移动恶意程序、网站仿冒等公共网络安全威胁,采取中断仿冒网站或恶意程序传播、控制服务器的接入服务等处置措施。",
        "(适用于信息发布平台及递送服务)你公司提供信息发布平台和递送服务时,充分保障用户权益,不得强行推送、定制服务。",
        "(适用于信息发布平台及递送服务)你公司提供应用软件发布平台服务时,应当按照电信主管部门有关标准或要求建设应用软件网络与信息安全管理技术手段,落实对应用软件(含更新版本)的上架前检测和日常巡检措施,",
        "(适用于信息搜索查询服务)你公司提供信息搜索查询服务时,应当按照电信主管部门要求或有关标准,具备网络信息安全技术保障措施,不得向用户推送或推荐违法信息。",
        "(适用于信息社区平台服务)你公司提供信息社区平台服务时,对公众帐号和开放平台发布者做好资质审核备案,对违反国家相关法律法规或协议约定的,视情节采取警示、限制发布、暂停更新直至关闭账号等措施。你公司应依照有关法律规定,",
        "(适用于信息即时交互服务)你公司提供信息即时交互服务时,对公众帐号和开放平台发布者做好资质审核备案,同时按照电信主管部门有关技术标准或要求,建立完善的应急处置机制和技术手段,制定重大突发情况下的应急处置预案。",
    ];
    const DATA_HEAD: &str = "你公司在经营在线数据处理与交易处理业务时应当遵守下列规定:";
    const DATA: [&str; 7] = [
        "你公司在开展在线数据处理与交易处理业务的过程中,如涉及提供国家法律、行政法规、国务院规定应经许可的服务内容,应经相应主管部门批准。",
        "你公司在提供在线数据处理与交易处理业务过程中,应当严格按照《商用密码管理条例》、《电子签名法》等国家有关法律法规要求,选用经国家密码管理机构认可商用密码产品,并采取切实有效的技术和管理措施,",
        "你公司应当建立严格的用户资料、商业信息等用户隐私权保护机制,妥善保存你公司在线数据处理与交易处理业务平台上所传输处理的相关数据资料,保存时间不得少于一年。",
        "你公司应当在许可的业务覆盖范围内组建在线数据处理与交易处理业务平台设施,并提供该业务。",
        "你公司应当按照电信主管部门要求,配备相应数量的专职网络与信息安全管理人,成立相应的网络与信息安全管理机构,并将相关信息向业务开展地电信主管部门报备,建立健全网络与信息安全保障制度,制定应急处置预案,",
        "你公司应当按照电信主管部门要求或有关标准,具备网络与信息安全管理技术保障措施,并实现与网络和业务发展同步规划、同步建设、同步运行,确保网络与信息安全管理技术手段对运营网络和业务的全覆盖。",
        "你公司应当按照电信主管部门要求或有关标准,建立互联网新技术新业务安全评估制度,在新技术、业务或应用上线(含合作推广、试点、商用等)时,在基础资源配置、技术实现方式、业务功能或用户规模等方面发生较大变化时,",
    ];

    fn prov(id: ProvisionId, text: &str, children: Vec<Provision>) -> Provision {
        Provision {
            id,
            line: 1,
            end_line: 1,
            label: String::new(),
            text: text.to_string(),
            children,
            uncertain: Vec::new(),
        }
    }

    /// A certificate from (top number, text, sub-item texts) tuples; sub-items are numbered
    /// from 一 under their parent.
    fn cert(items: &[(u32, &str, &[&str])]) -> Certificate {
        let provisions = items
            .iter()
            .map(|&(top, text, kids)| {
                let children = (1..)
                    .zip(kids)
                    .map(|(n, t)| prov(ProvisionId::sub(top, n), t, Vec::new()))
                    .collect();
                prov(ProvisionId::top(top), text, children)
            })
            .collect();
        Certificate {
            provisions,
            ..Certificate::default()
        }
    }

    /// Top-level provisions numbered from 一 with the given texts.
    fn tops(texts: &[&str]) -> Certificate {
        let items: Vec<(u32, &str, &[&str])> =
            (1..).zip(texts).map(|(n, &t)| (n, t, &[][..])).collect();
        cert(&items)
    }

    fn ids(rows: &[ProvisionPair]) -> Vec<(String, String)> {
        let show = |id: Option<ProvisionId>| id.map_or("-".to_string(), |i| i.to_string());
        rows.iter().map(|r| (show(r.a_id), show(r.b_id))).collect()
    }

    fn row(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn similarity_basics() {
        assert_eq!(text_similarity(TOPS[0], TOPS[0]), 1.0);
        assert_eq!(text_similarity("", ""), 1.0);
        assert_eq!(text_similarity(" \n", ""), 1.0);
        assert_eq!(text_similarity("", TOPS[0]), 0.0);
        assert_eq!(text_similarity("年", "年"), 1.0);
        assert_eq!(text_similarity("年", "月"), 0.0);
        // Width and whitespace noise do not count.
        assert_eq!(
            text_similarity("(工业和信息化部令第 24 号)", "（工业和信息化部令第24号）"),
            1.0
        );
        // 帐号 vs 账号: one changed character out of many lowers the score only a little.
        let s = text_similarity(INFO[12], &INFO[12].replace("账号", "帐号"));
        assert!(s > 0.95 && s < 1.0, "{s}");
        assert_eq!(
            text_similarity(TOPS[3], TOPS[7]),
            text_similarity(TOPS[7], TOPS[3])
        );
        assert!(text_similarity(TOPS[9], INFO[1]) < DEFAULT_MIN_SIMILARITY);
        let p = Profile::new("未经批准, 你公司");
        assert_eq!(p.len(), 8);
        assert!(!p.is_empty());
        assert!(Profile::new(" ").is_empty());
        assert_eq!(Profile::new("ab"), Profile::from_parts(["ab", ""]));
    }

    #[test]
    fn identical_certificates_pair_everything() {
        let c = cert(&[(1, TOPS[0], &[]), (2, TOPS[1], &[]), (15, INFO_HEAD, &INFO)]);
        let rows = align_certificates(&c, &c, &AlignOptions::default());
        assert_eq!(rows.len(), 3 + 14);
        for r in &rows {
            assert_eq!(r.a, r.b);
            assert_eq!(r.a_id, r.b_id);
            assert_eq!(r.similarity, 1.0);
            assert!(!r.renumbered && !r.moved);
        }
        assert_eq!(rows[3].a, Some((2, Some(0))));
        assert_eq!(rows[16].b_id, Some(ProvisionId::sub(15, 14)));
    }

    #[test]
    fn deleted_provision_renumbers_the_rest() {
        let a = tops(&TOPS[..6]);
        let b = tops(&[TOPS[0], TOPS[1], TOPS[3], TOPS[4], TOPS[5]]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(
            ids(&rows),
            [
                row("一", "一"),
                row("二", "二"),
                row("三", "-"),
                row("四", "三"),
                row("五", "四"),
                row("六", "五")
            ]
        );
        assert_eq!(rows[2].b, None);
        assert_eq!(rows[2].similarity, 0.0);
        let renumbered: Vec<bool> = rows.iter().map(|r| r.renumbered).collect();
        assert_eq!(renumbered, [false, false, false, true, true, true]);
        assert!(rows.iter().all(|r| !r.moved));
        assert!(
            rows.iter()
                .filter(|r| r.b.is_some())
                .all(|r| r.similarity == 1.0)
        );
    }

    #[test]
    fn inserted_provision_is_added_in_place() {
        let a = tops(&[TOPS[0], TOPS[1], TOPS[3]]);
        let b = tops(&[TOPS[0], TOPS[1], TOPS[2], TOPS[3]]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(
            ids(&rows),
            [
                row("一", "一"),
                row("二", "二"),
                row("-", "三"),
                row("三", "四")
            ]
        );
        assert_eq!(rows[2].b, Some((2, None)));
        assert!(rows[3].renumbered && !rows[2].renumbered);
    }

    #[test]
    fn swapped_provisions_give_one_moved_pair() {
        let a = tops(&TOPS[..4]);
        let b = tops(&[TOPS[0], TOPS[2], TOPS[1], TOPS[3]]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(
            ids(&rows),
            [
                row("一", "一"),
                row("二", "三"),
                row("三", "二"),
                row("四", "四")
            ]
        );
        assert_eq!(rows.iter().filter(|r| r.moved).count(), 1);
        // Ties go to the lowest indices: the DP keeps the first crossing-free pair it can.
        assert!(rows[1].moved && !rows[2].moved);
        assert!(rows.iter().all(|r| r.similarity == 1.0));
        assert!(rows[1].renumbered && rows[2].renumbered && !rows[3].renumbered);
    }

    #[test]
    fn sub_item_added_inside_a_block() {
        let without: Vec<&str> = INFO
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != 9)
            .map(|(_, t)| *t)
            .collect();
        let a = cert(&[(14, TOPS[13], &[]), (15, INFO_HEAD, &without)]);
        let b = cert(&[(14, TOPS[13], &[]), (15, INFO_HEAD, &INFO)]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(rows.len(), 2 + 14);
        assert_eq!(ids(&rows)[1], row("十五", "十五"));
        assert!(rows[1].similarity > 0.9 && rows[1].similarity < 1.0);
        assert_eq!(ids(&rows)[11], row("-", "十五(十)"));
        assert_eq!(rows[11].b, Some((1, Some(9))));
        assert_eq!(ids(&rows)[12], row("十五(十)", "十五(十一)"));
        assert!(rows[12].renumbered);
        assert!(
            rows[2..11]
                .iter()
                .all(|r| r.a_id == r.b_id && r.similarity == 1.0)
        );
        assert!(rows.iter().all(|r| !r.moved));
    }

    #[test]
    fn extra_business_block_before_the_common_one() {
        // 000 vs 003: B carries an online-data-processing block as 十五, so its
        // information-service block is 十六. B 十五(七) has exactly the wording of A 十五(八).
        assert_eq!(DATA[6], INFO[7]);
        let a = cert(&[
            (13, TOPS[12], &[]),
            (14, TOPS[13], &[]),
            (15, INFO_HEAD, &INFO),
        ]);
        let b = cert(&[
            (13, TOPS[12], &[]),
            (14, TOPS[13], &[]),
            (15, DATA_HEAD, &DATA),
            (16, INFO_HEAD, &INFO),
        ]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(rows.len(), 2 + (1 + 7) + (1 + 14));
        assert_eq!(ids(&rows[..2]), [row("十三", "十三"), row("十四", "十四")]);
        // The extra block comes first, added with all its children.
        assert_eq!(ids(&rows[2..3]), [row("-", "十五")]);
        for (k, r) in rows[3..10].iter().enumerate() {
            assert_eq!((r.a, r.b), (None, Some((2, Some(k)))));
            assert_eq!(r.b_id, Some(ProvisionId::sub(15, k as u32 + 1)));
        }
        // Then the common block, 十五 ↔ 十六, and each 十五(n) ↔ 十六(n).
        let block = &rows[10];
        assert_eq!((block.a, block.b), (Some((2, None)), Some((3, None))));
        assert!(block.renumbered && !block.moved && block.similarity == 1.0);
        for (k, r) in rows[11..].iter().enumerate() {
            let n = k as u32 + 1;
            assert_eq!(
                (r.a_id, r.b_id),
                (Some(ProvisionId::sub(15, n)), Some(ProvisionId::sub(16, n)))
            );
            assert_eq!((r.a, r.b), (Some((2, Some(k))), Some((3, Some(k)))));
            assert!(r.renumbered && !r.moved && r.similarity == 1.0);
        }
        // And the other way round.
        let back = align_certificates(&b, &a, &AlignOptions::default());
        assert_eq!(ids(&back[2..3]), [row("十五", "-")]);
        assert_eq!(ids(&back[10..11]), [row("十六", "十五")]);
        assert!(
            back[11..]
                .iter()
                .all(|r| r.a.is_some() && r.b.is_some() && !r.moved)
        );
    }

    #[test]
    fn weak_pair_stays_unmatched() {
        let a = tops(&[TOPS[9]]);
        let b = tops(&[INFO[1]]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(ids(&rows), [row("一", "-"), row("-", "一")]);
        assert!(
            rows.iter()
                .all(|r| r.similarity == 0.0 && !r.moved && !r.renumbered)
        );
        // Two different blocks do not pair either, headings notwithstanding.
        let a = cert(&[(15, INFO_HEAD, &INFO)]);
        let b = cert(&[(15, DATA_HEAD, &DATA)]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(rows.len(), 1 + 14 + 1 + 7);
        assert!(rows.iter().all(|r| r.a.is_none() || r.b.is_none()));
    }

    #[test]
    fn empty_sequences() {
        let o = AlignOptions::default();
        assert!(align_by(0, 0, |_, _| 1.0, &o).is_empty());
        let rows = align_by(3, 0, |_, _| 1.0, &o);
        assert_eq!(
            rows.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [(Some(0), None), (Some(1), None), (Some(2), None)]
        );
        let rows = align_by(0, 2, |_, _| 1.0, &o);
        assert_eq!(
            rows.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [(None, Some(0)), (None, Some(1))]
        );
        let empty = Certificate::default();
        let full = cert(&[(1, TOPS[0], &[]), (15, INFO_HEAD, &INFO[..2])]);
        assert!(align_certificates(&empty, &empty, &o).is_empty());
        assert_eq!(
            ids(&align_certificates(&full, &empty, &o)),
            [
                row("一", "-"),
                row("十五", "-"),
                row("十五(一)", "-"),
                row("十五(二)", "-")
            ]
        );
        assert_eq!(
            ids(&align_certificates(&empty, &full, &o)),
            [
                row("-", "一"),
                row("-", "十五"),
                row("-", "十五(一)"),
                row("-", "十五(二)")
            ]
        );
    }

    #[test]
    fn all_empty_texts() {
        let a = tops(&["", "", ""]);
        let b = tops(&["", ""]);
        let rows = align_certificates(&a, &b, &AlignOptions::default());
        assert_eq!(
            ids(&rows),
            [row("一", "一"), row("二", "二"), row("三", "-")]
        );
        assert_eq!(rows[0].similarity, 1.0);
        let rows = align_certificates(&a, &tops(&[TOPS[0]]), &AlignOptions::default());
        assert!(rows.iter().all(|r| r.a.is_none() || r.b.is_none()));
    }

    #[test]
    fn ties_go_to_lowest_indices() {
        let o = AlignOptions::default();
        let rows = align_by(1, 3, |_, _| 1.0, &o);
        assert_eq!(
            rows.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [(Some(0), Some(0)), (None, Some(1)), (None, Some(2))]
        );
        let rows = align_by(3, 1, |_, _| 1.0, &o);
        assert_eq!(
            rows.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [(Some(0), Some(0)), (Some(1), None), (Some(2), None)]
        );
        // Within a gap, removed rows come before added ones, as in a diff.
        let rows = align_by(3, 3, |i, j| if i == j && i != 1 { 1.0 } else { 0.0 }, &o);
        assert_eq!(
            rows.iter().map(|r| (r.a, r.b)).collect::<Vec<_>>(),
            [
                (Some(0), Some(0)),
                (Some(1), None),
                (None, Some(1)),
                (Some(2), Some(2))
            ]
        );
    }

    #[test]
    fn hostile_inputs_do_not_panic() {
        let mut calls = 0;
        let rows = align_by(
            4,
            5,
            |i, j| {
                calls += 1;
                [f64::NAN, -3.0, 7.0, f64::INFINITY][(i + j) % 4]
            },
            &AlignOptions::default(),
        );
        assert_eq!(calls, 20);
        assert_eq!(rows.iter().filter(|r| r.a.is_some()).count(), 4);
        assert!(rows.iter().all(|r| (0.0..=1.0).contains(&r.similarity)));
        for o in [
            AlignOptions {
                min_similarity: f64::NAN,
                moved_similarity: f64::NAN,
            },
            AlignOptions {
                min_similarity: -1.0,
                moved_similarity: -1.0,
            },
            AlignOptions {
                min_similarity: f64::INFINITY,
                moved_similarity: f64::NEG_INFINITY,
            },
        ] {
            let rows = align_by(3, 3, |i, j| (i * 3 + j) as f64 / 8.0, &o);
            assert_eq!(rows.iter().filter(|r| r.b.is_some()).count(), 3);
        }
        let none = align_by(
            2,
            2,
            |_, _| 1.0,
            &AlignOptions {
                min_similarity: 1.5,
                ..AlignOptions::default()
            },
        );
        assert_eq!(none.len(), 4);
    }

    /// Checks the shape every alignment has: each index once, rows following `a`, non-moved
    /// rows following `b`, pairs at or above the thresholds.
    fn check_shape(rows: &[Pair], n: usize, m: usize, s: impl Fn(usize, usize) -> f64) {
        let o = AlignOptions::default();
        let mut seen_a = vec![0; n];
        let mut seen_b = vec![0; m];
        for r in rows {
            assert!(r.a.is_some() || r.b.is_some());
            if let Some(i) = r.a {
                seen_a[i] += 1;
            }
            if let Some(j) = r.b {
                seen_b[j] += 1;
            }
            match (r.a, r.b) {
                (Some(i), Some(j)) => {
                    assert_eq!(r.similarity, s(i, j));
                    assert!(r.similarity >= o.min_similarity);
                    assert!(!r.moved || r.similarity >= o.moved_similarity);
                }
                _ => assert!(r.similarity == 0.0 && !r.moved),
            }
        }
        assert!(seen_a.iter().all(|&c| c == 1), "{rows:?}");
        assert!(seen_b.iter().all(|&c| c == 1), "{rows:?}");
        let a_order: Vec<usize> = rows.iter().filter_map(|r| r.a).collect();
        assert!(a_order.windows(2).all(|w| w[0] < w[1]));
        let b_order: Vec<usize> = rows
            .iter()
            .filter(|r| !r.moved)
            .filter_map(|r| r.b)
            .collect();
        assert!(b_order.windows(2).all(|w| w[0] < w[1]), "{rows:?}");
    }

    #[test]
    fn keyed_alignment_within_budget_is_align_by() {
        let ka = [1u64, 2, 3, 4];
        let kb = [1u64, 3, 9, 4];
        let s = |i: usize, j: usize| if ka[i] == kb[j] { 1.0 } else { 0.3 };
        assert_eq!(
            align_by_keyed(&ka, &kb, s, &AlignOptions::default()),
            align_by(4, 4, s, &AlignOptions::default())
        );
    }

    #[test]
    fn long_alignment_is_anchored_and_bounded() {
        // 20,000 items against 20,000: identical except every 7th item reworded, one item
        // deleted and one inserted. The full DP would need 4·10^8 similarities.
        let n = 20_000u64;
        let ka: Vec<u64> = (0..n).collect();
        let kb: Vec<u64> = (0..n)
            .filter(|&k| k != 5_000)
            .flat_map(|k| {
                let k = if k % 7 == 3 { k + 1_000_000 } else { k };
                if k == 12_000 {
                    vec![999_999_999, k]
                } else {
                    vec![k]
                }
            })
            .collect();
        let base = |k: u64| if k >= 1_000_000 { k - 1_000_000 } else { k };
        let calls = std::cell::Cell::new(0usize);
        let s = |i: usize, j: usize| {
            calls.set(calls.get() + 1);
            if ka[i] == kb[j] {
                1.0
            } else if ka[i] == base(kb[j]) {
                0.9
            } else {
                0.0
            }
        };
        let rows = align_by_keyed(&ka, &kb, s, &AlignOptions::default());
        assert!(calls.get() < 1_000_000, "{} similarity calls", calls.get());
        check_shape(&rows, ka.len(), kb.len(), s);
        let paired = rows
            .iter()
            .filter(|r| r.a.is_some() && r.b.is_some())
            .count();
        assert_eq!(paired, n as usize - 1);
        assert!(rows.iter().all(|r| !r.moved));
        let reworded = rows.iter().filter(|r| r.similarity == 0.9).count();
        assert_eq!(
            reworded,
            (0..n).filter(|&k| k % 7 == 3 && k != 5_000).count()
        );
    }

    #[test]
    fn large_gap_without_anchors_pairs_by_position() {
        // No key in common (reworded throughout), so no anchor at all: the gap is paired by
        // position, and the pairs that reach the threshold are kept.
        let ka: Vec<u64> = (0..3_000).map(|k| 10 + k % 2).collect();
        let kb: Vec<u64> = (0..2_000).map(|k| 20 + k % 2).collect();
        let s = |i: usize, j: usize| if i == j { 0.7 } else { 0.0 };
        let rows = align_by_keyed_with_budget(&ka, &kb, s, &AlignOptions::default(), 1_000);
        check_shape(&rows, ka.len(), kb.len(), s);
        assert_eq!(rows.iter().filter(|r| r.similarity == 0.7).count(), 2_000);
        // Swapped halves far apart become moved pairs through equal keys.
        let ka: Vec<u64> = (0..2_000).collect();
        let kb: Vec<u64> = (1_000..2_000).chain(0..1_000).collect();
        let s = |i: usize, j: usize| if ka[i] == kb[j] { 1.0 } else { 0.0 };
        let rows = align_by_keyed_with_budget(&ka, &kb, s, &AlignOptions::default(), 1_000);
        check_shape(&rows, ka.len(), kb.len(), s);
        assert_eq!(rows.len(), 2_000);
        assert_eq!(rows.iter().filter(|r| r.moved).count(), 1_000);
    }

    #[test]
    fn repeated_items_are_matched_in_order() {
        // Two long runs of one repeated item each, interleaved on one side (as drift's slots
        // are after a first pass): nothing is unique, yet every item finds its twin.
        let ka: Vec<u64> = (0..3_000).map(|k| 1 + k % 2).collect();
        let kb: Vec<u64> = vec![1; 1_500];
        let s = |i: usize, j: usize| if ka[i] == kb[j] { 1.0 } else { 0.0 };
        let rows = align_by_keyed_with_budget(&ka, &kb, s, &AlignOptions::default(), 1_000);
        check_shape(&rows, ka.len(), kb.len(), s);
        assert_eq!(rows.iter().filter(|r| r.similarity == 1.0).count(), 1_500);
        assert_eq!(greedy_anchors(&[1, 2, 1], &[2, 1, 1, 2]), [(0, 1), (1, 3)]);
    }

    #[test]
    fn unique_anchors_are_the_longest_increasing_run() {
        assert_eq!(
            unique_anchors(&[1, 2, 3, 4, 5], &[1, 4, 2, 3, 5]),
            [(0, 0), (1, 2), (2, 3), (4, 4)]
        );
        assert_eq!(unique_anchors(&[1, 1, 2], &[2, 1]), [(2, 0)]);
        assert!(unique_anchors(&[], &[1]).is_empty());
    }

    /// The best total gain of a crossing-free matching, by the textbook prefix recurrence.
    fn reference_best(n: usize, m: usize, s: &[f64], min: f64) -> f64 {
        let mut t = vec![vec![0.0f64; m + 1]; n + 1];
        for i in 1..=n {
            for j in 1..=m {
                let x = s[(i - 1) * m + j - 1];
                let diag = if x >= min {
                    t[i - 1][j - 1] + x - min
                } else {
                    f64::NEG_INFINITY
                };
                t[i][j] = t[i - 1][j].max(t[i][j - 1]).max(diag);
            }
        }
        t[n][m]
    }

    fn matrix() -> impl Strategy<Value = (usize, usize, Vec<f64>)> {
        (0..12usize, 0..12usize).prop_flat_map(|(n, m)| {
            let cell = prop_oneof![
                Just(0.0),
                Just(0.45),
                Just(0.5),
                Just(0.8),
                Just(1.0),
                0.0..=1.0f64
            ];
            (Just(n), Just(m), proptest::collection::vec(cell, n * m))
        })
    }

    proptest! {
        #[test]
        fn alignment_invariants((n, m, s) in matrix()) {
            let o = AlignOptions::default();
            let rows = align_by(n, m, |i, j| s[i * m + j], &o);
            let mut seen_a = vec![0; n];
            let mut seen_b = vec![0; m];
            for r in &rows {
                prop_assert!(r.a.is_some() || r.b.is_some());
                if let Some(i) = r.a { seen_a[i] += 1; }
                if let Some(j) = r.b { seen_b[j] += 1; }
                match (r.a, r.b) {
                    (Some(i), Some(j)) => {
                        prop_assert_eq!(r.similarity, s[i * m + j]);
                        prop_assert!(r.similarity >= o.min_similarity);
                        if r.moved { prop_assert!(r.similarity >= o.moved_similarity); }
                    }
                    _ => prop_assert!(r.similarity == 0.0 && !r.moved),
                }
            }
            prop_assert!(seen_a.iter().all(|&c| c == 1));
            prop_assert!(seen_b.iter().all(|&c| c == 1));
            // Rows follow a; non-moved rows follow b (a merge).
            let a_order: Vec<usize> = rows.iter().filter_map(|r| r.a).collect();
            prop_assert!(a_order.windows(2).all(|w| w[0] < w[1]));
            let b_order: Vec<usize> = rows.iter().filter(|r| !r.moved).filter_map(|r| r.b).collect();
            prop_assert!(b_order.windows(2).all(|w| w[0] < w[1]));
            // The in-order pairs are an optimal crossing-free matching.
            let gain: f64 = rows.iter().filter(|r| r.a.is_some() && r.b.is_some() && !r.moved)
                .map(|r| r.similarity - o.min_similarity).sum();
            prop_assert!((gain - reference_best(n, m, &s, o.min_similarity)).abs() < 1e-9);
            // The moved pass leaves no strong leftover pair.
            let left_a: Vec<usize> = rows.iter().filter(|r| r.b.is_none()).filter_map(|r| r.a).collect();
            let left_b: Vec<usize> = rows.iter().filter(|r| r.a.is_none()).filter_map(|r| r.b).collect();
            for &i in &left_a {
                for &j in &left_b {
                    prop_assert!(s[i * m + j] < o.moved_similarity);
                }
            }
            // Deterministic.
            prop_assert_eq!(rows, align_by(n, m, |i, j| s[i * m + j], &o));
        }

        #[test]
        fn keyed_alignment_keeps_the_shape_under_any_budget(
            ka in proptest::collection::vec(0u64..6, 0..40),
            kb in proptest::collection::vec(0u64..6, 0..40),
            noise in proptest::collection::vec(0.0..=1.0f64, 1600),
            budget in 0usize..200,
        ) {
            let m = kb.len();
            let s = |i: usize, j: usize| if ka[i] == kb[j] { 1.0 } else { noise[i * m.max(1) + j] * 0.9 };
            let rows = align_by_keyed_with_budget(&ka, &kb, s, &AlignOptions::default(), budget);
            check_shape(&rows, ka.len(), m, s);
            prop_assert_eq!(&rows, &align_by_keyed_with_budget(&ka, &kb, s, &AlignOptions::default(), budget));
        }

        #[test]
        fn intersection_by_search_equals_merge(
            mut x in proptest::collection::vec(0u64..50, 0..400),
            mut y in proptest::collection::vec(0u64..50, 0..20),
        ) {
            x.sort_unstable();
            y.sort_unstable();
            prop_assert_eq!(common_by_search(&x, &y), common_by_merge(&x, &y));
            prop_assert_eq!(common_by_search(&x, &y), common_by_merge(&y, &x));
        }

        #[test]
        fn profile_similarity_properties(
            texts in proptest::collection::vec("[你公司应当按照要求 ,，]{0,12}", 0..8),
            others in proptest::collection::vec("[你公司应当按照要求 ,，]{0,12}", 0..8),
        ) {
            let a: Vec<Profile> = texts.iter().map(|t| Profile::new(t)).collect();
            let b: Vec<Profile> = others.iter().map(|t| Profile::new(t)).collect();
            for x in &a {
                prop_assert_eq!(similarity(x, x), 1.0);
                for y in &b {
                    let s = similarity(x, y);
                    prop_assert!((0.0..=1.0).contains(&s));
                    prop_assert_eq!(s, similarity(y, x));
                    prop_assert!(s <= similarity_bound(x, y));
                }
            }
            let o = AlignOptions::default();
            let plain = align_by(a.len(), b.len(), |i, j| similarity(&a[i], &b[j]), &o);
            prop_assert_eq!(align_profiles(&a, &b, &o), plain);
        }
    }
}
