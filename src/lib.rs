//! provdiff reads Chinese value-added telecom business licences (增值电信业务经营许可证) and
//! tracks how the wording of their special provisions (特别规定事项) differs and drifts.
//!
//! The pipeline runs one way, each stage a plain function over plain data:
//! [`ingest`] turns bytes into text (UTF-8, UTF-16, GB18030 …), [`normalize`] folds widths,
//! drops OCR whitespace, Markdown and page furniture while keeping a line map, [`fields`] reads
//! the cover page, [`segment`] splits the special provisions into numbered provisions and
//! sub-items; [`parse`] runs those four and returns a [`model::Certificate`].
//!
//! ```
//! let text = "经营许可证编号: 京B2-20224676\n公司名称: 甲公司\n特别规定事项\n\
//!             一、你公司应当遵守规定。\n二、你公司在经营信息服务业务时应当遵守下列规定:\n\
//!             (一)未经批准,你公司不得开展固定网电话信息服务业务。\n";
//! let cert = provdiff::parse("cert.txt", text.as_bytes(), &Default::default()).unwrap();
//! assert_eq!(cert.fields.license_no.as_deref(), Some("京B2-20224676"));
//! let ids: Vec<String> = cert.flat().map(|p| p.id.to_string()).collect();
//! assert_eq!(ids, ["一", "二", "二(一)"]);
//! ```
#![warn(missing_docs)]

pub mod align;
pub mod compare;
pub mod corpus;
pub mod diff;
pub mod drift;
pub mod duplicates;
pub mod model;
pub mod parse;
pub mod report;
pub mod scan;

use std::path::Path;

use model::{Certificate, Warning, WarningKind};
use parse::{fields, ingest, normalize, segment};

/// Options for [`parse`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// How bytes are decoded.
    pub ingest: ingest::IngestOptions,
    /// Refuse a text without numbered provisions ([`ParseError::NoProvisions`]), which has
    /// nothing to compare: for the corpus commands. Off by default, so that a cover page alone
    /// can still be shown, with its warnings.
    pub require_provisions: bool,
}

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
    /// [`ParseOptions::require_provisions`] requires.
    #[error("{path}: {NO_PROVISIONS}")]
    NoProvisions {
        /// The file.
        path: String,
    },
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

/// The largest file [`parse_file`] reads (64 MiB; a certificate is about 10 KB). A larger
/// file, or an endless one such as a device, is reported as too large instead of filling
/// memory.
pub const MAX_FILE_BYTES: u64 = 64 << 20;

/// The most lines [`parse`] accepts (a certificate has a few hundred). Every line costs some
/// memory whatever its length, so this bounds the memory a file of many short lines takes.
pub const MAX_LINES: usize = 100_000;

fn too_many_lines(lines: usize) -> String {
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

/// Reads at most `MAX_FILE_BYTES` of `reader`; `Ok(None)` when there is more.
pub fn read_limited(reader: impl std::io::Read) -> std::io::Result<Option<Vec<u8>>> {
    read_limited_sized(reader, 0)
}

/// [`read_limited`] into a buffer of `capacity` bytes to start with: a file smaller than that
/// comes in one read (and one more that finds its end) instead of a run of growing ones.
fn read_limited_sized(
    reader: impl std::io::Read,
    capacity: usize,
) -> std::io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(capacity);
    reader.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= MAX_FILE_BYTES).then_some(bytes))
}

/// The buffer a certificate file is first read into. Certificates are 10–15 KB (of text, in
/// any encoding), so nearly every one fits and its size need not be asked for: at 10^5 files,
/// the `fstat` call per file cost about 3% of a drift run. (A 32 KiB buffer raised drift's
/// peak memory over 10^4 certificates from 65 to 86 MiB; 16 KiB leaves it at 65.)
const READ_HEAD_START: usize = 16 * 1024;

/// Parses certificate bytes read from `path` (used for messages and provenance only).
pub fn parse(path: &str, bytes: &[u8], opts: &ParseOptions) -> Result<Certificate, ParseError> {
    let forced = forced_label(bytes, opts);
    parse_decoded(path, ingest::decode(bytes, &opts.ingest), opts, forced)
}

/// [`parse`] of bytes the caller gives up, which spares most files a copy (see
/// [`ingest::decode_owned`]).
pub fn parse_owned(
    path: &str,
    bytes: Vec<u8>,
    opts: &ParseOptions,
) -> Result<Certificate, ParseError> {
    let forced = forced_label(&bytes, opts);
    parse_decoded(
        path,
        ingest::decode_owned(bytes, &opts.ingest),
        opts,
        forced,
    )
}

