//! `provdiff scan PATH...`: the parse quality of a corpus, one record per file.

use std::io;
use std::path::{Path, PathBuf};

use anyhow::Result;
use provdiff::corpus::duplicates::FirstHolders;
use provdiff::corpus::{Files, ReadOptions, collect_files_told};
use provdiff::report;
use provdiff::scan::{ScanRecord, scan_files_each};

use crate::cli::args;
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
    /// Output format: a table with a list of problems, JSON Lines (one object per file), or
    /// CSV (safe to open in a spreadsheet).
    #[arg(long, value_enum, default_value_t = Format::Table, display_order = 10)]
    format: Format,
    /// Write the report to FILE (atomically) instead of standard output (`-o -`: standard
    /// output).
    #[arg(short, long, value_name = "FILE", display_order = 25)]
    output: Option<PathBuf>,
    /// Read only share K of N of the files (1 <= K <= N), chosen by a stable hash of each
    /// file's path relative to the directory given: N runs with K = 1…N, on any machines,
    /// read every file once, and `drift --from-scan` merges their JSON Lines.
    #[arg(long, value_name = "K/N", display_order = 26)]
    shard: Option<provdiff::corpus::Shard>,
    #[command(flatten)]
    corpus: args::Corpus,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Jsonl,
    Csv,
}

pub fn run(args: Args) -> Result<u8> {
    let mut stdin_uses: Vec<&str> = args
        .paths
        .iter()
        .filter(|p| *p == "-")
        .map(|_| "a certificate")
        .collect();
    let files_from = args.corpus.files_from.as_deref();
    if files_from.is_some_and(|p| p == "-") {
        stdin_uses.push("the list of --files-from");
    }
    super::standard_input_once(&stdin_uses)?;
    check_output(args.output.as_deref(), &args.paths)?;
    let (stdin, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        super::with_listed_paths(&args.paths, files_from)?
            .into_iter()
            .partition(|p| p.as_os_str() == "-");
    let output = output_path(args.output.as_deref());
    // The table lists the failures too.
    let tell = super::failures_on_stderr(matches!(args.format, Format::Table) && output.is_none());
    let progress = Progress::new("scanning", args.corpus.quiet, tell);
    let read = args.corpus.read_options(progress.pages_hook());
    let mut files = collect_files_told(&paths, &read.walk, &progress)?;
    if files.files.is_empty() && files.errors.is_empty() && stdin.is_empty() {
        progress.finish();
        return Err(super::nothing_to_read(&paths, &read.walk.glob, files_from));
    }
    // A share may hold no file at all: that is no error.
    let mut stdin = stdin;
    if let Some(shard) = args.shard {
        files.files.retain(|p| shard.takes(p, &paths));
        files
            .errors
            .retain(|e| shard.takes(Path::new(&e.path), &paths));
        stdin.retain(|p| shard.takes(p, &[]));
    }
    // Standard input is read before the files, so that no worker waits on it.
    let ready: Vec<ScanRecord> = stdin
        .iter()
        .take(1)
        .map(|_| ScanRecord::from_result("-", super::read_certificate("-", &read.parse)))
        .collect();
    let mut inputs = paths;
    inputs.extend(files.files.iter().cloned());
    let scan = Scan {
        files: &files,
        ready,
        read: &read,
        progress: &progress,
    };
    match args.format {
        Format::Table => write_table(scan, output, &inputs)?,
        Format::Jsonl => write_lines(scan, output, &inputs, false)?,
        Format::Csv => write_lines(scan, output, &inputs, true)?,
    }
    Ok(if progress.any_failed() {
        EXIT_ERROR
    } else {
        EXIT_OK
    })
}

/// What a scan reads, and what it tells as it goes.
struct Scan<'a> {
    files: &'a Files,
    /// Standard input's record, made before the files are read.
    ready: Vec<ScanRecord>,
    read: &'a ReadOptions,
    progress: &'a Progress,
}

/// The table: it sizes its columns over every row, so it needs them all first.
fn write_table(scan: Scan, output: Option<&Path>, inputs: &[PathBuf]) -> Result<()> {
    // Records come in path order: each is told the first file that held its licence number.
    let mut seen = FirstHolders::default();
    let mut records = Vec::new();
    let read = |mut r: ScanRecord| {
        r.note_duplicate(&mut seen);
        records.push(r);
        Ok::<_, io::Error>(())
    };
    scan_files_each(
        scan.files,
        scan.ready,
        scan.read,
        scan.progress,
        |r| r,
        read,
    )?;
    scan.progress.finish();
    write_output(output, inputs, |w| {
        report::table::scan(w, &records, super::terminal_width(output.is_some()))
    })
}

/// JSON Lines or CSV: each record is rendered by the worker that scanned it, and written in
/// order as it comes: rendering runs on every core and memory stays flat however large the
/// corpus.
fn write_lines(scan: Scan, output: Option<&Path>, inputs: &[PathBuf], csv: bool) -> Result<()> {
    let render = |r: &ScanRecord| {
        let mut bytes = Vec::new();
        let one = std::slice::from_ref(r);
        let written = if csv {
            report::csv::scan_part(&mut bytes, one, false)
        } else {
            report::json::scan_lines(&mut bytes, one)
        };
        written.map(|()| bytes)
    };
    let render_one = |r: ScanRecord| {
        let bytes = render(&r);
        (r, bytes)
    };
    let mut seen = FirstHolders::default();
    write_output(output, inputs, |w| {
        if csv {
            report::csv::scan_part(w, &[], true)?;
        }
        let progress = scan.progress;
        scan_files_each(
            scan.files,
            scan.ready,
            scan.read,
            progress,
            render_one,
            |(mut r, mut bytes)| {
                // Rendered again in the rare case it turns out a duplicate.
                if r.note_duplicate(&mut seen) {
                    bytes = render(&r);
                }
                w.write_all(&bytes?)
            },
        )
    })?;
    scan.progress.finish();
    Ok(())
}
