//! Which wording each provision slot takes for a certificate's issuer and year: the seeds'
//! variants (assigned by rules the seeds themselves illustrate), synthetic drift, issuer-specific
//! extra provisions and rare OCR look-alike typos.

use super::rng::Rng;
use super::templates::Templates;

/// What the wording of a provision depends on.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Province character of the issuer; `None` for the ministry.
    pub province: Option<char>,
    /// Issue year.
    pub year: u16,
}

/// The wording a certificate gives one slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chosen {
    /// Normalized text.
    pub text: String,
    /// Stable variant key: `base`, or the applied tags joined by `+` (`v2022`, `long+ocr@12`).
    pub variant: String,
}

/// A variant found among the seeds, given to the certificates whose issuer and year satisfy
/// `when`. The wording is the one carried by the seeds that satisfy `when` themselves.
struct SeedRule {
    slot: &'static str,
    tag: &'static str,
    when: fn(&Ctx) -> bool,
}

const SEED_RULES: &[SeedRule] = &[
    // 000 (京 2023) lacks 开展用户信息保护工作.
    SeedRule {
        slot: "common.07",
        tag: "short",
        when: |c| c.province == Some('京') && c.year >= 2023,
    },
    // 立即采取应急措施 (2018, 2020) → 应当按照相关规定及预案立即进行应急处置 (2022, 2023).
    SeedRule {
        slot: "common.08",
        tag: "v2022",
        when: |c| c.year >= 2022,
    },
    // 有关法律法规 → 国家法律法规 (003, 苏 2022).
    SeedRule {
        slot: "common.10",
        tag: "guojia",
        when: |c| c.province == Some('苏') && c.year >= 2022,
    },
    // The long 工商登记… / 电信业务市场综合管理信息系统 wording (001, 苏 2020).
    SeedRule {
        slot: "common.12",
        tag: "long",
        when: |c| {
            matches!(
                (c.province, c.year),
                (Some('苏'), 2019..=2021) | (Some('浙'), 2020..)
            ) || (c.province == Some('沪') && c.year >= 2021)
        },
    },
    // 管理技术人员 (002, ministry 2018).
    SeedRule {
        slot: "info.06",
        tag: "jishu",
        when: |c| c.province.is_none() && c.year <= 2019,
    },
    // 安全技术管理手段 (002, ministry 2018).
    SeedRule {
        slot: "info.11",
        tag: "order",
        when: |c| c.province.is_none() && c.year <= 2019,
    },
    // 关闭帐号 (2018) → 关闭账号.
    SeedRule {
        slot: "info.13",
        tag: "zhang2018",
        when: |c| c.year <= 2018,
    },
];

/// A synthetic change of wording: `from` becomes `to` in the slot's text.
struct EditRule {
    slot: &'static str,
    tag: &'static str,
    from: &'static str,
    to: &'static str,
    when: fn(&Ctx) -> bool,
}

const EDIT_RULES: &[EditRule] = &[
    // A number change for one issuer from one year on.
    EditRule {
        slot: "info.08",
        tag: "d15",
        from: "完成30日内",
        to: "完成15日内",
        when: |c| c.province == Some('粤') && c.year >= 2021,
    },
    // The seed's 管理人, typo corrected in later templates.
    EditRule {
        slot: "odp.05",
        tag: "v2024",
        from: "管理人,",
        to: "管理人员,",
        when: |c| c.year >= 2024,
    },
];

const GD_BASE: &str = "你公司应当按照广东省通信管理局要求,每季度通过电信业务市场综合管理信息系统报送用户规模、业务发展和网络与信息安全等情况,并对报送信息的真实性、准确性负责。";
const GD_2021: &str = "涉及粤港澳大湾区跨境数据传输的,应当按照国家有关规定开展数据出境安全评估,并向广东省通信管理局报告。";
const ZJ_BASE: &str = "你公司应当落实用户真实身份信息登记制度,依法收集、使用用户个人信息,并于每年3月31日前向浙江省通信管理局报送上一年度用户个人信息保护情况。";

/// A seed rule with the wording the seeds give it.
struct Active {
    slot: &'static str,
    tag: &'static str,
    text: String,
    when: fn(&Ctx) -> bool,
}