fn parse_decoded(
    path: &str,
    decoded: Result<ingest::Decoded, ingest::IngestError>,
    opts: &ParseOptions,
    forced: Option<&str>,
) -> Result<Certificate, ParseError> {
    let decoded = checked(path, decoded).map_err(|e| explain_forced(e, forced, None))?;
    let mut cert = parse_text(path, &decoded.text, &decoded.encoding);
    is_certificate(path, &cert.fields, &cert.provisions, opts)
        .map_err(|e| explain_forced(e, forced, Some(&decoded)))?;
    if decoded.replaced > 0 {
        let hint = match forced {
            Some(_) => "; the encoding was forced: the file may be in another encoding",
            None => "",
        };
        cert.warnings.insert(
            0,
            Warning {
                kind: WarningKind::InvalidBytes,
                line: None,
                message: format!(
                    "{} invalid byte sequence(s) in {} replaced by U+FFFD{hint}",
                    decoded.replaced, decoded.encoding
                ),
            },
        );
    }
    Ok(cert)
}

/// A text with neither a licence number nor numbered provisions is no licence certificate;
/// one without provisions is refused when `opts` requires them.
fn is_certificate(
    path: &str,
    fields: &model::Fields,
    provisions: &[model::Provision],
    opts: &ParseOptions,
) -> Result<(), ParseError> {
    let path = path.to_string();
    match (fields.license_no.is_some(), provisions.is_empty()) {
        (false, true) => Err(ParseError::NotACertificate { path }),
        (true, true) if opts.require_provisions => Err(ParseError::NoProvisions { path }),
        _ => Ok(()),
    }
}

/// The encoding label `opts` forces on `bytes`, when it decides how they are decoded (a
/// byte-order mark wins over it).
fn forced_label<'a>(bytes: &[u8], opts: &'a ParseOptions) -> Option<&'a str> {
    let label = opts.ingest.encoding.as_deref()?;
    encoding_rs::Encoding::for_bom(bytes)
        .is_none()
        .then_some(label)
}

/// `error` with the encoding the caller forced (`forced`, a label) named as its likely cause,
/// when the text came out binary or no certificate; `decoded`, when the bytes were decoded.
fn explain_forced(
    error: ParseError,
    forced: Option<&str>,
    decoded: Option<&ingest::Decoded>,
) -> ParseError {
    let Some(label) = forced else {
        return error;
    };
    let explained = matches!(
        error,
        ParseError::NotACertificate { .. }
            | ParseError::NoProvisions { .. }
            | ParseError::Ingest {
                error: ingest::IngestError::Binary(_),
                ..
            }
    );
    if !explained {
        return error;
    }
    let (encoding, replaced) = match decoded {
        Some(d) => (d.encoding.clone(), d.replaced),
        None => (
            encoding_rs::Encoding::for_label(label.trim().as_bytes())
                .map_or_else(|| label.to_string(), |e| e.name().to_ascii_uppercase()),
            0,
        ),
    };
    ParseError::ForcedEncoding {
        encoding,
        replaced,
        error: Box::new(error),
    }
}

/// Decoded text that is within [`MAX_LINES`], or the error naming `path`.
fn checked(
    path: &str,
    decoded: Result<ingest::Decoded, ingest::IngestError>,
) -> Result<ingest::Decoded, ParseError> {
    let decoded = decoded.map_err(|error| ParseError::Ingest {
        path: path.to_string(),
        error,
    })?;
    // A text of n bytes has at most n + 1 lines: certificates need no count.
    let lines = if decoded.text.len() < MAX_LINES {
        0
    } else {
        memchr::memchr_iter(b'\n', decoded.text.as_bytes()).count() + 1
    };
    if lines > MAX_LINES {
        return Err(ParseError::TooManyLines {
            path: path.to_string(),
            lines,
        });
    }
    Ok(decoded)
}

/// Reads a file (at most [`MAX_FILE_BYTES`] of it); errors name it as `name`.
fn read_file(path: &Path, name: &str) -> Result<Vec<u8>, ParseError> {
    let io = |error| ParseError::Io {
        path: name.to_string(),
        error,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    read_limited_sized(file, READ_HEAD_START)
        .map_err(io)?
        .ok_or_else(|| ParseError::TooLarge {
            path: name.to_string(),
        })
}

/// Reads and parses a file (at most [`MAX_FILE_BYTES`] of it).
pub fn parse_file(path: &Path, opts: &ParseOptions) -> Result<Certificate, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    parse_owned(&name, bytes, opts)
}

/// What drift keeps of a certificate ([`drift::Prepared`]), from its bytes: the same as
/// `Prepared::from_certificate(parse(path, bytes, opts)?)`, and the same errors, without
/// what drift does not use (the header fields other than the licence number, issuer, issue
/// date and business types; cross-checks and the warnings they give). Tests and the fuzz
/// property hold the two equal.
pub fn prepare(
    path: &str,
    bytes: &[u8],
    opts: &ParseOptions,
) -> Result<drift::Prepared, ParseError> {
    let forced = forced_label(bytes, opts);
    prepare_decoded(
        path,
        ingest::decode(bytes, &opts.ingest),
        opts,
        forced,
        true,
    )
}

