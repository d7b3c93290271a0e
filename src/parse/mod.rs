//! Bytes to a [`Certificate`]: [`ingest`] decodes them (UTF-8, UTF-16, GB18030 …) and tells
//! other file formats apart, [`normalize`] folds widths and drops OCR whitespace, Markdown and
//! page furniture while keeping a line map, [`fields`] reads the cover page, [`segment`]
//! splits the special provisions into numbered provisions and sub-items; [`parse`] runs them
//! all, within [`MAX_FILE_BYTES`] and [`MAX_LINES`].

mod error;
pub mod fields;
mod filetype;
pub mod ingest;
pub mod normalize;
pub mod numeral;
mod ocr_labels;
mod patterns;
pub(crate) mod read;
pub mod segment;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use error::{ParseError, ParseErrorKind, io_reason};
pub use read::{MAX_FILE_BYTES, MAX_LINES, read_bytes};

use crate::model::{self, Certificate, Warning, WarningKind};
use read::{checked, read_file};

/// Options for [`parse`].
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    /// How PDFs and scans are read: one reader for a whole run, which finds the OCR engine
    /// once (by default: tesseract on `PATH`, no cache).
    pub input: Arc<crate::input::Reader>,
    /// How bytes are decoded.
    pub ingest: ingest::IngestOptions,
    /// Refuse a text without numbered provisions ([`ParseErrorKind::NoProvisions`]), which has
    /// nothing to compare: for the corpus commands. Off by default, so that a cover page alone
    /// can still be shown, with its warnings.
    pub require_provisions: bool,
}

/// Parses certificate bytes read from `path` (used for messages and provenance only): text
/// in any encoding provdiff reads, a PDF or a scanned image.
pub fn parse(path: &str, bytes: &[u8], opts: &ParseOptions) -> Result<Certificate, ParseError> {
    if let Some(kind) = scan_kind(bytes) {
        return parse_scan(path, vec![part(path, None, bytes.to_vec(), kind)], opts);
    }
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
    if let Some(kind) = scan_kind(&bytes) {
        return parse_scan(path, vec![part(path, None, bytes, kind)], opts);
    }
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
pub(crate) fn is_certificate(
    path: &str,
    fields: &model::Fields,
    provisions: &[model::Provision],
    opts: &ParseOptions,
) -> Result<(), ParseError> {
    match (fields.license_no.is_some(), provisions.is_empty()) {
        (false, true) => Err(ParseError::new(path, ParseErrorKind::NotACertificate)),
        (true, true) if opts.require_provisions => {
            Err(ParseError::new(path, ParseErrorKind::NoProvisions))
        }
        _ => Ok(()),
    }
}

/// The encoding label `opts` forces on `bytes`, when it decides how they are decoded (a
/// byte-order mark wins over it).
pub(crate) fn forced_label<'a>(bytes: &[u8], opts: &'a ParseOptions) -> Option<&'a str> {
    let label = opts.ingest.encoding.as_deref()?;
    encoding_rs::Encoding::for_bom(bytes)
        .is_none()
        .then_some(label)
}

/// `error` with the encoding the caller forced (`forced`, a label) named as its likely cause,
/// when the text came out binary or no certificate; `decoded`, when the bytes were decoded.
pub(crate) fn explain_forced(
    error: ParseError,
    forced: Option<&str>,
    decoded: Option<&ingest::Decoded>,
) -> ParseError {
    let Some(label) = forced else {
        return error;
    };
    let explained = matches!(
        error.kind,
        ParseErrorKind::NotACertificate
            | ParseErrorKind::NoProvisions
            | ParseErrorKind::Ingest(ingest::IngestError::Binary(_))
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
    ParseError {
        path: error.path,
        kind: ParseErrorKind::ForcedEncoding {
            encoding,
            replaced,
            error: Box::new(error.kind),
        },
    }
}

/// Reads and parses a file (at most [`MAX_FILE_BYTES`] of it).
pub fn parse_file(path: &Path, opts: &ParseOptions) -> Result<Certificate, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    if let Some(kind) = scan_kind(&bytes) {
        // The first page of a certificate in page images brings the others.
        if let crate::input::PartKind::Image(_) = kind
            && let Some(pages) = crate::input::group::pages_from_first(path)
        {
            return parse_files(&pages, opts);
        }
        return parse_scan(&name, vec![part(&name, Some(path), bytes, kind)], opts);
    }
    parse_owned(&name, bytes, opts)
}

