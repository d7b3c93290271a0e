//! Paths to certificate files: directories walked recursively in sorted order, a glob to
//! narrow them, a file reached by two names taken once, unreadable entries reported rather
//! than fatal.

use std::path::{Path, PathBuf};

use std::collections::HashSet;

use globset::{GlobBuilder, GlobMatcher};
use serde::Serialize;

use super::Progress;

/// Options for [`collect_files`].
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Which files inside directories are certificates (matched against the file name and
    /// the path below the directory). Files named on the command line are always taken.
    pub glob: String,
    /// Follow symbolic links to directories (loops are detected and reported).
    pub follow_links: bool,
}

/// The files a directory walk takes by default: text, PDFs and the images OCR reads.
pub const DEFAULT_GLOB: &str = "*.{txt,pdf,png,jpg,jpeg,tif,tiff}";

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            glob: DEFAULT_GLOB.into(),
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

impl From<crate::parse::ParseError> for FileError {
    fn from(e: crate::parse::ParseError) -> FileError {
        FileError {
            error: e.kind.to_string(),
            path: e.path,
        }
    }
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

/// The glob's matcher. Matching ignores case: reviewers' files come from scanners and
/// Windows machines as `.TXT`, `.Txt` or `.txt`, and on those systems names that differ only
/// in case are one file anyway.
fn matcher(glob: &str) -> Result<GlobMatcher, GlobError> {
    GlobBuilder::new(glob)
        .case_insensitive(true)
        .build()
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
        Some(io) => crate::parse::io_reason(io),
        None => e.to_string(),
    }
}

/// Why a path named on the command line cannot be read.
fn describe_path_error(path: &Path, e: &std::io::Error) -> String {
    let reason = crate::parse::io_reason(e);
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
/// skipping hidden ones. A file reached more than once (by two names for one directory, named
/// and also inside a directory given, through a symbolic link) is taken once, under the
/// first name it was reached by: paths in the order given, each directory in walk order.
/// Missing paths, dangling links and link loops become [`FileError`]s.
pub fn collect_files(paths: &[PathBuf], opts: &WalkOptions) -> Result<Files, GlobError> {
    let mut files = Vec::new();
    let errors = walk_files(paths, opts, &mut |path| files.push(path))?;
    Ok(Files { files, errors })
}

/// [`collect_files`], telling `progress` of the files found as the walk goes (a few dozen at a
/// time) and when it is over.
pub fn collect_files_told(
    paths: &[PathBuf],
    opts: &WalkOptions,
    progress: &dyn Progress,
) -> Result<Files, GlobError> {
    const EVERY: usize = 64;
    let mut files = Vec::new();
    let errors = walk_files(paths, opts, &mut |path| {
        files.push(path);
        if files.len() % EVERY == 0 {
            progress.found(EVERY);
        }
    })?;
    progress.found(files.len() % EVERY);
    progress.walked();
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
    if paths.len() > 1 {
        // Files reached from several paths: each is known by the path it resolves to.
        let mut seen = HashSet::new();
        let mut files = Vec::new();
        walk(paths, &glob, opts, &mut |found| match found {
            Found::File(f) => {
                if seen.insert(f.identity()) {
                    files.push(f.path);
                }
            }
            Found::Error(e) => errors.push(e),
        });
        files.sort();
        files.into_iter().for_each(file);
    } else {
        // One directory walked in sorted order is already in path order, and its files
        // reached without a symbolic link are distinct (comparing or resolving each path
        // would cost a good part of the walk): only those reached through a link are
        // resolved. Comparing paths parses their components, which for 10^5 files took a
        // third of the walk.
        let mut links = Links::default();
        walk(paths, &glob, opts, &mut |found| match found {
            Found::File(f) => {
                if links.first_reached(&f, &glob) {
                    file(f.path)
                }
            }
            Found::Error(e) => errors.push(e),
        });
    }
    errors.sort();
    errors.dedup();
    Ok(errors)
}

/// A file the walk found, with what it takes to know it from another name of the same file.
struct Walked<'a> {
    path: PathBuf,
    /// The directory given whose walk found it (and that directory resolved), or `None` for a
    /// file given itself.
    root: Option<&'a Root>,
    /// Reached through a symbolic link (to it, or to a directory above it).
    via_link: bool,
}

