//! Files to scan records: every file parsed in parallel into one [`ScanRecord`] (fields,
//! counts, warnings and provisions, or the reason it failed), sorted by path.

use std::convert::Infallible;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{FileError, Files, Progress, ReadOptions, Workers, map_in_order};
use crate::model::{Certificate, Fields, InputKind, OcrInfo, Provision, Warning};
use crate::{ParseError, ParseOptions};

/// Whether a file could be parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Parsed; the record carries fields, counts and warnings.
    Ok,
    /// Not read or not a certificate; the record carries the reason.
    Error,
}

/// What scanning one file found: its parse quality, or why it failed.
///
/// Serialized as one line of `scan --format jsonl` (DESIGN §5): `path`, `status`, `error`,
/// `encoding`, `input`, `ocr` (OCR input only), `fields` (as in `show --format json`),
/// `provisions` (a count), `sub_items`, `warnings`, `duplicate_of` and `tree`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanRecord {
    /// The file as the user named it or as the directory walk found it.
    pub path: String,
    /// `ok` or `error`.
    pub status: Status,
    /// The reason, without the path; `null` when the file was parsed.
    pub error: Option<String>,
    /// The encoding the bytes were decoded with; `null` on error.
    pub encoding: Option<String>,
    /// How the text was obtained (`text`, `pdf_text`, `ocr`); `null` on error, and absent from
    /// shards written before it existed (which read text only).
    #[serde(default)]
    pub input: Option<InputKind>,
    /// The OCR engine's report (engine, pages, mean confidence), for OCR input only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ocr: Option<OcrInfo>,
    /// Header fields; `null` on error.
    pub fields: Option<Fields>,
    /// Number of top-level provisions.
    pub provisions: usize,
    /// Number of sub-items under all top-level provisions.
    pub sub_items: usize,
    /// Integrity warnings, in line order.
    pub warnings: Vec<Warning>,
    /// The first file, in path order, that holds the same licence number, when this one is
    /// not it: a possible duplicate (the same licence read twice, or a renewal). Set by
    /// [`ScanRecord::note_duplicate`]; absent from shards written before it existed.
    #[serde(default)]
    pub duplicate_of: Option<String>,
    /// The provisions themselves (same shape as show's "provisions": id, line, end_line, label,
    /// text, children, and for OCR input the uncertain characters), so that `drift --from-scan` can rebuild its report from scan output
    /// without the files.
    pub tree: Vec<Provision>,
}

impl ScanRecord {
    /// The record of a parsed certificate, named `path`.
    pub fn from_certificate(path: &str, cert: Certificate) -> ScanRecord {
        ScanRecord {
            path: path.to_string(),
            status: Status::Ok,
            error: None,
            encoding: Some(cert.encoding),
            input: Some(cert.input),
            ocr: cert.ocr,
            fields: Some(cert.fields),
            provisions: cert.provisions.len(),
            sub_items: cert.provisions.iter().map(|p| p.children.len()).sum(),
            warnings: cert.warnings,
            duplicate_of: None,
            tree: cert.provisions,
        }
    }

    /// The record of a file that failed, with the reason (no path in it).
    pub fn failed(path: &str, reason: String) -> ScanRecord {
        ScanRecord {
            path: path.to_string(),
            status: Status::Error,
            error: Some(reason),
            encoding: None,
            input: None,
            ocr: None,
            fields: None,
            provisions: 0,
            sub_items: 0,
            warnings: Vec::new(),
            duplicate_of: None,
            tree: Vec::new(),
        }
    }

    /// The record of a parse result for the file named `path`.
    pub fn from_result(path: &str, result: Result<Certificate, ParseError>) -> ScanRecord {
        match result {
            Ok(cert) => ScanRecord::from_certificate(path, cert),
            Err(e) => ScanRecord::failed(path, e.kind.to_string()),
        }
    }

    /// The record of an input path that could not be read as a file.
    pub fn from_file_error(e: &FileError) -> ScanRecord {
        ScanRecord::failed(&e.path, e.error.clone())
    }

    /// True when the file was parsed.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// The licence number read from the file, if it was parsed and has one.
    pub fn license_no(&self) -> Option<&str> {
        self.fields.as_ref()?.license_no.as_deref()
    }

    /// Sets [`ScanRecord::duplicate_of`] from the files seen before it (records come in path
    /// order); returns whether it is a duplicate.
    pub fn note_duplicate(&mut self, seen: &mut crate::corpus::duplicates::FirstHolders) -> bool {
        self.duplicate_of = seen.see(&self.path, self.license_no());
        self.duplicate_of.is_some()
    }
}

/// Reads and parses one file; never fails: a failure becomes an error record.
pub fn scan_file(path: &Path, opts: &ParseOptions) -> ScanRecord {
    ScanRecord::from_result(&path.display().to_string(), crate::parse_file(path, opts))
}

