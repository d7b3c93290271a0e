//! Synthetic corpus generation: seed + index → one noisy certificate file and its truth record;
//! `run` writes N of them, sharded, plus `truth.jsonl`, identically for any thread count.

#[path = "drift.rs"]
mod drift;
#[path = "header.rs"]
mod header;
#[path = "layout.rs"]
mod layout;
#[path = "noise.rs"]
mod noise;
#[path = "profile.rs"]
mod profile;
#[path = "rng.rs"]
mod rng;
#[path = "templates.rs"]
mod templates;

use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use rayon::prelude::*;
use serde::Serialize;

use drift::{Chosen, Ctx, Drift};
use header::Identity;
use layout::Para;
use profile::{Applied, Profile};
use rng::Rng;
use templates::{Block, Templates};

/// Names of every noise kind, as truth.jsonl lists them.
pub fn noise_kinds() -> Vec<&'static str> {
    profile::Noise::ALL.iter().map(|n| n.name()).collect()
}

/// Files per shard directory.
pub const SHARD: usize = 1000;

/// Share of certificates with one common provision dropped.
const P_DROP: f64 = 0.02;
/// Share of certificates cut off mid-provision near the end.
const P_TRUNCATE: f64 = 0.005;
/// Share of certificates with one OCR look-alike typo.
const P_OCR: f64 = 0.002;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of certificates.
    pub count: usize,
    /// Output directory.
    pub out: PathBuf,
    /// Seed of every random choice.
    pub seed: u64,
    /// Directory of seed certificates to take the wordings from.
    pub templates: PathBuf,
    /// Write into a non-empty directory.
    pub force: bool,
    /// Noise kinds not to apply (names as in truth.jsonl), e.g. to isolate a parser failure.
    pub exclude: Vec<String>,
}

