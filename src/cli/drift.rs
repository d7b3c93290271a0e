//! `provdiff drift PATH...`: every wording of every provision across a corpus, the canonical
//! one, who carries the others, split by issuer and year.

use std::path::PathBuf;

use anyhow::{Result, bail};
use provdiff::corpus::{FileError, WalkOptions, walk_files, with_pool};
use provdiff::drift::{DriftBuilder, DriftOptions, GroupBy, Prepared};
use provdiff::report::drift as render;
use provdiff::scan::{ScanRecord, Status as ScanStatus};
use rayon::prelude::*;

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
/// (`--glob`, default `*.txt`). Exit status: 0 when every input was read, 2 when some failed
/// (the rest is still reported).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Certificate files and directories (`-` for standard input).
    #[arg(required_unless_present_any = ["from_scan", "files_from"])]
    paths: Vec<PathBuf>,
    /// Also read the files and directories listed in FILE, one per line (`-`: standard
    /// input), relative to the current directory.
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Build the report from `scan --format jsonl` output instead of (or besides) reading
    /// certificates: scan a large corpus in pieces, on several machines, then merge here.
    /// The result equals a direct run over the same files. Takes every value after it (`-`:
    /// standard input): name certificates before it, or end the shards with `--`.
    #[arg(long, value_name = "FILE.jsonl", num_args = 1..)]
    from_scan: Vec<PathBuf>,
    /// How counts are grouped.
    #[arg(long, value_enum, default_value_t = By::Issuer)]
    by: By,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output (`-o -`: standard
    /// output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (0: one per core; at most 4 per core).
    #[arg(short, long, value_name = "N", default_value_t = 0, value_parser = super::parse_jobs, allow_negative_numbers = true)]
    jobs: usize,
    /// Which files inside directories are certificates (matched without regard to case).
    #[arg(long, default_value = "*.txt")]
    glob: String,
    /// Also measure every certificate against this one (e.g. the regulator's current
    /// template): after the drift report, every format lists per certificate the clauses
    /// that deviate from it, with redlines from the reference's wording ("ref" ids are the
    /// reference's, "own" ids the certificate's). A business-type block that one side does
    /// not hold (its header lists no such business and it has no such block) is not
    /// applicable: said per certificate, not counted as missing or extra.
    #[arg(long, value_name = "FILE")]
    against: Option<PathBuf>,
    /// Colour the redlines.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[arg(long, value_name = "LABEL", help = super::ENCODING_HELP, value_parser = super::parse_encoding)]
    encoding: Option<String>,
    /// No progress and no notes on standard error (progress is only ever shown on a
    /// terminal); failures are still reported.
    #[arg(short, long)]
    quiet: bool,
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

/// Files parsed per batch: the batch is parsed in parallel, then its texts are interned and
/// the certificates dropped, so memory holds one batch of texts at a time. A small batch
/// keeps those texts in cache and their memory reused: at 10^5 certificates, 128 took about
/// 7% less CPU time than 2048 (`perf stat`, four pairs of runs), and 64 no less than 128.
const BATCH: usize = 128;

pub fn run(args: Args) -> Result<u8> {
    let dash = |p: &&PathBuf| *p == "-";
    let stdin_uses: Vec<&str> = (args.paths.iter().filter(dash).map(|_| "a certificate"))
        .chain(
            args.from_scan
                .iter()
                .filter(dash)
                .map(|_| "a shard of --from-scan"),
        )
        .chain(
            args.files_from
                .iter()
                .filter(dash)
                .map(|_| "the list of --files-from"),
        )
        .collect();
    super::standard_input_once(&stdin_uses)?;
    check_shards(&args.from_scan)?;
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        super::with_listed_paths(&args.paths, args.files_from.as_deref())?
            .into_iter()
            .partition(|p| p.as_os_str() == "-");
    let named: Vec<PathBuf> = (paths.iter())
        .chain(&args.from_scan)
        .chain(&args.against)
        .cloned()
        .collect();
    check_output(args.output.as_deref(), &named)?;
    let parse = provdiff::ParseOptions {
        ingest: provdiff::parse::ingest::IngestOptions {
            encoding: args.encoding.clone(),
        },
        require_provisions: true,
    };
    let walk = WalkOptions {
        glob: args.glob.clone(),
        ..WalkOptions::default()
    };
    let mut builder = DriftBuilder::new();
    let jobs = super::worker_threads(args.jobs, args.quiet);
    let progress = Progress::new("reading", args.quiet);
    // The table lists the failures too.
    let tell = super::failures_on_stderr(
        matches!(args.format, Format::Table) && output_path(args.output.as_deref()).is_none(),
    );
    let mut failed = false;
    let parse_one = |p: &PathBuf| {
        // Only a reference asks which business types a certificate holds.
        let r = match args.against {
            Some(_) => provdiff::drift::prepare_file(p, &parse),
            None => provdiff::drift::prepare_file_without_business(p, &parse),
        };
        let r = r.map_err(|e| FileError {
            path: e.path().to_string(),
            error: e.reason(),
        });
        progress.parsed();
        r
    };
    // Adds a parsed batch in input order, so output never depends on scheduling.
    let mut add_batch = |parsed: Vec<Result<Prepared, FileError>>| {
        for r in parsed {
            match r {
                Ok(p) => builder.add(p),
                Err(e) => {
                    if tell {
                        progress.suspend(|| eprintln!("provdiff: {}: {}", e.path, e.error));
                    }
                    failed = true;
                    builder.add_error(e);
                }
            }
        }
    };
    // Standard input is read before the files, so that no worker waits on it.
    if !stdin.is_empty() {
        add_batch(vec![read_standard_input(&parse)]);
    }
    let mut files: Vec<PathBuf> = Vec::new();
    // The walk runs on a thread of its own and hands over files a batch at a time, in input
    // order: parsing starts with the first batch instead of waiting for the whole walk.
    let (batches, walked) = std::sync::mpsc::channel::<Vec<PathBuf>>();
    let walk_errors = std::thread::scope(|scope| {
        let walker = scope.spawn(|| {
            let walked = walk_in_batches(&paths, &walk, batches, &progress);
            progress.walked();
            walked
        });
        // While the pool parses one batch, the previous one is added to the builder (which
        // is sequential): the two overlap instead of the workers waiting.
        with_pool(jobs, || {
            let mut pending: Option<Vec<_>> = None;
            for batch in walked {
                let (parsed, ()) = rayon::join(
                    || batch.par_iter().map(parse_one).collect::<Vec<_>>(),
                    || {
                        if let Some(done) = pending.take() {
                            add_batch(done);
                        }
                    },
                );
                pending = Some(parsed);
                files.extend(batch);
            }
            if let Some(done) = pending {
                add_batch(done);
            }
        });
        walker.join().expect("the walk does not panic")
    })?;
    let mut found = files.len() + walk_errors.len() + stdin.len();
    for e in walk_errors {
        if tell {
            progress.suspend(|| eprintln!("provdiff: {}: {}", e.path, e.error));
        }
        failed = true;
        builder.add_error(e);
    }
    progress.finish();
    for shard in &args.from_scan {
        let (records, shard_failed) = read_shard(shard, &mut builder)?;
        found += records;
        failed |= shard_failed;
    }
    if found == 0 {
        return Err(super::nothing_to_read(
            &paths,
            &args.glob,
            args.files_from.as_deref(),
        ));
    }
    let output = output_path(args.output.as_deref());
    let view = render::View {
        width: super::terminal_width(output.is_some()),
        color: args.color.enabled(output.is_some()),
        ..render::View::default()
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
    let mut inputs = paths.clone();
    inputs.extend(args.from_scan.iter().cloned());
    inputs.extend(files);
    match &args.against {
        Some(reference) => {
            let c = provdiff::parse_file(reference, &parse)?;
            inputs.push(reference.clone());
            with_pool(jobs, || {
                let (report, against) =
                    builder.finish_against(&opts, Prepared::from_certificate(c));
                // The drift report, then the against view.
                let written = write_output(output, &inputs, |w| match args.format {
                    Format::Table => {
                        render::table(w, &report, &view)?;
                        render::against_table(w, &against, &view)
                    }
                    Format::Json => render::against_json(w, &report, &against),
                    Format::Csv => {
                        render::csv(w, &report)?;
                        render::against_csv(w, &against)
                    }
                    Format::Markdown => {
                        render::markdown(w, &report, &view)?;
                        render::against_markdown(w, &against)
                    }
                    Format::Html => provdiff::report::html::drift_against(w, &report, &against),
                });
                // As below: the process ends next.
                std::mem::forget((report, against));
                written
            })?;
        }
        None => {
            // The JSON renderer writes large member lists on the pool's cores.
            with_pool(jobs, || {
                let report = builder.report(&opts);
                let written = write_output(output, &inputs, |w| match args.format {
                    Format::Table => render::table(w, &report, &view),
                    Format::Json => render::json(w, &report),
                    Format::Csv => render::csv(w, &report),
                    Format::Markdown => render::markdown(w, &report, &view),
                    Format::Html => provdiff::report::html::drift(w, &report),
                });
                // The process ends next: freeing millions of members one by one would only
                // delay the exit (the system takes the memory back at once).
                std::mem::forget(report);
                written
            })?;
            std::mem::forget(builder);
        }
    }
    Ok(if failed { EXIT_ERROR } else { EXIT_OK })
}

/// Walks `paths` and sends the files in batches of [`BATCH`], in the order `collect_files`
/// gives them; returns the inputs that could not be read, sorted.
fn walk_in_batches(
    paths: &[PathBuf],
    walk: &WalkOptions,
    batches: std::sync::mpsc::Sender<Vec<PathBuf>>,
    progress: &Progress,
) -> Result<Vec<FileError>, provdiff::corpus::GlobError> {
    // A closed channel means the receiving side has stopped: nothing more to do.
    let mut batch = Vec::with_capacity(BATCH);
    let errors = walk_files(paths, walk, &mut |path| {
        batch.push(path);
        if batch.len() == BATCH {
            progress.found(BATCH);
            let _ = batches.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)));
        }
    })?;
    if !batch.is_empty() {
        progress.found(batch.len());
        let _ = batches.send(batch);
    }
    Ok(errors)
}

