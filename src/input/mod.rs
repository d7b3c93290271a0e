//! Bytes of a PDF or a scan to the text of a certificate, page by page: a PDF's text layer in
//! process ([`pdf`]), and image-only pages and images through the OCR engine ([`ocr`]), with
//! each word's confidence kept ([`page`]); results kept by content in a cache
//! ([`ocr::cache`]); page images named `STEM-1.png`, `STEM-2.png`… grouped into one
//! certificate ([`group`]); confidences carried onto the provisions parsed from the text
//! ([`confidence`]).
//!
//! OCR costs seconds a page, so a [`Reader`] reads the pages of a file in parallel on the
//! current rayon pool, one engine thread each: called from a pool's workers, as the corpus
//! commands do, the pages of every file in flight share the cores.

pub mod confidence;
mod error;
pub mod group;
pub mod ocr;
pub mod page;
pub mod pdf;
mod tiff;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rayon::prelude::*;

pub use error::{EngineError, INSTALL_POPPLER, INSTALL_TESSERACT, InputError};
pub use ocr::OcrOptions;
pub use page::{DocumentText, Line, Page, PageSource, Word};

use crate::model::{InputKind, OcrInfo};
use error::{io_error, work_file_error};
use ocr::cache::{Cache, Entry, Run};
use ocr::{EngineId, EngineOutput};

/// How PDFs and scans are read; the CLI translates flags into it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InputOptions {
    /// The OCR engine and its settings.
    pub ocr: OcrOptions,
    /// The cache folder; `None` reads everything afresh and keeps nothing.
    pub cache_dir: Option<PathBuf>,
}

/// What a file is, for reading it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    /// A PDF.
    Pdf,
    /// An image the engine reads (PNG, JPEG, TIFF, and what else leptonica decodes), with
    /// the file extension it is known by.
    Image(&'static str),
}

/// One file of a certificate: a PDF, or an image of one or more pages.
#[derive(Debug, Clone)]
pub struct Part {
    /// The file as messages name it.
    pub name: String,
    /// Where it is, when it is a file (standard input is not).
    pub path: Option<PathBuf>,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// What it is.
    pub kind: PartKind,
}

/// Pages read, for progress reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PagesRead {
    /// Pages the engine read in this run.
    pub ocr: u32,
    /// OCR pages taken from the cache.
    pub cached: u32,
    /// PDF pages read from their text layer.
    pub text_layer: u32,
}

/// A certificate read from PDFs or images.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadDocument {
    /// Its pages.
    pub doc: DocumentText,
    /// `pdf_text` when every page came from a text layer, else `ocr`.
    pub input: InputKind,
    /// The engine's report, when any page was OCR'd.
    pub ocr: Option<OcrInfo>,
}

/// What a [`Reader`] tells of the pages it reads (from any worker thread).
type PageHook = Box<dyn Fn(PagesRead) + Send + Sync>;

/// Reads PDFs and images; finds out once per run whether and which OCR engine is there.
pub struct Reader {
    opts: InputOptions,
    cache: Option<Cache>,
    engine: OnceLock<Result<EngineId, EngineError>>,
    on_pages: Option<PageHook>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("opts", &self.opts)
            .field("engine", &self.engine.get())
            .finish_non_exhaustive()
    }
}

impl Default for Reader {
    /// Tesseract on `PATH`, no cache.
    fn default() -> Reader {
        Reader::new(InputOptions::default())
    }
}

impl Reader {
    /// A reader with `opts`.
    pub fn new(opts: InputOptions) -> Reader {
        let cache = opts.cache_dir.clone().map(Cache::new);
        Reader {
            opts,
            cache,
            engine: OnceLock::new(),
            on_pages: None,
        }
    }

    /// The reader, calling `hook` whenever it has read pages (for a progress report).
    pub fn with_progress(self, hook: impl Fn(PagesRead) + Send + Sync + 'static) -> Reader {
        Reader {
            on_pages: Some(Box::new(hook)),
            ..self
        }
    }