/// Reads and parses the files of one certificate: a single file as [`parse_file`] does, or
/// page images (`STEM-1.png`, `STEM-2.png`…, see [`crate::input::group`]) in the order given,
/// named by the first.
pub(crate) fn parse_files(
    paths: &[PathBuf],
    opts: &ParseOptions,
) -> Result<Certificate, ParseError> {
    let [first, rest @ ..] = paths else {
        return Err(ParseError::new("", ParseErrorKind::NotACertificate));
    };
    if rest.is_empty() {
        let name = first.display().to_string();
        let bytes = read_file(first, &name)?;
        return match scan_kind(&bytes) {
            Some(kind) => parse_scan(&name, vec![part(&name, Some(first), bytes, kind)], opts),
            None => parse_owned(&name, bytes, opts),
        };
    }
    let name = first.display().to_string();
    let mut parts = Vec::with_capacity(paths.len());
    for path in paths {
        let page = path.display().to_string();
        let bytes = read_file(path, &page)?;
        let kind = scan_kind(&bytes).ok_or_else(|| {
            ParseError::input(crate::input::InputError::NotAnImage { path: page.clone() })
        })?;
        parts.push(part(&page, Some(path), bytes, kind));
    }
    parse_scan(&name, parts, opts)
}

/// The kind of scan `bytes` hold, by their signature: a PDF, or an image the OCR engine
/// reads; `None` for text (and the formats [`ingest`] explains).
pub fn scan_kind(bytes: &[u8]) -> Option<crate::input::PartKind> {
    use crate::input::PartKind;
    match filetype::detect(bytes)? {
        filetype::FileKind::Pdf => Some(PartKind::Pdf),
        filetype::FileKind::Image(format) => Some(PartKind::Image(match format {
            "PNG" => "png",
            "JPEG" => "jpg",
            "TIFF" => "tif",
            "GIF" => "gif",
            "BMP" => "bmp",
            "WebP" => "webp",
            _ => return None,
        })),
        _ => None,
    }
}

fn part(
    name: &str,
    path: Option<&Path>,
    bytes: Vec<u8>,
    kind: crate::input::PartKind,
) -> crate::input::Part {
    crate::input::Part {
        name: name.to_string(),
        path: path.map(Path::to_path_buf),
        bytes,
        kind,
    }
}

/// Reads a PDF or scan (its `parts`) and parses the text, keeping how it was read and the
/// engine's confidences.
pub(crate) fn parse_scan(
    name: &str,
    parts: Vec<crate::input::Part>,
    opts: &ParseOptions,
) -> Result<Certificate, ParseError> {
    let read = opts
        .input
        .read(&parts, &|_| {})
        .map_err(ParseError::input)?;
    drop(parts);
    let (text, lines) = read.doc.text();
    let mut cert = parse_text(name, &text, "UTF-8");
    is_certificate(name, &cert.fields, &cert.provisions, opts)?;
    crate::input::confidence::mark_uncertain(&mut cert.provisions, &lines);
    cert.input = read.input;
    cert.ocr = read.ocr;
    Ok(cert)
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
        input: model::InputKind::Text,
        ocr: None,
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
                && !province_misread(line.text, &lic.text, cover)
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

/// True when a page header's licence number `read` (found in `line`) is the cover's but for a
/// character before it that is no province character, as OCR misreads one (`守B2-…` for
/// `鄂B2-…`): the header was taken as such with a warning already.
fn province_misread(line: &str, read: &str, cover: &str) -> bool {
    let before = line.find(read).and_then(|i| line[..i].chars().next_back());
    read.starts_with(['A', 'B'])
        && cover.ends_with(read)
        && before.is_some_and(|c| !c.is_ascii() && c != '号')
}

/// The company the preamble names: `…组成部分,XXX应当按照…`.
fn preamble_company(preamble: &str) -> Option<&str> {
    let start = preamble.find("组成部分")? + "组成部分".len();
    let rest = preamble[start..].trim_start_matches([',', '，', '。']);
    let end = rest.find("应当")?;
    let name = rest[..end].trim();
    (!name.is_empty()).then_some(name)
}