/// Rules resolved against the templates.
pub struct Drift {
    /// Seed rules whose wording the seeds provide.
    seed_rules: Vec<Active>,
}

impl Drift {
    /// Resolves the seed rules: a rule is active when some seed satisfying its condition carries
    /// a wording other than the base.
    pub fn new(t: &Templates) -> Drift {
        let mut seed_rules = Vec::new();
        for r in SEED_RULES {
            let Some(slot) = t.slot(r.slot) else { continue };
            let found = slot.wordings.iter().skip(1).find(|w| {
                w.seeds.iter().any(|&s| {
                    let seed = &t.seeds[s];
                    (r.when)(&Ctx {
                        province: seed.province,
                        year: seed.year,
                    })
                })
            });
            if let Some(w) = found {
                seed_rules.push(Active {
                    slot: r.slot,
                    tag: r.tag,
                    text: w.text.clone(),
                    when: r.when,
                });
            }
        }
        Drift { seed_rules }
    }

    /// The wording of `slot` for a certificate of `ctx`.
    pub fn wording(&self, t: &Templates, slot: &str, ctx: &Ctx) -> Chosen {
        let mut text = t
            .slot(slot)
            .map(|s| s.base().to_string())
            .unwrap_or_default();
        let mut tags: Vec<&str> = Vec::new();
        for r in &self.seed_rules {
            if r.slot == slot && (r.when)(ctx) {
                text.clone_from(&r.text);
                tags.push(r.tag);
            }
        }
        for r in EDIT_RULES {
            if r.slot == slot && (r.when)(ctx) && text.contains(r.from) {
                text = text.replacen(r.from, r.to, 1);
                tags.push(r.tag);
            }
        }
        Chosen {
            text,
            variant: variant_key(&tags),
        }
    }

    /// Extra provisions some issuers add after 十四, with their slot keys.
    pub fn extras(&self, ctx: &Ctx) -> Vec<(String, Chosen)> {
        let mut out = Vec::new();
        if ctx.province == Some('粤') {
            let chosen = if ctx.year >= 2021 {
                Chosen {
                    text: format!("{GD_BASE}{GD_2021}"),
                    variant: "v2021".into(),
                }
            } else {
                Chosen {
                    text: GD_BASE.into(),
                    variant: "base".into(),
                }
            };
            out.push(("extra.gd".to_string(), chosen));
        }
        if ctx.province == Some('浙') && ctx.year >= 2022 {
            let chosen = Chosen {
                text: ZJ_BASE.into(),
                variant: "base".into(),
            };
            out.push(("extra.zj".to_string(), chosen));
        }
        out
    }
}

/// `base` for no tags, else the tags joined by `+`.
fn variant_key(tags: &[&str]) -> String {
    if tags.is_empty() {
        "base".into()
    } else {
        tags.join("+")
    }
}

/// OCR look-alikes: a character and what a bad scan reads instead.
const LOOKALIKES: &[(char, char)] = &[('已', '己'), ('未', '末'), ('人', '入'), ('日', '曰')];

/// True when `text` has a character [`ocr_typo`] can damage.
pub fn has_lookalike(text: &str) -> bool {
    text.chars()
        .any(|c| LOOKALIKES.iter().any(|&(a, _)| a == c))
}

/// Replaces one look-alike character of `chosen` at random and tags the variant `ocr@<char
/// offset>` (unique per resulting text).
pub fn ocr_typo(chosen: &mut Chosen, rng: &mut Rng) {
    let spots: Vec<(usize, char)> = chosen
        .text
        .chars()
        .enumerate()
        .filter_map(|(i, c)| {
            LOOKALIKES
                .iter()
                .find(|&&(a, _)| a == c)
                .map(|&(_, b)| (i, b))
        })
        .collect();
    if spots.is_empty() {
        return;
    }
    let (at, to) = *rng.pick(&spots);
    chosen.text = chosen
        .text
        .chars()
        .enumerate()
        .map(|(i, c)| if i == at { to } else { c })
        .collect();
    let tag = format!("ocr@{at}");
    chosen.variant = if chosen.variant == "base" {
        tag
    } else {
        format!("{}+{tag}", chosen.variant)
    };
}
