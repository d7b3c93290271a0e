//! `provdiff scan PATH...`: the parse quality of a corpus, one record per file.

use std::io;
use std::path::PathBuf;

use anyhow::Result;
use provdiff::corpus::{Files, WalkOptions, walk_files};
use provdiff::report::scan as render;
use provdiff::scan::{ScanRecord, scan_files_each};

use crate::cli::output::{check_output, output_path, write_output};
use crate::cli::progress::Progress;
use crate::cli::{EXIT_ERROR, EXIT_OK};

/// Check how well every certificate in a corpus parses.
///
/// Every file is parsed in parallel and gets one record: the encoding it was decoded with,
/// its header fields, the number of provisions and sub-items, and its integrity warnings, or
/// the reason it could not be read. Directories are walked recursively, keeping the files
/// that match `--glob`; files named explicitly are always read; `-` reads standard input.
/// A file that fails never stops the others: it gets an error record and a line on standard
/// error (`provdiff: PATH: reason`). Records come in path order, the same bytes for any
/// `--jobs` and any order of the paths. Files holding the same licence number are possible
/// duplicates (one licence scanned twice, or a renewal): the table lists them with their
/// paths and issue dates; in JSON Lines and CSV each file after the first of its number names
/// that first file in `duplicate_of`. Exit status: 0 when every input was parsed, 2 when
/// some failed.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Certificate files and directories (`-` for standard input).
    #[arg(required_unless_present = "files_from")]
    paths: Vec<PathBuf>,
    /// Also read the files and directories listed in FILE, one per line (`-`: standard
    /// input), relative to the current directory.
    #[arg(long, value_name = "FILE")]
    files_from: Option<PathBuf>,
    /// Output format: a table with a list of problems, JSON Lines (one object per file), or
    /// CSV (safe to open in a spreadsheet).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Worker threads (0: one per core; at most 4 per core).
    #[arg(short, long, value_name = "N", default_value_t = 0, value_parser = super::parse_jobs, allow_negative_numbers = true)]
    jobs: usize,
    /// Which files inside directories are certificates (matched without regard to case).
    #[arg(long, value_name = "GLOB", default_value = "*.txt")]
    glob: String,
    /// Write the report to FILE (atomically) instead of standard output (`-o -`: standard
    /// output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    #[arg(long, value_name = "LABEL", help = super::ENCODING_HELP, value_parser = super::parse_encoding)]
    encoding: Option<String>,
    /// No progress and no notes on standard error (progress is only ever shown on a
    /// terminal); failures are still reported.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> Result<u8> {
    let opts = provdiff::ParseOptions {
        ingest: provdiff::parse::ingest::IngestOptions {
            encoding: args.encoding.clone(),
        },
        require_provisions: true,
    };
    let mut stdin_uses: Vec<&str> = args
        .paths
        .iter()
        .filter(|p| *p == "-")
        .map(|_| "a certificate")
        .collect();
    if args.files_from.as_deref().is_some_and(|p| p == "-") {
        stdin_uses.push("the list of --files-from");
    }
    super::standard_input_once(&stdin_uses)?;
    check_output(args.output.as_deref(), &args.paths)?;
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        super::with_listed_paths(&args.paths, args.files_from.as_deref())?
            .into_iter()
            .partition(|p| p.as_os_str() == "-");
    let walk = WalkOptions {
        glob: args.glob.clone(),
        ..WalkOptions::default()
    };
    let jobs = super::worker_threads(args.jobs, args.quiet);
    let progress = Progress::new("scanning", args.quiet);
    let mut found = Vec::new();
    let errors = walk_files(&paths, &walk, &mut |path| {
        found.push(path);
        if found.len() % 64 == 0 {
            progress.found(64);
        }
    })?;
    progress.found(found.len() % 64);
    progress.walked();
    if found.is_empty() && errors.is_empty() && stdin.is_empty() {
        progress.finish();
        return Err(super::nothing_to_read(
            &paths,
            &args.glob,
            args.files_from.as_deref(),
        ));
    }
    let files = Files {
        files: found,
        errors,
    };
    // Standard input is read before the files, so that no worker waits on it.
    let ready: Vec<ScanRecord> = stdin
        .iter()
        .take(1)
        .map(|_| ScanRecord::from_result("-", super::read_certificate("-", &opts)))
        .collect();
    let mut inputs = paths;
    inputs.extend(files.files.iter().cloned());
    let output = output_path(args.output.as_deref());
    let mut all_ok = true;
    // The table lists the failures too.
    let tell = super::failures_on_stderr(matches!(args.format, Format::Table) && output.is_none());
    // Records come in path order: each is told the first file that held its licence number.
    let mut seen = provdiff::corpus::duplicates::FirstHolders::default();
    let mut report_error = |path: &str, error: Option<&String>| {
        if let Some(e) = error {
            all_ok = false;
            if tell {
                progress.suspend(|| eprintln!("provdiff: {path}: {e}"));
            }
        }
    };
    match args.format {
        // A table sizes its columns over every row: it needs them all.
        Format::Table => {
            let mut records = Vec::new();
            scan_files_each(
                &files,
                ready,
                &opts,
                jobs,
                || progress.parsed(),
                |r| r,
                |batch| {
                    for mut r in batch {
                        report_error(&r.path, r.error.as_ref());
                        r.note_duplicate(&mut seen);
                        records.push(r);
                    }
                    Ok::<_, io::Error>(())
                },
            )?;
            progress.finish();
            write_output(output, &inputs, |w| {
                render::table(w, &records, super::terminal_width(output.is_some()))
            })?;
        }
        // Each record is rendered by the worker that scanned it, and written a batch at a
        // time, in order: rendering runs on every core and memory stays flat however large
        // the corpus.
        Format::Jsonl | Format::Csv => {
            let csv = matches!(args.format, Format::Csv);
            let render = |r: &ScanRecord| {
                let mut bytes = Vec::new();
                let one = std::slice::from_ref(r);
                let written = if csv {
                    render::csv_part(&mut bytes, one, false)
                } else {
                    render::jsonl(&mut bytes, one)
                };
                written.map(|()| bytes)
            };
            let render_one = |r: ScanRecord| {
                let bytes = render(&r);
                (r, bytes)
            };
            write_output(output, &inputs, |w| {
                if csv {
                    render::csv_part(w, &[], true)?;
                }
                scan_files_each(
                    &files,
                    ready,
                    &opts,
                    jobs,
                    || progress.parsed(),
                    render_one,
                    |batch| {
                        for (mut r, mut bytes) in batch {
                            report_error(&r.path, r.error.as_ref());
                            // Rendered again in the rare case it turns out a duplicate.
                            if r.note_duplicate(&mut seen) {
                                bytes = render(&r);
                            }
                            w.write_all(&bytes?)?;
                        }
                        Ok(())
                    },
                )
            })?;
            progress.finish();
        }
    }
    Ok(if all_ok { EXIT_OK } else { EXIT_ERROR })
}