/// [`prepare`] of a file, read as [`parse_file`] reads it: what `drift --against` does with
/// each file.
pub fn prepare_file(path: &Path, opts: &ParseOptions) -> Result<drift::Prepared, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    let forced = forced_label(&bytes, opts);
    prepare_decoded(
        &name,
        ingest::decode_owned(bytes, &opts.ingest),
        opts,
        forced,
        true,
    )
}

/// [`prepare_file`] without the business types, the same as
/// `prepare_file(path, opts)?.without_business()`: what `drift` does with each file when it
/// measures against no reference, the one use of the business types (reading them would
/// take about a tenth of the time of the rest).
pub fn prepare_file_without_business(
    path: &Path,
    opts: &ParseOptions,
) -> Result<drift::Prepared, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    let forced = forced_label(&bytes, opts);
    prepare_decoded(
        &name,
        ingest::decode_owned(bytes, &opts.ingest),
        opts,
        forced,
        false,
    )
}

fn prepare_decoded(
    path: &str,
    decoded: Result<ingest::Decoded, ingest::IngestError>,
    opts: &ParseOptions,
    forced: Option<&str>,
    business: bool,
) -> Result<drift::Prepared, ParseError> {
    let decoded = checked(path, decoded).map_err(|e| explain_forced(e, forced, None))?;
    let norm = normalize::normalize(&decoded.text);
    let mut fields = fields::extract_values(norm.header());
    if business {
        fields.business = fields::business_types(norm.header());
    }
    // Segmentation's warnings tell whether the last provision is cut off.
    let mut warnings = Vec::new();
    let seg = segment::segment(norm.body(), &mut warnings);
    is_certificate(path, &fields, &seg.provisions, opts)
        .map_err(|e| explain_forced(e, forced, Some(&decoded)))?;
    Ok(drift::Prepared::new(
        path,
        &fields,
        &seg.provisions,
        &warnings,
    ))
}

/// Parses decoded text. Never fails: problems become warnings.
pub fn parse_text(path: &str, text: &str, encoding: &str) -> Certificate {
    let norm = normalize::normalize(text);
    let mut warnings = Vec::new();
    let fields = fields::extract(norm.header(), &mut warnings);
    if norm.body_start.is_none() {
        warnings.push(Warning {
            kind: WarningKind::NoProvisions,
            line: None,
            message: "no special provisions section (特别规定事项) found".into(),
        });
    }
    warnings.extend(norm.guesses());
    let seg = segment::segment(norm.body(), &mut warnings);
    check_body(&norm, &fields, &seg, &mut warnings);
    Certificate {
        path: path.to_string(),
        encoding: encoding.to_string(),
        fields,
        preamble: seg.preamble,
        provisions: seg.provisions,
        warnings,
    }
}

/// Cross-checks between cover and body: page-header licence numbers and the company named in
/// the preamble.
fn check_body(
    norm: &normalize::Normalized,
    fields: &model::Fields,
    seg: &segment::Segmented,
    warnings: &mut Vec<Warning>,
) {
    if let Some(cover) = &fields.license_no {
        for line in norm
            .body()
            .iter()
            .filter(|l| l.kind == normalize::LineKind::LicenseHeader)
        {
            if let Some(lic) = fields::parse_license(line.text)
                && &lic.text != cover
            {
                warnings.push(Warning {
                    kind: WarningKind::LicenseMismatch,
                    line: Some(line.src),
                    message: format!(
                        "page header licence number {} differs from the cover's {cover}",
                        lic.text
                    ),
                });
            }
        }
    }
    if let (Some(company), Some(named)) = (&fields.company, preamble_company(&seg.preamble))
        && named != company
    {
        warnings.push(Warning {
            kind: WarningKind::CompanyMismatch,
            line: seg.preamble_line,
            message: format!("the preamble names {named}, the cover names {company}"),
        });
    }
    warnings.sort_by_key(|w| (w.line.unwrap_or(0), w.kind));
}

/// The company the preamble names: `…组成部分,XXX应当按照…`.
fn preamble_company(preamble: &str) -> Option<&str> {
    let start = preamble.find("组成部分")? + "组成部分".len();
    let rest = preamble[start..].trim_start_matches([',', '，', '。']);
    let end = rest.find("应当")?;
    let name = rest[..end].trim();
    (!name.is_empty()).then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            Err(ParseError::TooLarge { .. })
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
            Err(e @ ParseError::TooManyLines { .. }) => {
                assert_eq!(e.reason(), too_many_lines(MAX_LINES + 1));
            }
            other => panic!("{other:?}"),
        }
        // Shorter than MAX_LINES bytes: within the limit without a count.
        assert!(parse("x", text(1000).as_bytes(), &opts).is_ok());
    }
}