    /// The options it reads with.
    pub fn options(&self) -> &InputOptions {
        &self.opts
    }

    /// The engine, or why it cannot run (found out on first use).
    pub fn engine(&self) -> Result<&EngineId, &EngineError> {
        self.engine
            .get_or_init(|| ocr::engine_id(&self.opts.ocr))
            .as_ref()
    }

    fn engine_for(&self, name: &str) -> Result<&EngineId, InputError> {
        self.engine().map_err(|e| InputError::Engine {
            path: name.to_string(),
            error: e.clone(),
        })
    }

    /// Reads a certificate made of `parts` (one PDF, one image, or page images in order),
    /// calling `on_pages` as pages are read.
    pub fn read(
        &self,
        parts: &[Part],
        on_pages: &(dyn Fn(PagesRead) + Sync),
    ) -> Result<ReadDocument, InputError> {
        let mut doc = DocumentText::default();
        let mut engine = None;
        let on_pages = &|p: PagesRead| {
            on_pages(p);
            if let Some(hook) = &self.on_pages {
                hook(p);
            }
        };
        // The files of one certificate (its page images) are read in parallel too.
        let read: Vec<(Vec<Page>, Option<String>)> = parts
            .par_iter()
            .map(|part| self.read_part(part, on_pages))
            .collect::<Result<_, _>>()?;
        for (pages, short) in read {
            doc.pages.extend(pages);
            engine = engine.or(short);
        }
        let ocr_pages = doc.ocr_pages() as u32;
        let ocr = (ocr_pages > 0).then(|| OcrInfo {
            engine: engine.unwrap_or_default(),
            pages: ocr_pages,
            mean_confidence: doc.mean_confidence().unwrap_or(0.0),
        });
        let input = if ocr.is_some() || doc.pages.is_empty() {
            InputKind::Ocr
        } else {
            InputKind::PdfText
        };
        Ok(ReadDocument { doc, input, ocr })
    }

    /// Reads one file: from the cache when it holds the file for this engine, else page by
    /// page in parallel. Returns the pages and the engine's short name, if it read any.
    fn read_part(
        &self,
        part: &Part,
        on_pages: &(dyn Fn(PagesRead) + Sync),
    ) -> Result<(Vec<Page>, Option<String>), InputError> {
        let key = self
            .cache
            .as_ref()
            .map(|_| Cache::key(&part.bytes, &self.opts.ocr.settings()));
        if let (Some(cache), Some(key)) = (&self.cache, &key)
            && let Some(entry) = cache.get(key)
            && self.entry_is_current(&entry)
            && let Ok(pages) = pages_of(&entry.runs, &part.name)
        {
            let cached = count(&pages, PageSource::Ocr);
            on_pages(PagesRead {
                cached,
                text_layer: count(&pages, PageSource::TextLayer),
                ocr: 0,
            });
            return Ok((pages, entry.engine_short));
        }
        let runs = match part.kind {
            PartKind::Pdf => self.read_pdf(part, on_pages)?,
            PartKind::Image(ext) => {
                self.engine_for(&part.name)?;
                let path = part.path.as_deref();
                vec![self.ocr_bytes(&part.bytes, ext, None, &part.name, path, 1)?]
            }
        };
        let pages = pages_of(&runs, &part.name)?;
        if matches!(part.kind, PartKind::Image(_)) {
            on_pages(PagesRead {
                ocr: pages.len() as u32,
                ..PagesRead::default()
            });
        }
        let ocr_read = runs.iter().any(|r| matches!(r, Run::Ocr { .. }));
        let engine = if ocr_read { self.engine().ok() } else { None };
        let entry = Entry {
            engine: engine.map(ToString::to_string),
            engine_short: engine.map(EngineId::short),
            runs,
        };
        if let (Some(cache), Some(key)) = (&self.cache, &key) {
            // A cache that cannot be written costs the next run time, never this one's work.
            let _ = cache.put(key, &entry);
        }
        Ok((pages, entry.engine_short))
    }

