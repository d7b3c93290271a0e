//! Why a file could not be parsed: [`ParseError`] names the file and says what went wrong;
//! [`io_reason`] words the common I/O errors plainly.

use super::ingest;
use super::read::{MAX_FILE_BYTES, MAX_LINES};

/// Why a file could not be parsed; names the file.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    /// The file could not be read.
    #[error("{path}: {}", io_reason(error))]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        error: std::io::Error,
    },
    /// The bytes are not text.
    #[error("{path}: {error}")]
    Ingest {
        /// The file.
        path: String,
        /// What went wrong.
        error: ingest::IngestError,
    },
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read to the end.
    #[error("{path}: {}", too_large())]
    TooLarge {
        /// The file.
        path: String,
    },
    /// The text has more than [`MAX_LINES`] lines.
    #[error("{path}: {}", too_many_lines(*lines))]
    TooManyLines {
        /// The file.
        path: String,
        /// How many lines it has.
        lines: usize,
    },
    /// The text is not a licence: no licence number and no special provisions.
    #[error("{path}: not a licence certificate (no licence number and no numbered provisions)")]
    NotACertificate {
        /// The file.
        path: String,
    },
    /// The text has a licence number but no numbered provisions, which
    /// [`ParseOptions::require_provisions`](super::ParseOptions::require_provisions) requires.
    #[error("{path}: {NO_PROVISIONS}")]
    NoProvisions {
        /// The file.
        path: String,
    },
    /// A PDF or a scan could not be read (the error names the file).
    #[error("{0}")]
    Input(crate::input::InputError),
    /// The text, decoded with the encoding the caller forced, is binary or no certificate:
    /// likely the wrong encoding.
    #[error("{}: {}", error.path(), self.reason())]
    ForcedEncoding {
        /// The encoding forced, by name (`GB18030`).
        encoding: String,
        /// Byte sequences that were invalid in it and replaced by U+FFFD.
        replaced: usize,
        /// What went wrong (binary data, not a certificate, no provisions).
        error: Box<ParseError>,
    },
}

const NO_PROVISIONS: &str = "no numbered special provisions (特别规定事项) found";

impl ParseError {
    /// The file the error is about.
    pub fn path(&self) -> &str {
        match self {
            ParseError::Io { path, .. }
            | ParseError::Ingest { path, .. }
            | ParseError::TooLarge { path }
            | ParseError::TooManyLines { path, .. }
            | ParseError::NotACertificate { path }
            | ParseError::NoProvisions { path } => path,
            ParseError::ForcedEncoding { error, .. } => error.path(),
            ParseError::Input(e) => e.path(),
        }
    }

    /// The reason, without the path.
    pub fn reason(&self) -> String {
        match self {
            ParseError::Io { error, .. } => io_reason(error),
            ParseError::TooLarge { .. } => too_large(),
            ParseError::TooManyLines { lines, .. } => too_many_lines(*lines),
            ParseError::Ingest { error, .. } => error.to_string(),
            ParseError::NotACertificate { .. } => {
                "not a licence certificate (no licence number and no numbered provisions)".into()
            }
            ParseError::NoProvisions { .. } => NO_PROVISIONS.into(),
            ParseError::Input(e) => e.reason(),
            ParseError::ForcedEncoding {
                encoding,
                replaced,
                error,
            } => {
                let replaced = match replaced {
                    0 => String::new(),
                    n => format!(", with {n} invalid byte sequence(s) replaced by U+FFFD"),
                };
                format!(
                    "{}; decoded as {encoding}, the encoding forced{replaced}: the file may be in another encoding",
                    error.reason()
                )
            }
        }
    }
}

pub(crate) fn too_many_lines(lines: usize) -> String {
    format!("{lines} lines, more than {MAX_LINES}: too many for a certificate")
}

fn too_large() -> String {
    format!(
        "the file is larger than {} MiB, too large for a certificate",
        MAX_FILE_BYTES >> 20
    )
}

/// A plain reason for an I/O error, without the `(os error N)` suffix for the common ones.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    // ELOOP has no stable ErrorKind yet.
    const ELOOP: i32 = if cfg!(any(target_os = "linux", target_os = "android")) {
        40
    } else {
        62
    };
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        ErrorKind::NotADirectory => "a component of the path is not a directory".into(),
        _ if cfg!(unix) && e.raw_os_error() == Some(ELOOP) => "symbolic link loop".into(),
        _ => e.to_string(),
    }
}