/// The certificate on standard input, prepared as [`provdiff::drift::prepare_file`] prepares a file.
fn read_standard_input(parse: &provdiff::ParseOptions) -> Result<Prepared, FileError> {
    let failed = |error| FileError {
        path: "-".into(),
        error,
    };
    match provdiff::read_limited(std::io::stdin().lock()) {
        Ok(Some(bytes)) => {
            provdiff::drift::prepare("-", &bytes, parse).map_err(|e| failed(e.reason()))
        }
        Ok(None) => Err(failed(
            provdiff::ParseError::TooLarge { path: "-".into() }.reason(),
        )),
        Err(e) => Err(failed(provdiff::io_reason(&e))),
    }
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
                        anyhow::anyhow!("--from-scan {name}: {}", provdiff::io_reason(&e))
                    })?;
                let first = head.iter().find(|b| !b.is_ascii_whitespace());
                if first.is_some_and(|&b| b != b'{') {
                    bail!(
                        "--from-scan {name}: not a scan shard (the output of `provdiff scan --format jsonl`); {FIX}"
                    );
                }
            }
            Ok(_) => {}
            Err(e) => bail!("--from-scan {name}: {}", provdiff::io_reason(&e)),
        }
    }
    Ok(())
}

/// Adds the records of one `scan --format jsonl` file (`-`: standard input); returns how many
/// records it held and whether any is a failure.
fn read_shard(path: &std::path::Path, builder: &mut DriftBuilder) -> Result<(usize, bool)> {
    use std::io::BufRead;
    let reader: Box<dyn BufRead> = if path == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let file = std::fs::File::open(path)
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), provdiff::io_reason(&e)))?;
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
        match (rec.status, rec.fields) {
            // As a direct run does (scans before provisions were required passed these).
            (ScanStatus::Ok, Some(_)) if rec.tree.is_empty() => {
                failed = true;
                let error = provdiff::ParseError::NoProvisions {
                    path: rec.path.clone(),
                };
                builder.add_error(FileError {
                    error: error.reason(),
                    path: rec.path,
                });
            }
            (ScanStatus::Ok, Some(fields)) => {
                builder.add(Prepared::new(&rec.path, &fields, &rec.tree, &rec.warnings))
            }
            _ => {
                failed = true;
                builder.add_error(FileError {
                    path: rec.path,
                    error: rec.error.unwrap_or_else(|| "failed in scan".into()),
                });
            }
        }
    }
    Ok((records, failed))
}
