//! Deterministic synthetic corpus generator: noisy licence certificates built from the seeds in
//! corpus/, with a truth.jsonl saying what the parser must read from each.
//!
//! ```text
//! cargo run --release --example synth -- --count 10000 --out /tmp/synth [--seed 1] \
//!     [--templates corpus] [-j N] [--exclude KIND,…] [--stats]
//! ```
//!
//! Files go to `OUT/000/000000_<hash>.txt` … (1000 per folder); `OUT/truth.jsonl` holds one JSON
//! object per certificate, in file order: `path`, `license_no`, `issuer`, `year`, `encoding`,
//! `blocks`, `dropped`, `truncated`, `company`, `issued`, `expires`, `preamble`, `noise` and
//! `provisions` (`id`, `slot`, `variant`, `text`). The same seed gives the same bytes for any
//! thread count.

#[path = "synth/generate.rs"]
mod generate;

use std::path::PathBuf;

use clap::Parser;

/// Writes a synthetic corpus of licence certificates with known provisions.
#[derive(Debug, Parser)]
#[command(name = "synth")]
struct Args {
    /// Number of certificates.
    #[arg(long)]
    count: usize,
    /// Output directory (created; must be empty unless --force).
    #[arg(long)]
    out: PathBuf,
    /// Seed of every random choice.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory of seed certificates the wordings are read from.
    #[arg(long, default_value = "corpus")]
    templates: PathBuf,
    /// Worker threads (default: one per CPU); the output does not depend on it.
    #[arg(short = 'j', long)]
    jobs: Option<usize>,
    /// Write into a non-empty output directory, overwriting files of the same name.
    #[arg(long)]
    force: bool,
    /// Noise kinds not to apply, comma-separated (names as in truth.jsonl), e.g. to isolate a
    /// parser failure.
    #[arg(long, value_delimiter = ',')]
    exclude: Vec<String>,
    /// Also print how many certificates carry each noise kind.
    #[arg(long)]
    stats: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if let Some(j) = args.jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(j)
            .build_global()?;
    }
    let summary = generate::run(&generate::Config {
        count: args.count,
        out: args.out.clone(),
        seed: args.seed,
        templates: args.templates,
        force: args.force,
        exclude: args.exclude,
    })?;
    eprintln!(
        "synth: {} certificates, {} bytes ({:.1} MiB) in {} in {:.2} s (seed {})",
        summary.count,
        summary.bytes,
        summary.bytes as f64 / (1024.0 * 1024.0),
        args.out.display(),
        summary.seconds,
        args.seed
    );
    if args.stats {
        for (kind, n) in &summary.noise {
            eprintln!(
                "  {kind:<22} {n:>8}  {:5.1}%",
                100.0 * *n as f64 / summary.count.max(1) as f64
            );
        }
    }
    Ok(())
}