/// A directory given as input, and the path it resolves to.
struct Root {
    path: PathBuf,
    resolved: PathBuf,
}

impl Walked<'_> {
    /// The path this file resolves to (symbolic links, `.` and `..` followed), which is the
    /// same for every name of it; worked out without asking the file system for a file
    /// reached without a link.
    fn identity(&self) -> PathBuf {
        match self.root {
            Some(root) if !self.via_link => match self.path.strip_prefix(&root.path) {
                Ok(rel) => root.resolved.join(rel),
                Err(_) => resolve(&self.path),
            },
            _ => resolve(&self.path),
        }
    }
}

fn resolve(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// Files reached through symbolic links in the walk of one directory, to take each file once:
/// a file reached without a link is a different file from every other reached without one.
#[derive(Default)]
struct Links {
    /// Files taken through a link, resolved.
    taken: HashSet<PathBuf>,
    /// Files taken through a link that the walk will reach later without one, resolved.
    ahead: HashSet<PathBuf>,
}

impl Links {
    /// Whether `f` is the first name the walk reached its file by.
    fn first_reached(&mut self, f: &Walked, glob: &GlobMatcher) -> bool {
        let Some(root) = f.root else {
            return true;
        };
        if !f.via_link {
            return self.ahead.is_empty() || !self.ahead.contains(&f.identity());
        }
        let resolved = f.identity();
        if !self.taken.insert(resolved.clone()) {
            return false;
        }
        // Inside the directory walked, and a file its walk takes: reached without a link
        // too, before this name or after it.
        let inside = resolved.strip_prefix(&root.resolved).ok().filter(|rel| {
            !rel.iter().any(is_hidden)
                && (glob.is_match(rel) || rel.file_name().is_some_and(|n| glob.is_match(n)))
        });
        match (inside, f.path.strip_prefix(&root.path)) {
            (Some(plain), Ok(this)) if plain < this => false,
            (Some(_), _) => {
                self.ahead.insert(resolved);
                true
            }
            (None, _) => true,
        }
    }
}

/// What a walk finds: a file to read, or a path that cannot be read.
enum Found<'a> {
    File(Walked<'a>),
    Error(FileError),
}

/// Walks `paths` in order, handing over each file and error as it is found.
fn walk(paths: &[PathBuf], glob: &GlobMatcher, opts: &WalkOptions, found: &mut dyn FnMut(Found)) {
    for path in paths {
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                let root = Root {
                    path: path.clone(),
                    resolved: resolve(path),
                };
                walk_dir(&root, glob, opts, found)
            }
            Ok(_) => found(Found::File(Walked {
                path: path.clone(),
                root: None,
                via_link: false,
            })),
            Err(e) => found(Found::Error(FileError {
                path: path.display().to_string(),
                error: describe_path_error(path, &e),
            })),
        }
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

fn walk_dir(root: &Root, glob: &GlobMatcher, opts: &WalkOptions, found: &mut dyn FnMut(Found)) {
    let dir = root.path.as_path();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(opts.follow_links)
        // Entries of one directory share its path as a prefix, so comparing whole paths
        // orders them by file name, without parsing each path for its name.
        .sort_by(|a, b| a.path().as_os_str().cmp(b.path().as_os_str()))
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name()));
    // The depth of the linked directory the walk is inside, if any (the walk goes depth
    // first: it has left that directory at the next entry no deeper than it).
    let mut linked_dir: Option<usize> = None;
    for entry in walker {
        if let (Ok(e), Some(depth)) = (&entry, linked_dir)
            && e.depth() <= depth
        {
            linked_dir = None;
        }
        match entry {
            Ok(e) if e.file_type().is_dir() => {
                if e.depth() > 0 && e.path_is_symlink() && linked_dir.is_none() {
                    linked_dir = Some(e.depth());
                }
            }
            Ok(e) => {
                let taken = glob.is_match(e.file_name())
                    || glob.is_match(e.path().strip_prefix(dir).unwrap_or(e.path()));
                // A later page of a certificate in page images is read with its first page.
                if !taken || crate::input::group::is_later_page(e.path()) {
                    continue;
                }
                if e.file_type().is_file() {
                    let via_link = linked_dir.is_some() || e.path_is_symlink();
                    found(Found::File(Walked {
                        path: e.into_path(),
                        root: Some(root),
                        via_link,
                    }));
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

/// One share of a corpus, `K/N`: the files whose path, relative to the directory it was found
/// in (as given, for a file named on its own), hashes to K of N. The share of a path depends
/// on nothing else (not on the machine, the order or the other files), so N processes with
/// `K` = 1…N, on any machines, read every file exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 1-based.
    pub k: u32,
    /// How many shares.
    pub n: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// Reads `K/N`, 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("invalid shard {s:?}: expected K/N with 1 <= K <= N, e.g. 3/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (Ok(k), Ok(n)) = (k.trim().parse::<u32>(), n.trim().parse::<u32>()) else {
            return Err(bad());
        };
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// Whether `path`, found under one of `roots` (the paths given), is in this share.
    pub fn takes(&self, path: &Path, roots: &[PathBuf]) -> bool {
        let rel = roots
            .iter()
            .filter(|r| r.as_path() != path)
            .find_map(|r| path.strip_prefix(r).ok())
            .unwrap_or(path);
        // Components joined by `/` whatever the system, so Windows and Unix shares agree.
        let key: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let hash = xxhash_rust::xxh3::xxh3_64(key.join("/").as_bytes());
        hash % u64::from(self.n) == u64::from(self.k - 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_a_corpus_whatever_the_root() {
        assert_eq!("3/8".parse(), Ok(Shard { k: 3, n: 8 }));
        for bad in ["0/4", "5/4", "4", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        let files: Vec<PathBuf> = (0..200)
            .map(|i| PathBuf::from(format!("a/{i}.txt")))
            .collect();
        let shards: Vec<Shard> = (1..=4).map(|k| Shard { k, n: 4 }).collect();
        let root = [PathBuf::from("/data/certs")];
        for f in &files {
            let holders: Vec<u32> = shards
                .iter()
                .filter(|s| s.takes(f, &[]))
                .map(|s| s.k)
                .collect();
            assert_eq!(holders.len(), 1, "{}", f.display());
            // The same file under another root is in the same share.
            let elsewhere = root[0].join(f);
            assert!(shards[holders[0] as usize - 1].takes(&elsewhere, &root));
        }
        let sizes: Vec<usize> = shards
            .iter()
            .map(|s| files.iter().filter(|f| s.takes(f, &[])).count())
            .collect();
        assert!(sizes.iter().all(|&n| n > 30), "{sizes:?}");
    }

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

    #[cfg(unix)]
    #[test]
    fn a_file_reached_through_links_is_taken_once_under_its_first_name() {
        use std::os::unix::fs::symlink;
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path().join("d");
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "x").unwrap();
        for f in ["a.txt", ".hidden/h.txt", "notes.md", "sub/s.txt"] {
            let p = d.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "x").unwrap();
        }
        // Two links to one file outside; links to files the walk itself skips (hidden, or
        // not matching the glob); a link to a file after it and one before it; a linked
        // directory inside a linked directory.
        symlink(&outside, d.join("o1.txt")).unwrap();
        symlink(&outside, d.join("o2.txt")).unwrap();
        symlink(d.join(".hidden/h.txt"), d.join("h-link.txt")).unwrap();
        symlink(d.join("notes.md"), d.join("notes-link.txt")).unwrap();
        symlink(d.join("sub/s.txt"), d.join("0-link.txt")).unwrap();
        symlink(d.join("a.txt"), d.join("z-link.txt")).unwrap();
        symlink(d.join("sub"), d.join("sub/again")).unwrap();
        symlink(d.join("sub"), d.join("linked")).unwrap();
        let names = |paths: &[PathBuf]| -> Vec<String> {
            let files = collect_files(paths, &WalkOptions::default()).unwrap();
            files
                .files
                .iter()
                .map(|p| p.strip_prefix(&d).unwrap().display().to_string())
                .collect()
        };
        let want = [
            "0-link.txt",
            "a.txt",
            "h-link.txt",
            "notes-link.txt",
            "o1.txt",
        ];
        assert_eq!(names(std::slice::from_ref(&d)), want);
        assert_eq!(
            names(&[d.clone(), d.join("sub/s.txt"), d.join("o2.txt")]),
            want
        );
        // Case does not matter to the glob.
        std::fs::write(d.join("B.TXT"), "x").unwrap();
        assert!(names(std::slice::from_ref(&d)).contains(&"B.TXT".to_string()));
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
