//! The OCR engine: tesseract, found on `PATH`, run once per page image with one thread
//! (`OMP_THREAD_LIMIT`), so that a corpus is read with one engine per core, page by page;
//! pdftoppm renders the PDF pages whose image cannot be handed to it as it is.
//!
//! One run, `tesseract IMG OUT -l LANG --psm PSM [--dpi D] txt tsv`, writes the text exactly
//! as `tesseract IMG - -l LANG` prints it and the TSV with each word's confidence ([`tsv`]).

pub mod cache;
pub mod tsv;

use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use super::error::{EngineError, INSTALL_POPPLER, INSTALL_TESSERACT, InputError, work_file_error};
use super::page::Page;

/// How scans are read; the CLI translates flags into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcrOptions {
    /// The tesseract executable (looked up on `PATH` when it has no slash).
    pub tesseract: PathBuf,
    /// The pdftoppm executable, for PDF pages that cannot be handed to tesseract as they are.
    pub pdftoppm: PathBuf,
    /// Tesseract language(s), e.g. `chi_sim` or `chi_sim+eng`.
    pub lang: String,
    /// Page segmentation mode (`--psm`). 4, one column of text of variable sizes, reads the
    /// cover's label/value table in rows; tesseract's default 3 splits it into column blocks
    /// (NFKC character error on cover pages 2.5 % against 10.1 %, all pages 1.4 % against
    /// 3.3 %, on 24 certificates).
    pub psm: u8,
    /// Resolution at which pdftoppm renders a page that has no usable embedded image.
    pub render_dpi: u32,
    /// A PDF page that draws an image needs at least this many non-space characters in its
    /// text layer to be read from it rather than OCR'd.
    pub min_chars_per_page: usize,
    /// Where temporary page images and engine output go (default: the system's).
    pub temp_dir: Option<PathBuf>,
}

impl Default for OcrOptions {
    fn default() -> Self {
        OcrOptions {
            tesseract: PathBuf::from("tesseract"),
            pdftoppm: PathBuf::from("pdftoppm"),
            lang: "chi_sim".to_string(),
            psm: 4,
            render_dpi: 300,
            min_chars_per_page: 20,
            temp_dir: None,
        }
    }
}

impl OcrOptions {
    /// What, besides the engine itself, the text read from a file depends on: part of its
    /// cache key.
    pub fn settings(&self) -> String {
        format!(
            "lang {}; psm {}; render {} dpi; text layer from {} characters",
            self.lang, self.psm, self.render_dpi, self.min_chars_per_page
        )
    }
}

/// Which engine reads the scans: what its output depends on besides the image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineId {
    /// The first line of `tesseract --version` (`tesseract 5.3.0`).
    pub version: String,
    /// The second (the leptonica version, which decodes the images).
    pub leptonica: String,
    /// The language(s).
    pub lang: String,
    /// xxh3 of each language's `.traineddata`, hex, in `lang` order.
    pub traineddata: Vec<String>,
    /// Page segmentation mode.
    pub psm: u8,
}

impl EngineId {
    /// The engine as reports name it: `tesseract 5.3.0 chi_sim --psm 4`.
    pub fn short(&self) -> String {
        format!("{} {} --psm {}", self.version, self.lang, self.psm)
    }
}

impl fmt::Display for EngineId {
    /// Everything that identifies it, the language data by content.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}; {}; {} {}; psm {}",
            self.version,
            self.leptonica,
            self.lang,
            self.traineddata.join("+"),
            self.psm
        )
    }
}

fn run_tool(
    program: &Path,
    args: &[OsString],
    install: &str,
    one_thread: bool,
) -> Result<Output, EngineError> {
    let mut cmd = Command::new(program);
    cmd.args(args);
    if one_thread {
        cmd.env("OMP_THREAD_LIMIT", "1");
    }
    cmd.output().map_err(|e| {
        let tool = program.display().to_string();
        if e.kind() == std::io::ErrorKind::NotFound {
            EngineError::ToolMissing {
                tool,
                install: install.to_string(),
            }
        } else {
            EngineError::Broken {
                tool,
                reason: crate::parse::io_reason(&e),
            }
        }
    })
}

