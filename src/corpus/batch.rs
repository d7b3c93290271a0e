//! Ordered parallel batches, the pipeline `scan` and `drift` share: files handed over a batch
//! at a time (by a walk on a thread of its own, as it goes), each batch read on every worker
//! while the calling thread consumes the batch before it, in order, so that the results never
//! depend on scheduling.

use std::path::PathBuf;
use std::sync::mpsc;

use rayon::prelude::*;

use super::walk::{FileError, GlobError, WalkOptions, walk_files};

/// What a long read over a corpus tells as it goes (for a progress bar and messages); each
/// call does nothing unless implemented.
pub trait Progress: Sync {
    /// `n` more files were found.
    fn found(&self, n: usize) {
        let _ = n;
    }

    /// The walk is over: the count of files found is final.
    fn walked(&self) {}

    /// One more file was read (from any worker thread).
    fn read(&self) {}

    /// An input could not be read or is no certificate: told in input order, from the
    /// thread that consumes the results.
    fn failed(&self, error: &FileError) {
        let _ = error;
    }
}

/// Tells nothing.
impl Progress for () {}

/// A pool of worker threads for rayon's parallel iterators and `rayon::join`.
#[derive(Debug)]
pub struct Workers(Option<rayon::ThreadPool>);

impl Workers {
    /// `threads` workers (0: one per core); the global pool if that many cannot be started.
    pub fn new(threads: usize) -> Workers {
        Workers(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .ok(),
        )
    }

    /// Runs `f` with these workers serving the parallel work inside it.
    pub fn run<R: Send>(&self, f: impl FnOnce() -> R + Send) -> R {
        match &self.0 {
            Some(pool) => pool.install(f),
            None => f(),
        }
    }

    /// Runs `f` on the calling thread; what it spawns on the scope runs on these workers.
    fn in_place_scope<'s, R>(&self, f: impl FnOnce(&rayon::Scope<'s>) -> R) -> R {
        match &self.0 {
            Some(pool) => pool.in_place_scope(f),
            None => rayon::in_place_scope(f),
        }
    }
}

/// Runs `f` inside a pool of `threads` worker threads (0: one per core), so that rayon's
/// parallel iterators and `rayon::join` inside it use that many threads.
pub fn with_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    Workers::new(threads).run(f)
}

/// Maps every item of `batches` with `map` on `workers` and hands the results of each batch
/// to `sink` in the order of the batches and of their items. The workers map a batch while the
/// calling thread sinks the one before it: the sequential part (adding to a report, writing
/// the output) overlaps the parallel one, and `sink` need not be `Send`. Stops at the first
/// error of `sink`.
pub fn map_in_order<I: Send, T: Send, E>(
    workers: &Workers,
    batches: impl IntoIterator<Item = Vec<I>>,
    map: impl Fn(I) -> T + Sync,
    mut sink: impl FnMut(Vec<T>) -> Result<(), E>,
) -> Result<(), E> {
    let mut pending: Option<Vec<T>> = None;
    for batch in batches {
        let mut mapped = None;
        let sunk = workers.in_place_scope(|scope| {
            scope.spawn(|_| mapped = Some(batch.into_par_iter().map(&map).collect()));
            pending.take().map_or(Ok(()), &mut sink)
        });
        sunk?;
        pending = mapped;
    }
    pending.map_or(Ok(()), sink)
}

/// Walks `paths` on a thread of its own and hands their files to `consume` in batches of
/// `size`, in the order [`collect_files`](super::collect_files) gives them, as soon as that
/// order is known (see [`walk_files`]): reading starts with the first batch instead of waiting
/// for the whole walk. Returns what `consume` returns, and the inputs that could not be read,
/// sorted.
pub fn walk_in_batches<R>(
    paths: &[PathBuf],
    opts: &WalkOptions,
    size: usize,
    progress: &dyn Progress,
    consume: impl FnOnce(mpsc::Receiver<Vec<PathBuf>>) -> R,
) -> Result<(R, Vec<FileError>), GlobError> {
    let size = size.max(1);
    let (batches, walked) = mpsc::channel::<Vec<PathBuf>>();
    std::thread::scope(|scope| {
        let walker = scope.spawn(move || {
            // A closed channel means the receiving side has stopped: nothing more to do.
            let mut batch = Vec::with_capacity(size);
            let errors = walk_files(paths, opts, &mut |path| {
                batch.push(path);
                if batch.len() == size {
                    progress.found(size);
                    let _ = batches.send(std::mem::replace(&mut batch, Vec::with_capacity(size)));
                }
            });
            if !batch.is_empty() {
                progress.found(batch.len());
                let _ = batches.send(batch);
            }
            progress.walked();
            errors
        });
        let consumed = consume(walked);
        let errors = walker.join().expect("the walk does not panic")?;
        Ok((consumed, errors))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_order_whatever_the_batches_and_threads() {
        for (threads, size) in [(1, 1), (2, 3), (3, 64), (0, 1000)] {
            let items: Vec<usize> = (0..500).collect();
            let batches = items.chunks(size).map(<[usize]>::to_vec);
            let mut got = Vec::new();
            let mut sizes = Vec::new();
            let done: Result<(), ()> = map_in_order(
                &Workers::new(threads),
                batches,
                |i| i * 2,
                |batch| {
                    sizes.push(batch.len());
                    got.extend(batch);
                    Ok(())
                },
            );
            assert_eq!(done, Ok(()));
            assert_eq!(got, items.iter().map(|i| i * 2).collect::<Vec<_>>());
            assert!(sizes.iter().all(|&n| n <= size), "{sizes:?}");
        }
    }

    #[test]
    fn the_first_error_of_the_sink_stops_the_work() {
        let batches = (0..10).map(|b| vec![b]);
        let mut sunk = Vec::new();
        let done = map_in_order(
            &Workers::new(2),
            batches,
            |i| i,
            |batch| {
                sunk.extend(batch);
                if sunk.len() == 3 { Err("full") } else { Ok(()) }
            },
        );
        assert_eq!(done, Err("full"));
        assert_eq!(sunk, [0, 1, 2]);
    }

    #[test]
    fn a_walk_in_batches_hands_over_the_files_of_collect_files() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..25 {
            std::fs::write(dir.path().join(format!("{i:02}.txt")), "x").unwrap();
        }
        let paths = [dir.path().to_path_buf(), dir.path().join("missing.txt")];
        let opts = WalkOptions::default();
        let (batches, errors) = walk_in_batches(&paths, &opts, 10, &(), |walked| {
            walked.into_iter().collect::<Vec<_>>()
        })
        .unwrap();
        let whole = super::super::collect_files(&paths, &opts).unwrap();
        assert_eq!(batches.concat(), whole.files);
        assert_eq!(errors, whole.errors);
        assert!(batches.iter().all(|b| b.len() <= 10));
        let bad = WalkOptions {
            glob: "[".into(),
            ..WalkOptions::default()
        };
        assert!(walk_in_batches(&paths, &bad, 10, &(), |w| w.into_iter().count()).is_err());
    }
}
