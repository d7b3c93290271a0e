//! Reading a certificate within bounds: at most [`MAX_FILE_BYTES`] of a file and
//! [`MAX_LINES`] lines of text, so that a huge or endless input is refused instead of filling
//! memory.

use std::io::Read;
use std::path::Path;

use super::error::{ParseError, ParseErrorKind};
use super::ingest;

/// The largest file [`parse_file`](super::parse_file) reads (64 MiB; a certificate is about
/// 10 KB). A larger file, or an endless one such as a device, is reported as too large instead
/// of filling memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most lines [`parse`](fn@super::parse) accepts (a certificate has a few hundred). Every
/// line costs some memory whatever its length, so this bounds the memory a file of many short
/// lines takes.
pub const MAX_LINES: usize = 100_000;

/// Reads `reader` to its end (standard input, say), at most [`MAX_FILE_BYTES`] of it; errors
/// name it `name`.
pub fn read_bytes(name: &str, reader: impl Read) -> Result<Vec<u8>, ParseError> {
    read_sized(name, reader, 0)
}

/// [`read_bytes`] into a buffer of `capacity` bytes to start with: a file smaller than that
/// comes in one read (and one more that finds its end) instead of a run of growing ones.
fn read_sized(name: &str, reader: impl Read, capacity: usize) -> Result<Vec<u8>, ParseError> {
    let mut bytes = Vec::with_capacity(capacity);
    (reader.take(MAX_FILE_BYTES + 1))
        .read_to_end(&mut bytes)
        .map_err(|e| ParseError::new(name, ParseErrorKind::Io(e)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ParseError::new(name, ParseErrorKind::TooLarge));
    }
    Ok(bytes)
}

/// The buffer a certificate file is first read into. Certificates are 10–15 KB (of text, in
/// any encoding), so nearly every one fits and its size need not be asked for: at 10^5 files,
/// the `fstat` call per file cost about 3% of a drift run. (A 32 KiB buffer raised drift's
/// peak memory over 10^4 certificates from 65 to 86 MiB; 16 KiB leaves it at 65.)
const READ_HEAD_START: usize = 16 * 1024;

/// Decoded text that is within [`MAX_LINES`], or the error naming `path`.
pub(crate) fn checked(
    path: &str,
    decoded: Result<ingest::Decoded, ingest::IngestError>,
) -> Result<ingest::Decoded, ParseError> {
    let decoded = decoded.map_err(|e| ParseError::new(path, ParseErrorKind::Ingest(e)))?;
    // A text of n bytes has at most n + 1 lines: certificates need no count.
    let lines = if decoded.text.len() < MAX_LINES {
        0
    } else {
        memchr::memchr_iter(b'\n', decoded.text.as_bytes()).count() + 1
    };
    if lines > MAX_LINES {
        return Err(ParseError::new(
            path,
            ParseErrorKind::TooManyLines { lines },
        ));
    }
    Ok(decoded)
}

/// Reads a file (at most [`MAX_FILE_BYTES`] of it); errors name it as `name`.
pub(crate) fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, ParseError> {
    let file =
        std::fs::File::open(path).map_err(|e| ParseError::new(name, ParseErrorKind::Io(e)))?;
    read_sized(name, file, READ_HEAD_START)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{ParseOptions, parse, parse_file};

    #[test]
    fn files_larger_than_the_head_start_are_read_whole_and_too_large_ones_refused() {
        let dir = tempfile::tempdir().unwrap();
        // A certificate padded past the first buffer: its last provision must still be read.
        let seed = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("corpus/000_76e38eccd87d7b3e.txt"),
        )
        .unwrap();
        let padded = format!("{}{seed}", "\n".repeat(READ_HEAD_START * 2));
        let path = dir.path().join("padded.txt");
        std::fs::write(&path, &padded).unwrap();
        let whole = parse_file(&path, &ParseOptions::default()).unwrap();
        let plain = parse("seed", seed.as_bytes(), &ParseOptions::default()).unwrap();
        assert_eq!(
            whole.provisions.last().map(|p| &p.text),
            plain.provisions.last().map(|p| &p.text)
        );
        let big = dir.path().join("big.txt");
        std::fs::File::create(&big)
            .unwrap()
            .set_len(MAX_FILE_BYTES + 1)
            .unwrap();
        assert!(matches!(
            parse_file(&big, &ParseOptions::default()),
            Err(ParseError {
                kind: ParseErrorKind::TooLarge,
                ..
            })
        ));
    }

    #[test]
    fn texts_of_more_than_max_lines_lines_are_refused() {
        let opts = ParseOptions::default();
        let head = "特别规定事项\n一、你公司应当遵守有关规定。\n";
        // `head` holds two newlines: with k more, the text has k + 3 lines.
        let text = |lines: usize| format!("{head}{}", "\n".repeat(lines - 3));
        let at_limit = text(MAX_LINES);
        assert!(at_limit.len() >= MAX_LINES, "the count must be taken");
        assert!(parse("x", at_limit.as_bytes(), &opts).is_ok());
        match parse("x", text(MAX_LINES + 1).as_bytes(), &opts) {
            Err(ParseError {
                kind: kind @ ParseErrorKind::TooManyLines { .. },
                ..
            }) => {
                assert_eq!(
                    kind.to_string(),
                    format!(
                        "{} lines, more than 100000: too many for a certificate",
                        MAX_LINES + 1
                    )
                );
            }
            other => panic!("{other:?}"),
        }
        // Shorter than MAX_LINES bytes: within the limit without a count.
        assert!(parse("x", text(1000).as_bytes(), &opts).is_ok());
    }
}