/// Checks that tesseract and every language of `opts.lang` are installed, and identifies
/// them (three quick runs of tesseract and a hash of its language data).
pub fn engine_id(opts: &OcrOptions) -> Result<EngineId, EngineError> {
    let out = run_tool(
        &opts.tesseract,
        &["--version".into()],
        INSTALL_TESSERACT,
        false,
    )?;
    // Tesseract 4 and 5 print the version on standard output; some builds on standard error.
    let text = String::from_utf8_lossy(if out.stdout.is_empty() {
        &out.stderr
    } else {
        &out.stdout
    })
    .into_owned();
    let mut lines = text.lines().map(str::trim);
    let version = lines.next().unwrap_or("").to_string();
    let leptonica = lines.next().unwrap_or("").to_string();
    if !version.starts_with("tesseract") {
        return Err(EngineError::Broken {
            tool: opts.tesseract.display().to_string(),
            reason: format!("`--version` printed {version:?}"),
        });
    }
    let out = run_tool(
        &opts.tesseract,
        &["--list-langs".into()],
        INSTALL_TESSERACT,
        false,
    )?;
    let listing =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let (dir, langs) = parse_list_langs(&listing);
    let mut traineddata = Vec::new();
    for lang in opts.lang.split('+') {
        if !langs.iter().any(|l| l == lang) {
            return Err(EngineError::LanguageMissing {
                lang: lang.to_string(),
                install: format!(
                    "apt-get install tesseract-ocr-{}",
                    lang.replace('_', "-").to_lowercase()
                ),
            });
        }
        let path = dir.join(format!("{lang}.traineddata"));
        let bytes = std::fs::read(&path).map_err(|e| EngineError::Broken {
            tool: opts.tesseract.display().to_string(),
            reason: format!("{}: {}", path.display(), crate::parse::io_reason(&e)),
        })?;
        traineddata.push(format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes)));
    }
    Ok(EngineId {
        version,
        leptonica,
        lang: opts.lang.clone(),
        traineddata,
        psm: opts.psm,
    })
}

/// Parses `tesseract --list-langs`: `List of available languages in "DIR/" (N):`, then one
/// language a line.
fn parse_list_langs(listing: &str) -> (PathBuf, Vec<String>) {
    let mut dir = PathBuf::new();
    let mut langs = Vec::new();
    for line in listing.lines() {
        if let Some(rest) = line.strip_prefix("List of available languages in \"") {
            dir = PathBuf::from(rest.split('"').next().unwrap_or(""));
        } else if !line.trim().is_empty() && !line.contains(' ') {
            langs.push(line.trim().to_string());
        }
    }
    (dir, langs)
}

/// A directory removed when dropped, for one engine run's files.
pub(crate) struct WorkDir(tempfile::TempDir);

impl WorkDir {
    pub(crate) fn new(opts: &OcrOptions, name: &str) -> Result<WorkDir, InputError> {
        let mut b = tempfile::Builder::new();
        b.prefix("provdiff-ocr-");
        let dir = match &opts.temp_dir {
            Some(d) => b
                .tempdir_in(d)
                .map_err(|e| work_file_error(name, "a temporary directory in", d, &e))?,
            None => b.tempdir().map_err(|e| {
                work_file_error(name, "a temporary directory in", &std::env::temp_dir(), &e)
            })?,
        };
        Ok(WorkDir(dir))
    }

    pub(crate) fn path(&self) -> &Path {
        self.0.path()
    }
}

fn status_text(out: &Output) -> String {
    match out.status.code() {
        Some(c) => format!("exit status {c}"),
        None => "killed by a signal".to_string(),
    }
}

/// What a tool printed on standard error, on one line (its lines joined by `; `), so that a
/// failure reads as one message.
fn stderr_text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("; ")
}

/// What one engine run wrote: its text and its TSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineOutput {
    /// The text output.
    pub txt: String,
    /// The TSV output.
    pub tsv: String,
}

impl EngineOutput {
    /// The pages of this run.
    pub fn pages(&self, name: &str) -> Result<Vec<Page>, InputError> {
        tsv::pages_from_tesseract(&self.txt, &self.tsv, name)
    }
}