/// Scans `files.files` on `opts.threads` workers (0: one per core), telling `progress` of
/// each file read and each failure, and adds an error record for each of `files.errors`. The
/// records are sorted by path, so the result never depends on scheduling or on the order the
/// paths were given in.
pub fn scan_files(files: &Files, opts: &ReadOptions, progress: &dyn Progress) -> Vec<ScanRecord> {
    let mut records = Vec::with_capacity(files.files.len() + files.errors.len());
    let done: Result<(), Infallible> = scan_files_each(
        files,
        Vec::new(),
        opts,
        progress,
        |r| r,
        |r| {
            records.push(r);
            Ok(())
        },
    );
    let Ok(()) = done;
    records
}

/// Records scanned this many at a time by [`scan_files_each`].
const BATCH: usize = 1024;

/// [`scan_files`] with `ready` (records made elsewhere, such as standard input's) merged in,
/// each record turned by `prepare` on the worker that made it (rendered into its output
/// bytes, say, so that rendering runs on every core), then handed to `sink` in path order
/// (see [`sort`]), right after `progress` is told when it failed: a corpus of any size is
/// written out without being held in memory. Stops at the first error of `sink`.
pub fn scan_files_each<T: Send, E>(
    files: &Files,
    ready: Vec<ScanRecord>,
    opts: &ReadOptions,
    progress: &dyn Progress,
    prepare: impl Fn(ScanRecord) -> T + Sync,
    sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let run = Run {
        opts: &opts.parse,
        threads: opts.threads,
        batch_size: BATCH,
    };
    scan_in_batches(files, ready, &run, progress, prepare, sink)
}

/// How [`scan_in_batches`] runs.
struct Run<'a> {
    opts: &'a ParseOptions,
    threads: usize,
    batch_size: usize,
}

/// What a worker makes of a record: the failure to tell, if any, and what `prepare` made.
type Prepared<T> = (Option<FileError>, T);

fn scan_in_batches<T: Send, E>(
    files: &Files,
    ready: Vec<ScanRecord>,
    run: &Run,
    progress: &dyn Progress,
    prepare: impl Fn(ScanRecord) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    enum Item<'a> {
        File(&'a Path),
        Ready(Box<ScanRecord>),
    }
    fn path_of<'a>(item: &'a Item) -> &'a Path {
        match item {
            Item::File(p) => p,
            Item::Ready(r) => Path::new(&r.path),
        }
    }
    // The order of `scan_files`: files, then walk errors, then the rest, sorted stably.
    let mut items: Vec<Item> = files
        .files
        .iter()
        .map(|p| Item::File(p))
        .chain(
            files
                .errors
                .iter()
                .map(|e| Item::Ready(Box::new(ScanRecord::from_file_error(e)))),
        )
        .chain(ready.into_iter().map(|r| Item::Ready(Box::new(r))))
        .collect();
    items.sort_by(|a, b| path_of(a).cmp(path_of(b)));
    let mut items = items.into_iter();
    let size = run.batch_size.max(1);
    let batches = std::iter::from_fn(|| {
        let batch: Vec<Item> = items.by_ref().take(size).collect();
        (!batch.is_empty()).then_some(batch)
    });
    let scan = |item| -> Prepared<T> {
        let record = match item {
            Item::File(path) => {
                let record = scan_file(path, run.opts);
                progress.read();
                record
            }
            Item::Ready(record) => *record,
        };
        let failed = (record.error.as_ref()).map(|error| FileError {
            path: record.path.clone(),
            error: error.clone(),
        });
        (failed, prepare(record))
    };
    let workers = Workers::new(run.threads);
    map_in_order(&workers, batches, scan, |batch| {
        for (failed, prepared) in batch {
            if let Some(e) = failed {
                progress.failed(&e);
            }
            sink(prepared)?;
        }
        Ok(())
    })
}

