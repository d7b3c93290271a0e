//! Paths to certificate files: directories walked recursively in sorted order, a glob to
//! narrow them, unreadable entries reported rather than fatal; and an ordered parallel map.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher};
use serde::Serialize;

/// Options for [`collect_files`].
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Which files inside directories are certificates (matched against the file name and
    /// the path below the directory). Files named on the command line are always taken.
    pub glob: String,
    /// Follow symbolic links to directories (loops are detected and reported).
    pub follow_links: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            glob: "*.txt".into(),
            follow_links: true,
        }
    }
}

/// A path that could not be taken as input, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileError {
    /// The path as the user would recognise it.
    pub path: String,
    /// A plain reason.
    pub error: String,
}

/// The files to read and the paths that could not be read, both sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Files {
    /// Files to parse.
    pub files: Vec<PathBuf>,
    /// Inputs that are not readable files.
    pub errors: Vec<FileError>,
}

/// Why a glob was rejected.
#[derive(Debug, thiserror::Error)]
#[error("invalid glob {glob:?}: {reason}")]
pub struct GlobError {
    glob: String,
    reason: String,
}

fn matcher(glob: &str) -> Result<GlobMatcher, GlobError> {
    Glob::new(glob)
        .map(|g| g.compile_matcher())
        .map_err(|e| GlobError {
            glob: glob.to_string(),
            reason: e.kind().to_string(),
        })
}

fn describe_walk_error(e: &walkdir::Error) -> String {
    if e.loop_ancestor().is_some() {
        return "symbolic link loop".into();
    }
    match e.io_error() {
        Some(io) if io.kind() == std::io::ErrorKind::NotFound => {
            "no such file (a dangling symbolic link, or deleted while running)".into()
        }
        Some(io) => crate::io_reason(io),
        None => e.to_string(),
    }
}

/// Why a path named on the command line cannot be read.
fn describe_path_error(path: &Path, e: &std::io::Error) -> String {
    let reason = crate::io_reason(e);
    if e.kind() == std::io::ErrorKind::NotFound && std::fs::symlink_metadata(path).is_ok() {
        "dangling symbolic link".to_string()
    } else {
        reason
    }
}

/// Reason for skipping a directory entry that is neither a file nor a directory: reading a
/// FIFO or a device could block forever or never end.
const NOT_REGULAR: &str = "not a regular file (a FIFO, socket or device); skipped";

/// Expands command-line paths into certificate files. Plain files are taken as given;
/// directories are walked recursively in sorted order, keeping files that match the glob and
/// skipping hidden ones. Missing paths, dangling links and link loops become [`FileError`]s.
pub fn collect_files(paths: &[PathBuf], opts: &WalkOptions) -> Result<Files, GlobError> {
    let mut files = Vec::new();
    let errors = walk_files(paths, opts, &mut |path| files.push(path))?;
    Ok(Files { files, errors })
}

/// [`collect_files`], handing each file over to `file` in the same order as soon as that order
/// is known, so that reading can start while the walk goes on: for one path as the walk finds
/// them, for several once all are walked (they are sorted together). Returns the inputs that
/// could not be read, sorted. Fails only on a bad glob, before any file is handed over.
pub fn walk_files(
    paths: &[PathBuf],
    opts: &WalkOptions,
    file: &mut dyn FnMut(PathBuf),
) -> Result<Vec<FileError>, GlobError> {
    let glob = matcher(&opts.glob)?;
    let mut errors = Vec::new();
    // One directory walked in sorted order is already in path order, without duplicates
    // (a depth-first walk, each directory's entries sorted by name); comparing paths parses
    // their components, which for 10^5 files took a third of the walk.
    if paths.len() > 1 {
        let mut files = Vec::new();
        walk(paths, &glob, opts, &mut |found| match found {
            Found::File(path) => files.push(path),
            Found::Error(e) => errors.push(e),
        });
        files.sort();
        files.dedup();
        files.into_iter().for_each(file);
    } else {
        walk(paths, &glob, opts, &mut |found| match found {
            Found::File(path) => file(path),
            Found::Error(e) => errors.push(e),
        });
    }
    errors.sort();
    errors.dedup();
    Ok(errors)
}

/// What a walk finds: a file to read, or a path that cannot be read.
enum Found {
    File(PathBuf),
    Error(FileError),
}