/// What [`run`] did.
#[derive(Debug, Clone)]
pub struct Summary {
    /// Certificates written.
    pub count: usize,
    /// Bytes written, truth.jsonl included.
    pub bytes: u64,
    /// Wall-clock seconds.
    pub seconds: f64,
    /// How many certificates carry each noise kind, in [`noise_kinds`] order.
    pub noise: Vec<(&'static str, usize)>,
}

/// One provision in truth.jsonl.
#[derive(Debug, Clone, Serialize)]
pub struct TruthProvision {
    /// `十五` or `十五(六)`.
    pub id: String,
    /// Clause key, independent of numbering (`common.08`, `info.06`, `extra.gd`).
    pub slot: String,
    /// Wording key; equal keys in one slot mean equal texts (except `truncated`).
    pub variant: String,
    /// The normalized text the parser should return.
    pub text: String,
}

/// One line of truth.jsonl.
#[derive(Debug, Clone, Serialize)]
pub struct Truth {
    /// Path relative to the output directory.
    pub path: String,
    /// Licence number.
    pub license_no: String,
    /// Issuer as the library names it.
    pub issuer: String,
    /// Issue year.
    pub year: u16,
    /// Encoding as the library names it.
    pub encoding: String,
    /// Number of business-type blocks.
    pub blocks: usize,
    /// Slot of the common provision left out, if any.
    pub dropped: Option<String>,
    /// The file stops mid-provision.
    pub truncated: bool,
    /// Company name.
    pub company: String,
    /// Issue date, `YYYY-MM-DD`.
    pub issued: String,
    /// Expiry date, `YYYY-MM-DD`.
    pub expires: String,
    /// Normalized preamble.
    pub preamble: String,
    /// Noise kinds applied.
    pub noise: Vec<&'static str>,
    /// Provisions, flattened in document order.
    pub provisions: Vec<TruthProvision>,
}

/// Templates and rules shared by every certificate.
pub struct Generator {
    templates: Templates,
    drift: Drift,
    seed: u64,
    exclude: Vec<profile::Noise>,
}

/// A provision with its sub-items, before numbering.
struct Planned {
    slot: String,
    chosen: Chosen,
    children: Vec<(String, Chosen)>,
}

/// A provision or sub-item with its number.
struct Numbered {
    /// `十五` or `十五(六)`.
    id: String,
    /// `十五、` or `(六)`.
    label: String,
    slot: String,
    chosen: Chosen,
}

fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10..=19 => format!("十{}", D[n - 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

impl Generator {
    /// Loads the templates from `dir`; `exclude` names noise kinds not to apply.
    pub fn new(dir: &Path, seed: u64, exclude: &[String]) -> anyhow::Result<Generator> {
        let templates = Templates::load(dir)?;
        let drift = Drift::new(&templates);
        let exclude = exclude
            .iter()
            .map(|name| {
                profile::Noise::from_name(name).with_context(|| {
                    format!(
                        "unknown noise kind {name:?} (known: {})",
                        noise_kinds().join(", ")
                    )
                })
            })
            .collect::<anyhow::Result<_>>()?;
        Ok(Generator {
            templates,
            drift,
            seed,
            exclude,
        })
    }

    /// Certificate `index`: its bytes and its truth record (with `path` filled in).
    pub fn certificate(&self, index: usize, path: String) -> (Vec<u8>, Truth) {
        // Stream 0 decides content, stream 1 noise: excluding a noise kind changes nothing else.
        let mut rng = Rng::for_cert(self.seed, index as u64, 0);
        let mut nrng = Rng::for_cert(self.seed, index as u64, 1);
        let has_odp = !self.templates.block_keys(Block::Odp).is_empty();
        let id = Identity::draw(&mut rng, has_odp);
        let (flat, dropped, truncated) = self.provisions(&id, &mut rng);
        let (pre, post) = &self.templates.preamble;
        let preamble = format!("{pre}{}{post}", id.company);

        let profile = Profile::draw(&mut nrng).without(&self.exclude);
        let mut applied = Applied::default();
        let mut paras = vec![Para {
            text: preamble.clone(),
            label_len: 0,
        }];
        paras.extend(flat.iter().map(|p| Para {
            text: format!("{}{}", p.label, p.chosen.text),
            label_len: p.label.len(),
        }));
        let mut lines = header::cover(&id, &profile, &mut nrng, &mut applied);
        let body = layout::body(&id, &paras, truncated, &profile, &mut nrng, &mut applied);
        lines.extend(body);
        let text = noise::render(&lines, &profile, &mut nrng, &mut applied);
        let bytes = noise::encode(&text, profile.encoding, &mut applied);
        let truth = Truth {
            path,
            license_no: id.license_no.clone(),
            issuer: id.issuer.to_string(),
            year: id.issued.y,
            encoding: profile.encoding.label().to_string(),
            blocks: id.blocks.len(),
            dropped,
            truncated,
            company: id.company.clone(),
            issued: id.issued.iso(),
            expires: id.expires.iso(),
            preamble,
            noise: applied.names(),
            provisions: flat
                .into_iter()
                .map(|p| TruthProvision {
                    id: p.id,
                    slot: p.slot,
                    variant: p.chosen.variant,
                    text: p.chosen.text,
                })
                .collect(),
        };
        (bytes, truth)
    }

    /// The numbered provisions of a certificate, flattened, with the slot dropped (if any) and
    /// whether the text is truncated.
    fn provisions(&self, id: &Identity, rng: &mut Rng) -> (Vec<Numbered>, Option<String>, bool) {
        let t = &self.templates;
        let ctx = Ctx {
            province: id.province,
            year: id.issued.y,
        };
        let single = |slot: String, chosen: Chosen| Planned {
            slot,
            chosen,
            children: Vec::new(),
        };
        let mut planned: Vec<Planned> = t
            .common_keys()
            .into_iter()
            .map(|slot| {
                let chosen = self.drift.wording(t, &slot, &ctx);
                single(slot, chosen)
            })
            .collect();
        let dropped = rng.chance(P_DROP).then(|| {
            let i = rng.below(planned.len());
            planned.remove(i).slot
        });
        for (slot, chosen) in self.drift.extras(&ctx) {
            planned.push(single(slot, chosen));
        }
        for &block in &id.blocks {
            let keys = t.block_keys(block);
            let Some((head, subs)) = keys.split_first() else {
                continue;
            };
            planned.push(Planned {
                slot: head.clone(),
                chosen: self.drift.wording(t, head, &ctx),
                children: subs
                    .iter()
                    .map(|k| (k.clone(), self.drift.wording(t, k, &ctx)))
                    .collect(),
            });
        }
        let mut flat: Vec<Numbered> = Vec::new();
        for (i, top) in planned.into_iter().enumerate() {
            let n = numeral(i + 1);
            flat.push(Numbered {
                id: n.clone(),
                label: format!("{n}、"),
                slot: top.slot,
                chosen: top.chosen,
            });
            for (j, (slot, chosen)) in top.children.into_iter().enumerate() {
                let s = numeral(j + 1);
                flat.push(Numbered {
                    id: format!("{n}({s})"),
                    label: format!("({s})"),
                    slot,
                    chosen,
                });
            }
        }
        if rng.chance(P_OCR) {
            let spots: Vec<usize> = (0..flat.len())
                .filter(|&k| drift::has_lookalike(&flat[k].chosen.text))
                .collect();
            if !spots.is_empty() {
                let k = *rng.pick(&spots);
                drift::ocr_typo(&mut flat[k].chosen, rng);
            }
        }
        let truncated = rng.chance(P_TRUNCATE) && truncate(&mut flat, rng);
        (flat, dropped, truncated)
    }
}

/// Cuts one of the last five provisions mid-sentence (after a CJK ideograph) and drops all that
/// follows. False when no provision offers a cut point.
fn truncate(flat: &mut Vec<Numbered>, rng: &mut Rng) -> bool {
    let k = flat.len() - 1 - rng.below(5.min(flat.len()));
    let cs: Vec<char> = flat[k].chosen.text.chars().collect();
    let ideograph = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let points: Vec<usize> = (8..cs.len().saturating_sub(3))
        .filter(|&i| ideograph(cs[i - 1]) && ideograph(cs[i]))
        .collect();
    if points.is_empty() {
        return false;
    }
    let at = *rng.pick(&points);
    flat[k].chosen = Chosen {
        text: cs[..at].iter().collect(),
        variant: "truncated".into(),
    };
    flat.truncate(k + 1);
    true
}

/// Relative path of certificate `index` among `count`: `SSS/NNNNNN_hash.txt`.
fn relative_path(seed: u64, index: usize, count: usize) -> String {
    let shard_digits = ((count.max(1) - 1) / SHARD).to_string().len().max(3);
    let file_digits = (count.max(1) - 1).to_string().len().max(6);
    let hash = Rng::for_cert(seed, index as u64, 2).next_u64();
    format!(
        "{:0sw$}/{:0fw$}_{hash:016x}.txt",
        index / SHARD,
        index,
        sw = shard_digits,
        fw = file_digits
    )
}

/// Writes `cfg.count` certificates and truth.jsonl into `cfg.out`.
pub fn run(cfg: &Config) -> anyhow::Result<Summary> {
    let started = Instant::now();
    let generator = Generator::new(&cfg.templates, cfg.seed, &cfg.exclude)?;
    prepare_out(&cfg.out, cfg.force)?;
    let truth_path = cfg.out.join("truth.jsonl");
    let mut truth = BufWriter::new(
        fs::File::create(&truth_path)
            .with_context(|| format!("creating {}", truth_path.display()))?,
    );
    let mut bytes = 0u64;
    let mut noise: Vec<(&'static str, usize)> = noise_kinds().into_iter().map(|k| (k, 0)).collect();
    for shard_start in (0..cfg.count).step_by(SHARD) {
        let end = (shard_start + SHARD).min(cfg.count);
        let first = relative_path(cfg.seed, shard_start, cfg.count);
        let dir = cfg.out.join(first.split('/').next().unwrap_or_default());
        fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        let records: Vec<anyhow::Result<(String, u64, Vec<&'static str>)>> = (shard_start..end)
            .into_par_iter()
            .map(|i| {
                let rel = relative_path(cfg.seed, i, cfg.count);
                let (data, record) = generator.certificate(i, rel.clone());
                let path = cfg.out.join(&rel);
                fs::write(&path, &data).with_context(|| format!("writing {}", path.display()))?;
                Ok((
                    serde_json::to_string(&record)?,
                    data.len() as u64,
                    record.noise,
                ))
            })
            .collect();
        for r in records {
            let (line, n, kinds) = r?;
            for k in kinds {
                if let Some(c) = noise.iter_mut().find(|c| c.0 == k) {
                    c.1 += 1;
                }
            }
            writeln!(truth, "{line}")?;
            bytes += n + line.len() as u64 + 1;
        }
    }
    truth.flush()?;
    Ok(Summary {
        count: cfg.count,
        bytes,
        seconds: started.elapsed().as_secs_f64(),
        noise,
    })
}

/// Creates the output directory; refuses a non-empty one without `force`, and any inside the
/// source tree.
fn prepare_out(out: &Path, force: bool) -> anyhow::Result<()> {
    fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    let canon = out.canonicalize()?;
    if let Ok(src) = Path::new(env!("CARGO_MANIFEST_DIR")).canonicalize()
        && canon.starts_with(&src)
    {
        bail!(
            "{} is inside the source tree {}; write generated corpora elsewhere",
            out.display(),
            src.display()
        );
    }
    if !force && fs::read_dir(out)?.next().is_some() {
        bail!(
            "{} is not empty (use --force to write into it)",
            out.display()
        );
    }
    Ok(())
}