/// Sorts records by path, component by component as directory walks order them (stable, so
/// records of the same path keep their order).
pub fn sort(records: &mut [ScanRecord]) {
    records.sort_by(|a, b| Path::new(&a.path).cmp(Path::new(&b.path)));
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::corpus::{WalkOptions, collect_files};

    fn corpus() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
    }

    fn corpus_files() -> Files {
        collect_files(&[corpus()], &WalkOptions::default()).unwrap()
    }

    /// Counts the files read and keeps the failures told.
    #[derive(Default)]
    struct Counted {
        read: AtomicUsize,
        failed: std::sync::Mutex<Vec<FileError>>,
    }

    impl Progress for Counted {
        fn read(&self) {
            self.read.fetch_add(1, Ordering::Relaxed);
        }

        fn failed(&self, error: &FileError) {
            self.failed.lock().unwrap().push(error.clone());
        }
    }

    #[test]
    fn corpus_records_are_ok_and_counted() {
        let counted = Counted::default();
        let opts = ReadOptions {
            threads: 2,
            ..ReadOptions::default()
        };
        let records = scan_files(&corpus_files(), &opts, &counted);
        assert_eq!(counted.read.load(Ordering::Relaxed), 4);
        assert!(counted.failed.lock().unwrap().is_empty());
        let counts: Vec<(usize, usize)> = records
            .iter()
            .map(|r| (r.provisions, r.sub_items))
            .collect();
        assert_eq!(counts, [(15, 14), (15, 14), (15, 14), (16, 21)]);
        assert!(records.iter().all(|r| r.is_ok() && r.error.is_none()));
        assert!(records.windows(2).all(|w| w[0].path < w[1].path));
    }

    #[test]
    fn records_round_trip_through_json() {
        for path in corpus_files().files {
            let cert = crate::parse_file(&path, &ParseOptions::default()).unwrap();
            let record = scan_file(&path, &ParseOptions::default());
            let json = serde_json::to_string(&record).unwrap();
            let back: ScanRecord = serde_json::from_str(&json).unwrap();
            assert_eq!(back, record, "{}", path.display());
            assert_eq!(back.fields.as_ref(), Some(&cert.fields));
            assert_eq!(back.tree, cert.provisions);
            assert_eq!(back.warnings, cert.warnings);
            // The model types alone, as `show --format json` writes them.
            let fields: Fields =
                serde_json::from_str(&serde_json::to_string(&cert.fields).unwrap()).unwrap();
            assert_eq!(fields, cert.fields);
            let provs: Vec<Provision> =
                serde_json::from_str(&serde_json::to_string(&cert.provisions).unwrap()).unwrap();
            assert_eq!(provs, cert.provisions);
        }
    }

    #[test]
    fn failures_become_records_in_path_order() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("b_empty.txt"), "").unwrap();
        std::fs::write(d.join("a_prose.txt"), "今天天气很好，我们去公园散步。\n").unwrap();
        std::fs::write(d.join("c_binary.txt"), [0u8, 159, 146, 150, 0, 0, 1, 2]).unwrap();
        let files = collect_files(
            &[d.to_path_buf(), d.join("missing.txt")],
            &WalkOptions::default(),
        )
        .unwrap();
        let counted = Counted::default();
        let records = scan_files(&files, &ReadOptions::default(), &counted);
        let failed = counted.failed.lock().unwrap().clone();
        let told: Vec<&str> = failed.iter().map(|e| e.path.as_str()).collect();
        let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(told, paths, "every failure told, in order");
        let names: Vec<String> = records
            .iter()
            .map(|r| {
                let name = Path::new(&r.path).file_name().unwrap().to_string_lossy();
                format!("{name}: {}", r.error.as_deref().unwrap_or("ok"))
            })
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(
            names[0].starts_with("a_prose.txt: not a licence"),
            "{names:?}"
        );
        assert!(
            names[1].starts_with("b_empty.txt: the file is empty"),
            "{names:?}"
        );
        assert!(
            names[2].starts_with("c_binary.txt: the file is binary"),
            "{names:?}"
        );
        assert!(
            names[3].starts_with("missing.txt: no such file"),
            "{names:?}"
        );
        for r in &records {
            assert_eq!(r.status, Status::Error);
            assert!(!r.error.as_ref().unwrap().contains(&r.path));
            assert!(r.fields.is_none() && r.tree.is_empty());
        }
    }

    #[test]
    fn batches_come_in_path_order() {
        let dir = corpus();
        let missing = dir.join("missing.txt");
        let files = collect_files(&[dir.clone(), missing], &WalkOptions::default()).unwrap();
        // The order promised: every file, the walk's errors and the extra record, sorted by
        // path, component by component.
        let stdin = ScanRecord::failed("-", "not read in this test".into());
        let mut expected: Vec<ScanRecord> = files
            .files
            .iter()
            .map(|p| scan_file(p, &ParseOptions::default()))
            .chain(files.errors.iter().map(ScanRecord::from_file_error))
            .chain([stdin.clone()])
            .collect();
        sort(&mut expected);
        assert!(expected.iter().any(|r| !r.is_ok()) && expected.len() > 3);
        for batch in [1, 2, 3, 100] {
            let mut got = Vec::new();
            let run = Run {
                opts: &ParseOptions::default(),
                threads: 2,
                batch_size: batch,
            };
            // Each failure is told right before its record reaches the sink.
            let told = Counted::default();
            scan_in_batches(
                &files,
                vec![stdin.clone()],
                &run,
                &told,
                |r| r,
                |r| {
                    let failed = told.failed.lock().unwrap();
                    if !r.is_ok() {
                        assert_eq!(failed.last().map(|e| &e.path), Some(&r.path));
                    }
                    got.push(r);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            assert_eq!(got, expected, "batches of {batch}");
            assert_eq!(told.failed.lock().unwrap().len(), 2, "batches of {batch}");
            // `prepare` turns every record, the ready ones included, before the sink.
            let mut paths = Vec::new();
            scan_in_batches(
                &files,
                vec![stdin.clone()],
                &run,
                &(),
                |r| (r.path, r.status),
                |p| {
                    paths.push(p);
                    Ok::<(), ()>(())
                },
            )
            .unwrap();
            let want: Vec<_> = expected
                .iter()
                .map(|r| (r.path.clone(), r.status))
                .collect();
            assert_eq!(paths, want, "batches of {batch}");
        }
    }
}
