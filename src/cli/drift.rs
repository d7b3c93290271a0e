//! `provdiff drift PATH...`: every wording of every provision across a corpus, the canonical
//! one, who carries the others, split by issuer and year.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use provdiff::corpus::{FileError, with_pool};
use provdiff::drift::{DriftBuilder, DriftOptions, GroupBy, Prepared};
use provdiff::report::{self, DriftView};
use provdiff::scan::ScanRecord;

use crate::cli::args;
use crate::cli::output::{ColorChoice, check_output, output_path, write_output};
use crate::cli::progress::Progress;
use crate::cli::{EXIT_ERROR, EXIT_OK};

/// Drift tables: per provision, every wording in use across a corpus.
///
/// Every certificate is parsed (in parallel), every provision placed in a slot by content (so
/// a shifted numbering still lands in the right slot), and each slot's wordings are grouped:
/// the canonical (most common) wording, and for each other wording its redline against the
/// canonical one, the certificates that carry it, counts by issuer and year, and the first
/// and last year it was seen. Files holding the same licence number are listed as possible
/// duplicates, with their paths and issue dates. Directories are walked recursively
/// (`--glob`, default: text, PDF and image files). Exit status: 0 when every input was read, 2 when some failed
/// (the rest is still reported).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Certificate files and directories (`-` for standard input).
    #[arg(required_unless_present_any = ["from_scan", "files_from"])]
    paths: Vec<PathBuf>,
    /// Build the report from `scan --format jsonl` output instead of (or besides) reading
    /// certificates: scan a large corpus in pieces, on several machines, then merge here.
    /// The result equals a direct run over the same files. Takes every value after it (`-`:
    /// standard input): name certificates before it, or end the shards with `--`.
    #[arg(long, value_name = "FILE.jsonl", num_args = 1.., display_order = 2)]
    from_scan: Vec<PathBuf>,
    /// How counts are grouped.
    #[arg(long, value_enum, default_value_t = By::Issuer, display_order = 3)]
    by: By,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table, display_order = 10)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output (`-o -`: standard
    /// output).
    #[arg(short, long, value_name = "FILE", display_order = 11)]
    output: Option<PathBuf>,
    /// Also measure every certificate against this one (e.g. the regulator's current
    /// template): after the drift report, every format lists per certificate the clauses
    /// that deviate from it, with redlines from the reference's wording ("ref" ids are the
    /// reference's, "own" ids the certificate's). A business-type block that one side does
    /// not hold (its header lists no such business and it has no such block) is not
    /// applicable: said per certificate, not counted as missing or extra.
    #[arg(long, value_name = "FILE", display_order = 22)]
    against: Option<PathBuf>,
    /// Colour the redlines.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, display_order = 23)]
    color: ColorChoice,
    #[command(flatten)]
    corpus: args::Corpus,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum By {
    Issuer,
    Year,
    #[value(name = "issuer,year", alias = "year,issuer")]
    IssuerYear,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
    Csv,
    Markdown,
    Html,
}

pub fn run(args: Args) -> Result<u8> {
    let files_from = args.corpus.files_from.as_deref();
    let dash = |p: &&PathBuf| *p == "-";
    let stdin_uses: Vec<&str> = (args.paths.iter().filter(dash).map(|_| "a certificate"))
        .chain(
            args.from_scan
                .iter()
                .filter(dash)
                .map(|_| "a shard of --from-scan"),
        )
        .chain(
            (files_from.iter())
                .filter(|p| **p == "-")
                .map(|_| "the list of --files-from"),
        )
        .collect();
    super::standard_input_once(&stdin_uses)?;
    check_shards(&args.from_scan)?;
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        super::with_listed_paths(&args.paths, files_from)?
            .into_iter()
            .partition(|p| p.as_os_str() == "-");
    let named: Vec<PathBuf> = (paths.iter())
        .chain(&args.from_scan)
        .chain(&args.against)
        .cloned()
        .collect();
    check_output(args.output.as_deref(), &named)?;
    let output = output_path(args.output.as_deref());
    // The table lists the failures too.
    let tell = super::failures_on_stderr(matches!(args.format, Format::Table) && output.is_none());
    let progress = Progress::new("reading", args.corpus.quiet, tell);
    let read = args.corpus.read_options(progress.pages_hook());
    let mut builder = DriftBuilder::new();
    // Standard input is read before the files, so that no worker waits on it.
    if !stdin.is_empty() {
        builder.add_result(read_standard_input(&read.parse), &progress);
    }
    // Only a reference asks which business types a certificate holds.
    let added = builder.add_paths(&paths, &read, args.against.is_some(), &progress)?;
    progress.finish();
    let mut found = added.files.len() + added.unreadable + stdin.len();
    let mut failed = progress.any_failed();
    for shard in &args.from_scan {
        let (records, shard_failed) = read_shard(shard, &mut builder)?;
        found += records;
        failed |= shard_failed;
    }
    if found == 0 {
        return Err(super::nothing_to_read(&paths, &read.walk.glob, files_from));
    }
    let mut inputs = paths;
    inputs.extend(args.from_scan.iter().cloned());
    inputs.extend(added.files);
    write_report(&args, builder, &read, &inputs)?;
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

/// Finishes the report (measured against the reference, if any) on the workers and writes
/// it.
fn write_report(
    args: &Args,
    builder: DriftBuilder,
    read: &provdiff::corpus::ReadOptions,
    inputs: &[PathBuf],
) -> Result<()> {
    let output = output_path(args.output.as_deref());
    let view = DriftView {
        width: super::terminal_width(output.is_some()),
        color: args.color.enabled(output.is_some()),
        ..DriftView::default()
    };
    let opts = DriftOptions {
        by: match args.by {
            By::Issuer => GroupBy::Issuer,
            By::Year => GroupBy::Year,
            By::IssuerYear => GroupBy::IssuerYear,
        },
        // Members the output shows: the table and Markdown a few per wording, CSV none.
        max_members: match args.format {
            Format::Table | Format::Markdown => Some(view.max_members),
            Format::Csv => Some(0),
            Format::Json | Format::Html => None,
        },
        ..DriftOptions::default()
    };
    let mut inputs = inputs.to_vec();
    let reference = match &args.against {
        Some(path) => {
            let c = provdiff::parse_file(path, &read.parse)?;
            inputs.push(path.clone());
            Some(Prepared::from_certificate(c))
        }
        None => None,
    };
    // The JSON renderer writes large member lists on the pool's cores.
    with_pool(read.threads, || {
        let (report, against) = match reference {
            Some(reference) => {
                let (report, against) = builder.finish_against(&opts, reference);
                (report, Some(against))
            }
            None => {
                let mut builder = builder;
                let report = builder.report(&opts);
                // Not freed: the process ends next (see below).
                std::mem::forget(builder);
                (report, None)
            }
        };
        let a = against.as_ref();
        let written = write_output(output, &inputs, |w| match args.format {
            Format::Table => report::table::drift(w, &report, a, &view),
            Format::Json => report::json::drift(w, &report, a),
            Format::Csv => report::csv::drift(w, &report, a),
            Format::Markdown => report::markdown::drift(w, &report, a, &view),
            Format::Html => report::html::drift(w, &report, a),
        });
        // The process ends next: freeing millions of members one by one would only delay
        // the exit (the system takes the memory back at once).
        std::mem::forget((report, against));
        written
    })?;
    Ok(())
}

/// The certificate on standard input, prepared as [`provdiff::drift::prepare_file`] prepares
/// a file.
fn read_standard_input(parse: &provdiff::ParseOptions) -> Result<Prepared, FileError> {
    provdiff::parse::read_bytes("-", std::io::stdin().lock())
        .and_then(|bytes| provdiff::drift::prepare("-", &bytes, parse))
        .map_err(FileError::from)
}

/// `--from-scan` takes every value after it, so a certificate or directory named after the
/// shards would be taken for one: each shard that is a file or directory is checked to be
/// scan output before any work (a pipe is not: reading it would consume it).
fn check_shards(shards: &[PathBuf]) -> Result<()> {
    use std::io::Read;
    const FIX: &str = "--from-scan takes every value after it as a shard: name certificates and directories before --from-scan, or end the shards with `--`";
    for shard in shards.iter().filter(|s| *s != "-") {
        let name = shard.display();
        match std::fs::metadata(shard) {
            Ok(m) if m.is_dir() => {
                bail!("--from-scan {name}: a directory, not a scan shard; {FIX}")
            }
            Ok(m) if m.is_file() => {
                let mut head = Vec::with_capacity(256);
                std::fs::File::open(shard)
                    .and_then(|f| f.take(256).read_to_end(&mut head))
                    .map_err(|e| {
                        anyhow::anyhow!("--from-scan {name}: {}", provdiff::parse::io_reason(&e))
                    })?;
                let first = head.iter().find(|b| !b.is_ascii_whitespace());
                if first.is_some_and(|&b| b != b'{') {
                    bail!(
                        "--from-scan {name}: not a scan shard (the output of `provdiff scan --format jsonl`); {FIX}"
                    );
                }
            }
            Ok(_) => {}
            Err(e) => bail!("--from-scan {name}: {}", provdiff::parse::io_reason(&e)),
        }
    }
    Ok(())
}

/// Adds the records of one `scan --format jsonl` file (`-`: standard input); returns how many
/// records it held and whether any is a failure.
fn read_shard(path: &Path, builder: &mut DriftBuilder) -> Result<(usize, bool)> {
    use std::io::BufRead;
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path).map_err(|e| {
            anyhow::anyhow!("{}: {}", path.display(), provdiff::parse::io_reason(&e))
        })?;
        Box::new(std::io::BufReader::new(file))
    };
    let mut failed = false;
    let mut records = 0;
    for (n, line) in reader.lines().enumerate() {
        let line = line.map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let rec: ScanRecord = serde_json::from_str(&line).map_err(|e| {
            anyhow::anyhow!(
                "{}: line {}: not a scan record ({e}); make shards with `provdiff scan --format jsonl`",
                path.display(),
                n + 1
            )
        })?;
        records += 1;
        failed |= builder.add_scan_record(rec);
    }
    Ok((records, failed))
}
