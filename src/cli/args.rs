//! The flags several commands share, each stated and checked once: `--encoding` and the
//! cache of what was read from PDFs and scans (`--cache-dir`, `--no-cache`) (every command)
//! and the flags of the commands that read a corpus (`--files-from`, `-j`, `--glob`, `-q`),
//! with what they map to in the library's options.

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::Arc;

use provdiff::ParseOptions;
use provdiff::corpus::{DEFAULT_GLOB, ReadOptions, WalkOptions};
use provdiff::input::{InputOptions, PagesRead, Reader};
use provdiff::parse::ingest::IngestOptions;

/// Where the shared flags stand among a command's own in its help (`display_order`): the
/// commands place theirs in between.
pub mod order {
    /// `--files-from`, right after the paths.
    pub const FILES_FROM: usize = 1;
    /// `-j`, then `--glob`.
    pub const JOBS: usize = 20;
    /// `--glob`.
    pub const GLOB: usize = 21;
    /// `--cache-dir`, then `--no-cache`.
    pub const CACHE: usize = 28;
    /// `--no-cache`.
    pub const NO_CACHE: usize = 29;
    /// `--encoding`, then `-q`: last.
    pub const ENCODING: usize = 30;
    /// `-q`.
    pub const QUIET: usize = 31;
}

/// `--encoding`.
#[derive(Debug, clap::Args)]
pub struct Encoding {
    #[arg(long, value_name = "LABEL", help = ENCODING_HELP, value_parser = parse_encoding, display_order = order::ENCODING)]
    encoding: Option<String>,
}

impl Encoding {
    /// How a certificate is parsed with this encoding (if any) forced.
    pub fn parse_options(&self) -> ParseOptions {
        ParseOptions {
            ingest: IngestOptions {
                encoding: self.encoding.clone(),
            },
            ..ParseOptions::default()
        }
    }
}

/// How PDFs and scans are read: where what was read is cached.
#[derive(Debug, clap::Args)]
pub struct Ocr {
    /// Keep what was read from PDFs and scans in DIR, by content and OCR engine, so that a
    /// second run over the same files does not OCR them again (default:
    /// $XDG_CACHE_HOME/provdiff or ~/.cache/provdiff).
    #[arg(long, value_name = "DIR", display_order = order::CACHE)]
    cache_dir: Option<PathBuf>,
    /// Read every PDF and scan afresh, and keep nothing.
    #[arg(long, conflicts_with = "cache_dir", display_order = order::NO_CACHE)]
    no_cache: bool,
}

impl Ocr {
    /// The options these flags say.
    pub fn options(&self) -> InputOptions {
        InputOptions {
            cache_dir: if self.no_cache {
                None
            } else {
                self.cache_dir
                    .clone()
                    .or_else(provdiff::input::ocr::cache::default_dir)
            },
            ..InputOptions::default()
        }
    }

    /// The reader for a run, telling `on_pages` as pages are read.
    pub fn reader(&self, on_pages: impl Fn(PagesRead) + Send + Sync + 'static) -> Arc<Reader> {
        Arc::new(Reader::new(self.options()).with_progress(on_pages))
    }
}

/// The flags of the commands that read a corpus (`scan`, `drift`).
#[derive(Debug, clap::Args)]
pub struct Corpus {
    /// Also read the files and directories listed in FILE, one per line (`-`: standard
    /// input), relative to the current directory.
    #[arg(long, value_name = "FILE", display_order = order::FILES_FROM)]
    pub files_from: Option<PathBuf>,
    /// Worker threads (0: one per core; at most 4 per core).
    #[arg(short, long, value_name = "N", default_value_t = 0, value_parser = parse_jobs, allow_negative_numbers = true, display_order = order::JOBS)]
    pub jobs: usize,
    /// Which files inside directories are certificates (matched without regard to case).
    #[arg(long, value_name = "GLOB", default_value = DEFAULT_GLOB, display_order = order::GLOB)]
    pub glob: String,
    #[command(flatten)]
    pub encoding: Encoding,
    #[command(flatten)]
    pub ocr: Ocr,
    /// No progress and no notes on standard error (progress is only ever shown on a
    /// terminal); failures are still reported.
    #[arg(short, long, display_order = order::QUIET)]
    pub quiet: bool,
}

impl Corpus {
    /// How the corpus is read: every file must hold numbered provisions, which is what the
    /// corpus commands compare; `on_pages` is told the pages of PDFs and scans read. Tells on
    /// standard error when `-j` is capped (unless `-q`).
    pub fn read_options(
        &self,
        on_pages: impl Fn(PagesRead) + Send + Sync + 'static,
    ) -> ReadOptions {
        ReadOptions {
            parse: ParseOptions {
                require_provisions: true,
                input: self.ocr.reader(on_pages),
                ..self.encoding.parse_options()
            },
            walk: WalkOptions {
                glob: self.glob.clone(),
                ..WalkOptions::default()
            },
            threads: worker_threads(self.jobs, self.quiet),
        }
    }
}

/// Encodings worth naming to reviewers of Chinese certificates; `--encoding` takes any
/// WHATWG label (`cp936`, `x-gbk`, `utf-16` …).
const ENCODINGS: &str = "utf-8, utf-16le, utf-16be, gb18030, gbk, big5";

/// The help of `--encoding`.
const ENCODING_HELP: &str = "Decode with this encoding instead of detecting it: utf-8, utf-16le, utf-16be, gb18030 (gbk and gb2312 read as it), big5, or another WHATWG label. A byte-order mark still wins";

/// The value of `--encoding`: a label known to the decoder, checked once for the whole run
/// (a label that decodes nothing, such as `iso-2022-kr`, is refused too).
fn parse_encoding(label: &str) -> Result<String, String> {
    match encoding_rs::Encoding::for_label_no_replacement(label.trim().as_bytes()) {
        Some(_) => Ok(label.trim().to_string()),
        None => Err(format!(
            "unknown encoding {label:?}; use one of {ENCODINGS}, or another WHATWG label"
        )),
    }
}

/// The value of `-j`: a count of worker threads, 0 for one per core.
fn parse_jobs(value: &str) -> Result<usize, String> {
    const WHAT: &str = "-j takes a number of worker threads, 0 for one per core";
    match value.trim().parse::<i64>() {
        Ok(n) if n < 0 => Err(format!("{n} is negative: {WHAT}")),
        Ok(n) => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
        Err(_) => Err(format!("not a whole number: {WHAT}")),
    }
}

/// More worker threads than this per core only cost memory and time: each holds its own
/// batch of parsed files and the cores take turns.
const MAX_JOBS_PER_CORE: usize = 4;

/// The worker threads to start for `-j jobs` (0 stays 0: one per core), at most
/// [`MAX_JOBS_PER_CORE`] per core, with a note on standard error when capped (unless `quiet`).
fn worker_threads(jobs: usize, quiet: bool) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let max = MAX_JOBS_PER_CORE * cores;
    if jobs <= max {
        return jobs;
    }
    if !quiet {
        let _ = writeln!(
            io::stderr(),
            "provdiff: note: -j {jobs} is more than {MAX_JOBS_PER_CORE} per core: using {max} worker threads ({cores} cores)"
        );
    }
    max
}
