//! Why a file could not be parsed: [`ParseError`] names the file and says what went wrong;
//! [`io_reason`] words the common I/O errors plainly.

use super::ingest;
use super::read::{MAX_FILE_BYTES, MAX_LINES};

/// Why a file could not be parsed: the file, and what went wrong with it
/// (`PATH: reason` when shown).
#[derive(Debug, thiserror::Error)]
#[error("{path}: {kind}")]
pub struct ParseError {
    /// The file, as the caller named it (`-` for standard input).
    pub path: String,
    /// What went wrong; shown, it is the reason without the path.
    pub kind: ParseErrorKind,
}

impl ParseError {
    /// The error `kind` of the file named `path`.
    pub fn new(path: &str, kind: ParseErrorKind) -> ParseError {
        ParseError {
            path: path.to_string(),
            kind,
        }
    }

    /// The error of a PDF or a scan that could not be read, about the file it names.
    pub fn input(e: crate::input::InputError) -> ParseError {
        ParseError {
            path: e.path().to_string(),
            kind: ParseErrorKind::Input(e),
        }
    }
}

/// What went wrong with a file that could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum ParseErrorKind {
    /// The file could not be read.
    #[error("{}", io_reason(.0))]
    Io(std::io::Error),
    /// The bytes are not text.
    #[error("{0}")]
    Ingest(ingest::IngestError),
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read to the end.
    #[error("the file is larger than {} MiB, too large for a certificate", MAX_FILE_BYTES >> 20)]
    TooLarge,
    /// The text has more than [`MAX_LINES`] lines.
    #[error("{lines} lines, more than {MAX_LINES}: too many for a certificate")]
    TooManyLines {
        /// How many lines it has.
        lines: usize,
    },
    /// The text is not a licence: no licence number and no special provisions.
    #[error("not a licence certificate (no licence number and no numbered provisions)")]
    NotACertificate,
    /// The text has a licence number but no numbered provisions, which
    /// [`ParseOptions::require_provisions`](super::ParseOptions::require_provisions) requires.
    #[error("no numbered special provisions (特别规定事项) found")]
    NoProvisions,
    /// A PDF or a scan could not be read (the [`ParseError`] names the file the input error
    /// names).
    #[error("{}", .0.reason())]
    Input(crate::input::InputError),
    /// The text, decoded with the encoding the caller forced, is binary or no certificate:
    /// likely the wrong encoding.
    #[error(
        "{error}; decoded as {encoding}, the encoding forced{}: the file may be in another encoding",
        replaced_note(*replaced)
    )]
    ForcedEncoding {
        /// The encoding forced, by name (`GB18030`).
        encoding: String,
        /// Byte sequences that were invalid in it and replaced by U+FFFD.
        replaced: usize,
        /// What went wrong (binary data, not a certificate, no provisions).
        error: Box<ParseErrorKind>,
    },
}

fn replaced_note(replaced: usize) -> String {
    match replaced {
        0 => String::new(),
        n => format!(", with {n} invalid byte sequence(s) replaced by U+FFFD"),
    }
}

/// A plain reason for an I/O error, without the `(os error N)` suffix for the common ones.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::NotFound => "no such file or directory".into(),
        ErrorKind::PermissionDenied => "permission denied".into(),
        ErrorKind::IsADirectory => "is a directory".into(),
        ErrorKind::NotADirectory => "a component of the path is not a directory".into(),
        _ if is_link_loop(e) => "symbolic link loop".into(),
        _ => e.to_string(),
    }
}

/// `ELOOP`, which has no stable `ErrorKind` yet.
#[cfg(unix)]
fn is_link_loop(e: &std::io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_link_loop(_: &std::io::Error) -> bool {
    false
}