/// Runs tesseract once on an image file (every page of a multi-page TIFF) with one thread.
/// `name` and `page` (the first page the image holds) name the input in errors.
pub fn run_tesseract(
    image: &Path,
    dpi: Option<u32>,
    name: &str,
    page: u32,
    opts: &OcrOptions,
) -> Result<EngineOutput, InputError> {
    let work = WorkDir::new(opts, name)?;
    let base = work.path().join("out");
    let mut args: Vec<OsString> = vec![
        image.into(),
        base.clone().into(),
        "-l".into(),
        opts.lang.clone().into(),
        "--psm".into(),
        opts.psm.to_string().into(),
    ];
    if let Some(d) = dpi {
        args.extend(["--dpi".into(), d.to_string().into()]);
    }
    args.extend(["txt".into(), "tsv".into()]);
    let engine = |error| InputError::Engine {
        path: name.to_string(),
        error,
    };
    let out = run_tool(&opts.tesseract, &args, INSTALL_TESSERACT, true).map_err(engine)?;
    if !out.status.success() {
        let stderr = stderr_text(&out);
        // A missing language makes tesseract fail with this message: say what to install.
        if stderr.contains("Failed loading language") || stderr.contains("couldn't load any") {
            engine_id(opts).map_err(engine)?;
        }
        return Err(InputError::TesseractFailed {
            path: name.to_string(),
            page,
            status: status_text(&out),
            stderr,
        });
    }
    let read = |ext: &str| {
        let p = base.with_extension(ext);
        std::fs::read_to_string(&p).map_err(|e| work_file_error(name, "tesseract's output", &p, &e))
    };
    Ok(EngineOutput {
        txt: read("txt")?,
        tsv: read("tsv")?,
    })
}

/// Renders page `page` of the PDF at `pdf` with pdftoppm (a grey PNG at `opts.render_dpi`)
/// and reads it.
pub fn render_and_read(
    pdf: &Path,
    page: u32,
    name: &str,
    opts: &OcrOptions,
) -> Result<EngineOutput, InputError> {
    let work = WorkDir::new(opts, name)?;
    let prefix = work.path().join("page");
    let args: Vec<OsString> = vec![
        "-r".into(),
        opts.render_dpi.to_string().into(),
        "-f".into(),
        page.to_string().into(),
        "-l".into(),
        page.to_string().into(),
        "-singlefile".into(),
        "-gray".into(),
        "-png".into(),
        pdf.into(),
        prefix.clone().into(),
    ];
    let out = run_tool(&opts.pdftoppm, &args, INSTALL_POPPLER, false).map_err(|error| {
        InputError::Engine {
            path: name.to_string(),
            error,
        }
    })?;
    if !out.status.success() {
        return Err(InputError::RenderFailed {
            path: name.to_string(),
            page,
            status: status_text(&out),
            stderr: stderr_text(&out),
        });
    }
    let png = prefix.with_extension("png");
    run_tesseract(&png, Some(opts.render_dpi), name, page, opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_langs_is_parsed() {
        let (dir, langs) = parse_list_langs(
            "List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (3):\nchi_sim\neng\nosd\n",
        );
        assert_eq!(dir, PathBuf::from("/usr/share/tesseract-ocr/5/tessdata/"));
        assert_eq!(langs, ["chi_sim", "eng", "osd"]);
    }

    #[test]
    fn a_missing_engine_says_what_to_install() {
        let opts = OcrOptions {
            tesseract: "/nonexistent/tesseract".into(),
            pdftoppm: "/nonexistent/pdftoppm".into(),
            ..OcrOptions::default()
        };
        let e = engine_id(&opts).unwrap_err();
        assert!(matches!(e, EngineError::ToolMissing { .. }), "{e:?}");
        assert!(
            e.to_string()
                .ends_with("install it with `apt-get install tesseract-ocr tesseract-ocr-chi-sim`"),
            "{e}"
        );
        let e = render_and_read(Path::new("x.pdf"), 1, "scan.pdf", &opts).unwrap_err();
        assert!(e.to_string().starts_with("scan.pdf: "), "{e}");
        assert!(
            e.to_string().contains("apt-get install poppler-utils"),
            "{e}"
        );
        let e = run_tesseract(Path::new("x.png"), None, "page.png", 1, &opts).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("page.png: /nonexistent/tesseract is not installed"),
            "{e}"
        );
    }
}
