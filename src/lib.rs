//! provdiff reads Chinese value-added telecom business licences (增值电信业务经营许可证) and
//! tracks how the wording of their special provisions (特别规定事项) differs and drifts.
//!
//! The pipeline runs one way, each stage a plain function over plain data:
//! [`ingest`] turns bytes into text (UTF-8, UTF-16, GB18030 …), [`normalize`] folds widths,
//! drops OCR whitespace, Markdown and page furniture while keeping a line map, [`fields`] reads
//! the cover page, [`segment`] splits the special provisions into numbered provisions and
//! sub-items; [`parse`](fn@parse) runs those four and returns a [`model::Certificate`].
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

use parse::{fields, ingest, normalize, segment};

pub use parse::{
    MAX_FILE_BYTES, MAX_LINES, ParseError, ParseOptions, io_reason, parse, parse_file, parse_owned,
    parse_text, read_limited,
};
use parse::{explain_forced, forced_label, is_certificate, read::checked, read::read_file};

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