/// Walks `paths` in order, handing over each file and error as it is found.
fn walk(paths: &[PathBuf], glob: &GlobMatcher, opts: &WalkOptions, found: &mut dyn FnMut(Found)) {
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk_dir(path, glob, opts, found),
            Ok(_) => found(Found::File(path.clone())),
            Err(e) => found(Found::Error(FileError {
                path: path.display().to_string(),
                error: describe_path_error(path, &e),
            })),
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_string_lossy().starts_with('.')
}

fn walk_dir(dir: &Path, glob: &GlobMatcher, opts: &WalkOptions, found: &mut dyn FnMut(Found)) {
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(opts.follow_links)
        // Entries of one directory share its path as a prefix, so comparing whole paths
        // orders them by file name, without parsing each path for its name.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                let taken = glob.is_match(e.file_name())
                    || glob.is_match(e.path().strip_prefix(dir).unwrap_or(e.path()));
                if !taken {
                    continue;
                }
                if e.file_type().is_file() {
                    found(Found::File(e.into_path()));
                } else {
                    found(Found::Error(FileError {
                        path: e.path().display().to_string(),
                        error: NOT_REGULAR.into(),
                    }));
                }
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| dir.display().to_string());
                // A dangling link (or a file gone since the directory was listed) only
                // matters if it looks like an input; any other error is reported.
                let name_matches = e
                    .path()
                    .and_then(|p| p.file_name())
                    .is_some_and(|n| glob.is_match(n));
                let not_found = e
                    .io_error()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound);
                if name_matches || !not_found {
                    found(Found::Error(FileError {
                        path,
                        error: describe_walk_error(&e),
                    }));
                }
            }
        }
    }
}

/// A pool of worker threads for rayon's parallel iterators and `rayon::join`.
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
}

/// Runs `f` inside a pool of `threads` worker threads (0: one per core), so that rayon's
/// parallel iterators and `rayon::join` inside it use that many threads.
pub fn with_pool<R: Send>(threads: usize, f: impl FnOnce() -> R + Send) -> R {
    Workers::new(threads).run(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_with_glob_and_reports_missing() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("b/sub")).unwrap();
        for f in [
            "b/sub/2.txt",
            "a.txt",
            "README.md",
            "b/1.txt",
            ".hidden.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let files = collect_files(
            &[d.to_path_buf(), d.join("missing.txt"), d.join("README.md")],
            &WalkOptions::default(),
        )
        .unwrap();
        let names: Vec<String> = files
            .files
            .iter()
            .map(|p| p.strip_prefix(d).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["README.md", "a.txt", "b/1.txt", "b/sub/2.txt"]);
        assert_eq!(files.errors.len(), 1);
        assert!(files.errors[0].path.ends_with("missing.txt"));
        assert!(files.errors[0].error.contains("no such file"));
    }

    #[test]
    fn one_walked_directory_comes_out_in_path_order() {
        // Names where byte order and path order differ (`-`, ` ` and `.` sort before `/`).
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let names = [
            "a/b.txt",
            "a-b.txt",
            "a b.txt",
            "a.txt",
            "a/c/d.txt",
            "a/c.txt",
            "a0.txt",
            "a/c-d.txt",
            "b/a.txt",
            "B.txt",
            "中/一.txt",
            "中.txt",
            "z.txt",
        ];
        for f in names {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        let files = collect_files(&[d.to_path_buf()], &WalkOptions::default()).unwrap();
        let mut sorted = files.files.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(files.files, sorted);
        assert_eq!(files.files.len(), names.len());
    }

    #[cfg(unix)]
    #[test]
    fn links_dangling_and_looping_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("good.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d.join("nowhere.txt"), d.join("dangling.txt")).unwrap();
        std::fs::create_dir(d.join("loop")).unwrap();
        std::os::unix::fs::symlink(d, d.join("loop/back")).unwrap();
        let files = collect_files(&[d.to_path_buf()], &WalkOptions::default()).unwrap();
        assert_eq!(files.files, vec![d.join("good.txt")]);
        let reasons: Vec<&str> = files.errors.iter().map(|e| e.error.as_str()).collect();
        assert!(
            reasons.iter().any(|r| r.contains("dangling")),
            "{reasons:?}"
        );
        assert!(reasons.iter().any(|r| r.contains("loop")), "{reasons:?}");
    }

    #[test]
    fn bad_glob_is_an_error() {
        let opts = WalkOptions {
            glob: "[".into(),
            ..Default::default()
        };
        assert!(collect_files(&[], &opts).is_err());
    }
}