    /// Whether a cached entry was made by the engine this run would use (an entry of text
    /// layers only needs none).
    fn entry_is_current(&self, entry: &Entry) -> bool {
        match &entry.engine {
            None => !entry.runs.iter().any(|r| matches!(r, Run::Ocr { .. })),
            Some(e) => self.engine().is_ok_and(|id| id.to_string() == *e),
        }
    }

    /// Reads a PDF's pages: text layers in process, the others through the engine, in
    /// parallel.
    fn read_pdf(
        &self,
        part: &Part,
        on_pages: &(dyn Fn(PagesRead) + Sync),
    ) -> Result<Vec<Run>, InputError> {
        let plans = {
            let doc = pdf::open_pdf(&part.bytes, &part.name)?;
            pdf::plan_pdf(&doc, &part.name, &self.opts.ocr)?
        };
        if plans.iter().any(|p| !matches!(p, pdf::PagePlan::Text(_))) {
            self.engine_for(&part.name)?;
        }
        // pdftoppm reads a file: standard input's bytes are written to one first.
        let needs_file = part.path.is_none()
            && plans
                .iter()
                .any(|p| matches!(p, pdf::PagePlan::Render { .. }));
        let spool = if needs_file {
            let work = ocr::WorkDir::new(&self.opts.ocr, &part.name)?;
            let file = work.path().join("input.pdf");
            std::fs::write(&file, &part.bytes)
                .map_err(|e| work_file_error(&part.name, "a temporary copy", &file, &e))?;
            Some((work, file))
        } else {
            None
        };
        let pdf_path = part
            .path
            .as_deref()
            .or(spool.as_ref().map(|s| s.1.as_path()));
        plans
            .into_par_iter()
            .enumerate()
            .map(|(i, plan)| {
                let page = i as u32 + 1;
                let run = match plan {
                    pdf::PagePlan::Text(lines) => {
                        on_pages(PagesRead {
                            text_layer: 1,
                            ..PagesRead::default()
                        });
                        return Ok(Run::TextLayer { lines });
                    }
                    pdf::PagePlan::Image(img) => {
                        self.ocr_bytes(&img.bytes, img.ext, img.dpi, &part.name, None, page)?
                    }
                    pdf::PagePlan::Render { .. } => {
                        let path = pdf_path.expect("a file to render from");
                        let out = ocr::render_and_read(path, page, &part.name, &self.opts.ocr)?;
                        Run::Ocr {
                            txt: out.txt,
                            tsv: out.tsv,
                        }
                    }
                };
                on_pages(PagesRead {
                    ocr: 1,
                    ..PagesRead::default()
                });
                Ok(run)
            })
            .collect()
    }

    /// Runs the engine on an image: the file at `path` if given, else `bytes` written to a
    /// temporary file named with `ext`.
    fn ocr_bytes(
        &self,
        bytes: &[u8],
        ext: &str,
        dpi: Option<u32>,
        name: &str,
        path: Option<&Path>,
        page: u32,
    ) -> Result<Run, InputError> {
        let opts = &self.opts.ocr;
        let EngineOutput { txt, tsv } = match path {
            Some(p) => ocr::run_tesseract(p, dpi, name, page, opts)?,
            None => {
                let work = ocr::WorkDir::new(opts, name)?;
                let file = work.path().join(format!("page.{ext}"));
                std::fs::write(&file, bytes)
                    .map_err(|e| work_file_error(name, "a temporary page image", &file, &e))?;
                ocr::run_tesseract(&file, dpi, name, page, opts)?
            }
        };
        Ok(Run::Ocr { txt, tsv })
    }
}

fn count(pages: &[Page], source: PageSource) -> u32 {
    pages.iter().filter(|p| p.source == source).count() as u32
}

