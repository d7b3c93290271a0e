//! A drift report from paths: the certificates found under them read in ordered parallel
//! batches and added to a [`DriftBuilder`] in walk order, so that the walk, the reading and
//! the adding overlap.

use std::convert::Infallible;
use std::path::PathBuf;

use crate::corpus::{
    FileError, GlobError, Progress, ReadOptions, Workers, map_in_order, walk_in_batches, with_pool,
};

use crate::parse::ParseErrorKind;
use crate::scan::{ScanRecord, Status};

use super::{DriftBuilder, DriftOptions, DriftReport, Prepared};
use super::{prepare_file, prepare_file_without_business};

/// Files read per batch: a batch is read in parallel, then its texts are interned and the
/// certificates dropped, so memory holds a batch or two of texts at a time; a small batch
/// keeps them in cache and their memory reused (docs/performance.md has the measurements).
const BATCH: usize = 128;

/// What [`DriftBuilder::add_paths`] read.
#[derive(Debug, Default)]
pub struct Added {
    /// The files found, in walk order (those that failed included).
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked (missing, dangling links, link loops …).
    pub unreadable: usize,
    /// Inputs that failed: the unreadable paths and the files that could not be read or are
    /// no certificate.
    pub failed: usize,
}

impl DriftBuilder {
    /// Reads the certificates in `paths` (files, and the files of directories walked as
    /// `opts.walk` says) on `opts.threads` workers and adds them in walk order, each input
    /// that failed as an error, which `progress` is told too. With `business_types`, also
    /// reads the business types each header lists, which only
    /// [`DriftBuilder::finish_against`] uses (see [`prepare_file_without_business`]). Fails
    /// only on a bad glob, before reading anything.
    pub fn add_paths(
        &mut self,
        paths: &[PathBuf],
        opts: &ReadOptions,
        business_types: bool,
        progress: &dyn Progress,
    ) -> Result<Added, GlobError> {
        let workers = Workers::new(opts.threads);
        let read = |path: PathBuf| {
            let prepared = if business_types {
                prepare_file(&path, &opts.parse)
            } else {
                prepare_file_without_business(&path, &opts.parse)
            };
            progress.read();
            (path, prepared.map_err(FileError::from))
        };
        let mut added = Added::default();
        let ((), errors) = walk_in_batches(paths, &opts.walk, BATCH, progress, |batches| {
            let done: Result<(), Infallible> = map_in_order(&workers, batches, read, |batch| {
                for (path, prepared) in batch {
                    added.files.push(path);
                    added.failed += usize::from(self.add_result(prepared, progress));
                }
                Ok(())
            });
            let Ok(()) = done;
        })?;
        added.unreadable = errors.len();
        added.failed += errors.len();
        for e in errors {
            progress.failed(&e);
            self.add_error(e);
        }
        Ok(added)
    }

    /// Adds a prepared certificate, or the error of one that failed, which `progress` is
    /// told; returns whether it failed.
    pub fn add_result(
        &mut self,
        prepared: Result<Prepared, FileError>,
        progress: &dyn Progress,
    ) -> bool {
        match prepared {
            Ok(p) => {
                self.add(p);
                false
            }
            Err(e) => {
                progress.failed(&e);
                self.add_error(e);
                true
            }
        }
    }
}

impl DriftBuilder {
    /// Adds one record of `scan --format jsonl` output (a shard): the certificate it read, or
    /// the failure it records; returns whether it is a failure. A record of a certificate
    /// without provisions (scans before they were required passed these) fails, as in a
    /// direct run.
    pub fn add_scan_record(&mut self, rec: ScanRecord) -> bool {
        match (rec.status, rec.fields) {
            (Status::Ok, Some(_)) if rec.tree.is_empty() => {
                self.add_error(FileError {
                    error: ParseErrorKind::NoProvisions.to_string(),
                    path: rec.path,
                });
                true
            }
            (Status::Ok, Some(fields)) => {
                self.add(Prepared::new(&rec.path, &fields, &rec.tree, &rec.warnings));
                false
            }
            _ => {
                self.add_error(FileError {
                    path: rec.path,
                    error: rec.error.unwrap_or_else(|| "failed in scan".into()),
                });
                true
            }
        }
    }
}

/// The drift report of the certificates in `paths`: [`DriftBuilder::add_paths`], then
/// [`DriftBuilder::finish`] on the same number of workers. The inputs that failed are listed
/// in the report's errors.
pub fn drift_paths(
    paths: &[PathBuf],
    read: &ReadOptions,
    opts: &DriftOptions,
) -> Result<DriftReport, GlobError> {
    let mut builder = DriftBuilder::new();
    builder.add_paths(paths, read, false, &())?;
    Ok(with_pool(read.threads, || builder.finish(opts)))
}
