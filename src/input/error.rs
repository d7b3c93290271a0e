//! Why a PDF or a scan could not be read: [`InputError`] names the file and says what went
//! wrong, and what to install when a tool is missing.

/// Install hint for tesseract and its Simplified Chinese data.
pub const INSTALL_TESSERACT: &str = "apt-get install tesseract-ocr tesseract-ocr-chi-sim";
/// Install hint for pdftoppm, which renders the PDF pages whose image cannot be handed over.
pub const INSTALL_POPPLER: &str = "apt-get install poppler-utils";

/// Why the OCR engine cannot run, whatever the file: found once per run and reported with
/// every file that needs it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// An external program is not installed.
    #[error("{tool} is not installed (not found on PATH); install it with `{install}`")]
    ToolMissing {
        /// The program.
        tool: String,
        /// The command that installs it.
        install: String,
    },
    /// Tesseract runs but has no data for the language.
    #[error("tesseract has no `{lang}` language data; install it with `{install}`")]
    LanguageMissing {
        /// The language asked for.
        lang: String,
        /// The command that installs it.
        install: String,
    },
    /// The program is there but did not answer as expected.
    #[error("{tool} could not be run: {reason}")]
    Broken {
        /// The program.
        tool: String,
        /// What went wrong.
        reason: String,
    },
}

/// Why a PDF or a scan could not be read; every variant names the file.
#[derive(Debug, Clone, thiserror::Error)]
pub enum InputError {
    /// The OCR engine (or pdftoppm) is missing or broken.
    #[error("{path}: {error}")]
    Engine {
        /// The file that needed it.
        path: String,
        /// What is missing.
        error: EngineError,
    },
    /// Not a PDF, or a PDF too damaged to read.
    #[error("{path}: not a readable PDF: {reason}")]
    PdfUnreadable {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The PDF needs a password to open.
    #[error("{path}: the PDF is encrypted and needs a password")]
    PdfEncrypted {
        /// The file.
        path: String,
    },
    /// A file named as a page image (`STEM-2.png`) of a certificate holds no image.
    #[error("{path}: named as a page of a certificate in page images, but not an image")]
    NotAnImage {
        /// The file.
        path: String,
    },
    /// Tesseract exited with an error.
    #[error("{path}: tesseract failed on page {page} ({status}): {stderr}")]
    TesseractFailed {
        /// The file.
        path: String,
        /// The page (1-based) of the file.
        page: u32,
        /// The exit status.
        status: String,
        /// What tesseract printed on standard error.
        stderr: String,
    },
    /// pdftoppm exited with an error.
    #[error("{path}: pdftoppm failed on page {page} ({status}): {stderr}")]
    RenderFailed {
        /// The file.
        path: String,
        /// The page (1-based).
        page: u32,
        /// The exit status.
        status: String,
        /// What pdftoppm printed on standard error.
        stderr: String,
    },
    /// Tesseract's TSV output did not parse.
    #[error("{path}: unexpected tesseract TSV at line {line}: {reason}")]
    BadTsv {
        /// The file the TSV is of.
        path: String,
        /// The TSV line (1-based).
        line: usize,
        /// What was wrong.
        reason: String,
    },
    /// Reading or writing a file failed.
    #[error("{path}: {reason}")]
    Io {
        /// The file (the input, or a temporary or cache file named as such).
        path: String,
        /// What went wrong, worded as [`crate::parse::io_reason`] words it.
        reason: String,
    },
}

impl InputError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            InputError::Engine { path, .. }
            | InputError::PdfUnreadable { path, .. }
            | InputError::PdfEncrypted { path }
            | InputError::NotAnImage { path }
            | InputError::TesseractFailed { path, .. }
            | InputError::RenderFailed { path, .. }
            | InputError::BadTsv { path, .. }
            | InputError::Io { path, .. } => path,
        }
    }

    /// The reason, without the path.
    pub fn reason(&self) -> String {
        let full = self.to_string();
        full.strip_prefix(self.path())
            .and_then(|r| r.strip_prefix(": "))
            .map_or_else(|| full.clone(), str::to_string)
    }
}

/// An [`InputError::Io`] about `path` (shown as `name`).
pub(crate) fn io_error(name: &str, e: &std::io::Error) -> InputError {
    InputError::Io {
        path: name.to_string(),
        reason: crate::parse::io_reason(e),
    }
}

/// An [`InputError::Io`] about the input `name`, from a file provdiff works with while
/// reading it (a temporary page image, tesseract's output), said as `what`.
pub(crate) fn work_file_error(
    name: &str,
    what: &str,
    path: &std::path::Path,
    e: &std::io::Error,
) -> InputError {
    InputError::Io {
        path: name.to_string(),
        reason: format!("{what} {}: {}", path.display(), crate::parse::io_reason(e)),
    }
}
