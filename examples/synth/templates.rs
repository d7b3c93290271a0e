//! Seed certificates to clause templates: every provision slot with the wordings the seeds give
//! it, read from the corpus at run time with the library's own parser.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};

/// Number of provisions shared by every template (一 … 十四).
pub const COMMON: usize = 14;

/// Where a seed comes from: enough to decide which drift rule its wording illustrates.
#[derive(Debug, Clone)]
pub struct Seed {
    /// Province character of the licence number; `None` for the ministry.
    pub province: Option<char>,
    /// Issue year (number year when the date is unreadable).
    pub year: u16,
}

/// One wording of a slot (normalized text without its number label) and the seeds carrying it.
pub type Wording = GroupOf<String>;

/// A clause identified by content, whatever its number: `common.08`, `info.00` (the block's
/// heading), `info.06`, `odp.03`.
#[derive(Debug, Clone)]
pub struct Slot {
    /// Distinct wordings; the first is the base (most common among seeds, ties to the oldest).
    pub wordings: Vec<Wording>,
}

impl Slot {
    /// The base wording.
    pub fn base(&self) -> &str {
        &self.wordings[0].text
    }
}

/// Everything the generator takes from the seeds.
#[derive(Debug, Clone)]
pub struct Templates {
    /// The seeds, sorted by file name.
    pub seeds: Vec<Seed>,
    /// Preamble before and after the company name.
    pub preamble: (String, String),
    /// Slots in key order (`common.*`, `info.*`, `odp.*`).
    pub slots: BTreeMap<String, Slot>,
}

/// A business-type block of provisions: a heading (`你公司在经营…业务时应当遵守下列规定:`) and
/// sub-items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// 在线数据处理与交易处理业务.
    Odp,
    /// 信息服务业务.
    Info,
}

impl Block {
    /// Prefix of the block's slot keys.
    pub fn key(self) -> &'static str {
        match self {
            Block::Odp => "odp",
            Block::Info => "info",
        }
    }

    fn of_heading(text: &str) -> Option<Block> {
        if text.contains("在线数据处理") {
            Some(Block::Odp)
        } else if text.contains("信息服务业务") {
            Some(Block::Info)
        } else {
            None
        }
    }
}

impl Templates {
    /// Parses every `*.txt` file of `dir` (sorted by name) and collects the wordings.
    pub fn load(dir: &Path) -> anyhow::Result<Templates> {
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("reading templates directory {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        files.sort();
        let mut seeds = Vec::new();
        let mut texts: BTreeMap<String, Vec<(String, usize)>> = BTreeMap::new();
        let mut preambles: Vec<((String, String), usize)> = Vec::new();
        for path in &files {
            let cert = provdiff::parse_file(path, &provdiff::ParseOptions::default())?;
            if cert.provisions.len() < COMMON + 1 {
                bail!("{}: fewer than {} provisions", path.display(), COMMON + 1);
            }
            let lic = cert
                .fields
                .license_no
                .as_deref()
                .and_then(provdiff::parse::fields::parse_license);
            let Some(year) = cert.fields.year() else {
                bail!("{}: no issue date and no licence number", path.display());
            };
            let idx = seeds.len();
            seeds.push(Seed {
                province: lic.and_then(|l| l.province),
                year,
            });
            for (i, p) in cert.provisions.iter().enumerate().take(COMMON) {
                let key = format!("common.{:02}", i + 1);
                texts.entry(key).or_default().push((p.text.clone(), idx));
            }
            for p in &cert.provisions[COMMON..] {
                let Some(block) = Block::of_heading(&p.text) else {
                    continue;
                };
                let head = format!("{}.00", block.key());
                texts.entry(head).or_default().push((p.text.clone(), idx));
                for (j, c) in p.children.iter().enumerate() {
                    let key = format!("{}.{:02}", block.key(), j + 1);
                    texts.entry(key).or_default().push((c.text.clone(), idx));
                }
            }
            if let Some(company) = cert.fields.company.as_deref()
                && let Some(at) = cert.preamble.find(company)
            {
                let parts = (
                    cert.preamble[..at].to_string(),
                    cert.preamble[at + company.len()..].to_string(),
                );
                preambles.push((parts, idx));
            }
        }
        if seeds.is_empty() {
            bail!("no *.txt certificates in {}", dir.display());
        }
        let slots: BTreeMap<String, Slot> = texts
            .into_iter()
            .map(|(key, occ)| {
                let wordings = group(occ, &seeds);
                (key, Slot { wordings })
            })
            .collect();
        for required in ["common.01", "info.00", "info.01"] {
            if !slots.contains_key(required) {
                bail!(
                    "the seeds in {} give no {required} provision",
                    dir.display()
                );
            }
        }
        let preamble = group(preambles, &seeds)
            .into_iter()
            .next()
            .map(|w| w.text)
            .context("no seed names its company in the preamble")?;
        Ok(Templates {
            seeds,
            preamble,
            slots,
        })
    }

    /// The slot with key `key`.
    pub fn slot(&self, key: &str) -> Option<&Slot> {
        self.slots.get(key)
    }

    /// Slot keys of the common provisions, in order.
    pub fn common_keys(&self) -> Vec<String> {
        self.slots
            .keys()
            .filter(|k| k.starts_with("common."))
            .cloned()
            .collect()
    }

    /// Slot keys of a block: heading first, then sub-items in order. Empty when no seed has the
    /// block.
    pub fn block_keys(&self, block: Block) -> Vec<String> {
        let prefix = format!("{}.", block.key());
        self.slots
            .keys()
            .filter(|k| k.starts_with(&prefix))
            .cloned()
            .collect()
    }
}

/// Groups equal values; the most frequent first, ties broken by the oldest seed, then by first
/// appearance.
fn group<T: PartialEq>(occurrences: Vec<(T, usize)>, seeds: &[Seed]) -> Vec<GroupOf<T>> {
    let mut groups: Vec<GroupOf<T>> = Vec::new();
    for (text, seed) in occurrences {
        match groups.iter_mut().find(|g| g.text == text) {
            Some(g) => g.seeds.push(seed),
            None => groups.push(GroupOf {
                text,
                seeds: vec![seed],
            }),
        }
    }
    let oldest = |g: &GroupOf<T>| g.seeds.iter().map(|&s| seeds[s].year).min().unwrap_or(0);
    // Stable sort keeps first appearance among equals.
    groups.sort_by(|a, b| {
        b.seeds
            .len()
            .cmp(&a.seeds.len())
            .then_with(|| oldest(a).cmp(&oldest(b)))
    });
    groups
}

/// A value with the seeds carrying it.
#[derive(Debug, Clone)]
pub struct GroupOf<T> {
    /// The value.
    pub text: T,
    /// Indices into [`Templates::seeds`].
    pub seeds: Vec<usize>,
}
