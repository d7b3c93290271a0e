//! What was read from a PDF or an image, kept by content: a file whose bytes, reading
//! settings and engine are those of an earlier run is not read again, so a second run over the
//! same scans costs about what a run over text costs.
//!
//! An entry is a JSON file named by the xxh3-128 hash of the reading settings and the file's
//! bytes, holding the engine's raw output (text and TSV) of each run and the lines of each
//! text-layer page, and the engine it came from (the tesseract and leptonica versions, the
//! language data by content, the page segmentation mode): an entry made by another engine is
//! read again and replaced. Entries are written whole under a temporary name and renamed, so
//! that processes sharing the folder never see half an entry.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The version of the entry format, part of every key.
const FORMAT: &str = "provdiff input cache 1";

/// What one step of reading a file gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Run {
    /// A PDF page read from its text layer: its lines.
    TextLayer {
        /// The lines.
        lines: Vec<String>,
    },
    /// One engine run (one page, or every page of a multi-page TIFF).
    Ocr {
        /// The text output.
        txt: String,
        /// The TSV output.
        tsv: String,
    },
}

/// One cached file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The engine, in full ([`super::EngineId`]'s `Display`), when any page was OCR'd.
    pub engine: Option<String>,
    /// The engine as reports name it ([`super::EngineId::short`]).
    pub engine_short: Option<String>,
    /// The runs, in page order.
    pub runs: Vec<Run>,
}

/// A cache folder (`~/.cache/provdiff` unless `--cache-dir` says otherwise).
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// The cache folder used by default: `$XDG_CACHE_HOME/provdiff`, else `~/.cache/provdiff`.
pub fn default_dir() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| Path::new(d).is_absolute())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))?;
    Some(base.join("provdiff"))
}

impl Cache {
    /// The cache in `dir` (created when first written to).
    pub fn new(dir: impl Into<PathBuf>) -> Cache {
        Cache { dir: dir.into() }
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a file's `bytes` read with `settings`.
    pub fn key(bytes: &[u8], settings: &str) -> String {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(FORMAT.as_bytes());
        h.update(&[0]);
        h.update(settings.as_bytes());
        h.update(&[0]);
        h.update(bytes);
        format!("{:032x}", h.digest128())
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir
            .join("input")
            .join(&key[..2])
            .join(format!("{key}.json"))
    }

    /// The entry under `key`, if there is a readable one.
    pub fn get(&self, key: &str) -> Option<Entry> {
        let bytes = std::fs::read(self.path(key)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// Stores `entry` under `key`, replacing any entry there.
    pub fn put(&self, key: &str, entry: &Entry) -> std::io::Result<()> {
        use std::io::Write;
        let path = self.path(key);
        let parent = path.parent().expect("entries live in a folder");
        std::fs::create_dir_all(parent)?;
        let mut tmp = tempfile::Builder::new()
            .prefix(".provdiff-tmp-")
            .tempfile_in(parent)?;
        serde_json::to_writer(&mut tmp, entry)?;
        tmp.flush()?;
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_come_back_by_key_and_keys_depend_on_bytes_and_settings() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(dir.path().join("c"));
        let key = Cache::key(b"image", "psm 4");
        assert_ne!(key, Cache::key(b"image", "psm 3"));
        assert_ne!(key, Cache::key(b"imagf", "psm 4"));
        assert_eq!(key.len(), 32);
        assert_eq!(cache.get(&key), None);
        let entry = Entry {
            engine: Some("tesseract 5.3.0; …".into()),
            engine_short: Some("tesseract 5.3.0 chi_sim --psm 4".into()),
            runs: vec![
                Run::TextLayer {
                    lines: vec!["甲".into()],
                },
                Run::Ocr {
                    txt: "乙\n".into(),
                    tsv: "level\n".into(),
                },
            ],
        };
        cache.put(&key, &entry).unwrap();
        assert_eq!(cache.get(&key), Some(entry.clone()));
        // A damaged entry is a miss, and is replaced.
        std::fs::write(cache.path(&key), b"{").unwrap();
        assert_eq!(cache.get(&key), None);
        cache.put(&key, &entry).unwrap();
        assert_eq!(cache.get(&key), Some(entry));
        let left: Vec<_> = std::fs::read_dir(cache.path(&key).parent().unwrap())
            .unwrap()
            .collect();
        assert_eq!(left.len(), 1, "no temporary file left");
    }
}