/// The pages of a file's runs.
fn pages_of(runs: &[Run], name: &str) -> Result<Vec<Page>, InputError> {
    let mut pages = Vec::new();
    for run in runs {
        match run {
            Run::TextLayer { lines } => pages.push(Page {
                source: PageSource::TextLayer,
                lines: lines
                    .iter()
                    .map(|t| Line {
                        text: t.clone(),
                        words: Vec::new(),
                        starts_paragraph: false,
                    })
                    .collect(),
            }),
            Run::Ocr { txt, tsv } => pages.extend(ocr::tsv::pages_from_tesseract(txt, tsv, name)?),
        }
    }
    Ok(pages)
}

/// Reads the file at `path` for [`Part::bytes`], naming it `name` in errors.
pub fn read_part_file(path: &Path, name: &str, kind: PartKind) -> Result<Part, InputError> {
    let bytes = std::fs::read(path).map_err(|e| io_error(name, &e))?;
    Ok(Part {
        name: name.to_string(),
        path: Some(path.to_path_buf()),
        bytes,
        kind,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ocr")
    }

    /// Whether tesseract with chi_sim is there: a note and `false` outside CI, a failure
    /// under CI (which installs it).
    fn have_engine() -> bool {
        match ocr::engine_id(&OcrOptions::default()) {
            Ok(_) => true,
            Err(e) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
                panic!("CI is set and the OCR engine cannot run: {e} (see .ci/run)")
            }
            Err(e) => {
                eprintln!("note: skipping an OCR engine test: {e} (set CI to make this fail)");
                false
            }
        }
    }

    fn part(rel: &str) -> Part {
        let path = fixtures().join(rel);
        let kind = if rel.ends_with(".pdf") {
            PartKind::Pdf
        } else {
            PartKind::Image("png")
        };
        read_part_file(&path, rel, kind).unwrap()
    }

    fn no_engine() -> InputOptions {
        InputOptions {
            ocr: OcrOptions {
                tesseract: "/nonexistent/tesseract".into(),
                pdftoppm: "/nonexistent/pdftoppm".into(),
                ..OcrOptions::default()
            },
            cache_dir: None,
        }
    }

    /// The provisions of the truth file as (id, text).
    fn truth(stem: &str) -> Vec<(String, String)> {
        let json = std::fs::read_to_string(fixtures().join(format!("truth/{stem}.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    p["id"].as_str().unwrap().into(),
                    p["text"].as_str().unwrap().into(),
                )
            })
            .collect()
    }

    #[test]
    fn a_text_layer_pdf_gives_exactly_its_certificates_provisions_without_ocr() {
        for stem in ["fixture02_a25633fc", "fixture03_9b095941"] {
            let reader = Reader::new(no_engine());
            let pages = Mutex::new(PagesRead::default());
            let read = reader
                .read(&[part(&format!("textpdf/{stem}.pdf"))], &|p| {
                    pages.lock().unwrap().text_layer += p.text_layer;
                })
                .unwrap();
            assert_eq!(read.input, InputKind::PdfText, "{stem}");
            assert_eq!(read.ocr, None);
            assert_eq!(
                pages.into_inner().unwrap().text_layer as usize,
                read.doc.pages.len()
            );
            let (text, _) = read.doc.text();
            let cert = crate::parse::parse_text(stem, &text, "PDF");
            let got: Vec<(String, String)> = cert
                .flat()
                .map(|p| (p.id.to_string(), p.text.clone()))
                .collect();
            assert_eq!(got, truth(stem), "{stem}");
            assert!(cert.flat().all(|p| p.uncertain.is_empty()));
        }
    }

    #[test]
    fn scan_pages_are_handed_over_as_g4_tiffs() {
        let p = part("scan/fixture01_cceaa67b.pdf");
        let doc = pdf::open_pdf(&p.bytes, &p.name).unwrap();
        let plans = pdf::plan_pdf(&doc, &p.name, &OcrOptions::default()).unwrap();
        assert_eq!(plans.len(), 5);
        for plan in &plans {
            let pdf::PagePlan::Image(img) = plan else {
                panic!("{plan:?}")
            };
            assert_eq!((img.ext, img.dpi), ("tif", Some(200)));
            assert_eq!(tiff::tiff_page_count(&img.bytes), Some(1));
        }
    }

    #[test]
    fn without_the_engine_a_scan_is_an_error_that_says_what_to_install() {
        let reader = Reader::new(no_engine());
        for rel in [
            "scan/fixture01_cceaa67b.pdf",
            "pages/fixture01_cceaa67b-1.png",
        ] {
            let e = reader.read(&[part(rel)], &|_| {}).unwrap_err();
            assert!(matches!(e, InputError::Engine { .. }), "{e:?}");
            assert_eq!(e.path(), rel);
            assert!(
                e.to_string().contains(
                    "install it with `apt-get install tesseract-ocr tesseract-ocr-chi-sim`"
                ),
                "{e}"
            );
        }
    }

    #[test]
    fn unreadable_pdfs_are_errors_naming_the_file() {
        let reader = Reader::new(no_engine());
        let bad = Part {
            name: "bad.pdf".into(),
            path: None,
            bytes: b"%PDF-1.4\ngarbage".to_vec(),
            kind: PartKind::Pdf,
        };
        let e = reader.read(&[bad], &|_| {}).unwrap_err();
        assert!(matches!(e, InputError::PdfUnreadable { .. }), "{e:?}");
        assert!(
            e.to_string().starts_with("bad.pdf: not a readable PDF"),
            "{e}"
        );
        let e =
            read_part_file(Path::new("/nonexistent/x.pdf"), "x.pdf", PartKind::Pdf).unwrap_err();
        assert_eq!(e.to_string(), "x.pdf: no such file or directory");
    }

    /// An image-only PDF and the same pages as images give the engine's text as recorded
    /// (the fixtures were read with the same engine and `--psm 4`), with confidences; a
    /// second read comes from the cache without running the engine.
    #[test]
    fn scans_give_the_engines_text_and_come_back_from_the_cache() {
        if !have_engine() {
            return;
        }
        let stem = "fixture01_cceaa67b";
        let recorded = std::fs::read_to_string(fixtures().join(format!("ocr/{stem}.txt"))).unwrap();
        let cache = tempfile::tempdir().unwrap();
        let reader = Reader::new(InputOptions {
            cache_dir: Some(cache.path().to_path_buf()),
            ..InputOptions::default()
        });
        let counted = |parts: &[Part]| {
            let pages = Mutex::new(PagesRead::default());
            let read = reader
                .read(parts, &|p| {
                    let mut all = pages.lock().unwrap();
                    all.ocr += p.ocr;
                    all.cached += p.cached;
                })
                .unwrap();
            (read, pages.into_inner().unwrap())
        };
        let scan = [part(&format!("scan/{stem}.pdf"))];
        let (first, pages) = counted(&scan);
        assert_eq!((pages.ocr, pages.cached), (5, 0));
        assert_eq!(first.input, InputKind::Ocr);
        assert_eq!(first.doc.text().0, recorded);
        let info = first.ocr.clone().unwrap();
        assert_eq!(info.pages, 5);
        assert!(
            info.engine.starts_with("tesseract ") && info.engine.ends_with("--psm 4"),
            "{info:?}"
        );
        assert!((50.0..100.0).contains(&info.mean_confidence), "{info:?}");

        let (again, pages) = counted(&scan);
        assert_eq!((pages.ocr, pages.cached), (0, 5));
        assert_eq!(again, first);

        let images: Vec<Part> = (1..=5)
            .map(|n| part(&format!("pages/{stem}-{n}.png")))
            .collect();
        let (from_images, pages) = counted(&images);
        assert_eq!((pages.ocr, pages.cached), (5, 0));
        assert_eq!(from_images.doc.text().0, recorded);
    }
}
