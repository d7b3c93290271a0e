//! A certificate reduced to what drift keeps ([`Prepared`]): from a parsed certificate, from a
//! scan record, or straight from a file's bytes without the parts drift does not use.

use std::hash::Hasher;
use std::path::Path;
use std::sync::Arc;

use xxhash_rust::xxh3::xxh3_64;

use crate::model::{Certificate, Date, Fields, Provision, ProvisionId, Warning, WarningKind};
use crate::parse::read::{checked, read_file};
use crate::parse::{
    ParseError, ParseOptions, explain_forced, fields, forced_label, ingest, is_certificate,
    normalize, segment,
};

use super::intern::KeyHasher;

/// A provision of a [`Prepared`] certificate, in reading order (each top-level provision
/// followed by its sub-items).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FlatProvision {
    pub(super) id: ProvisionId,
    pub(super) line: u32,
    /// End of its text in [`Prepared::text`]; it starts where the one before ends.
    pub(super) end: usize,
    /// xxh3 of its text, computed where the certificate was parsed.
    pub(super) hash: u64,
    /// A top-level provision (the sub-items after it are its own).
    pub(super) top: bool,
}

impl FlatProvision {
    /// True when this provision, at `j` in reading order, starts a top-level item of the
    /// signature: it is a provision, or it comes first (a sub-item with no provision before it
    /// stands on its own).
    #[inline]
    pub(super) fn opens_item(&self, j: usize) -> bool {
        j == 0 || self.top
    }
}

/// A set of business types: bit `i` stands for [`crate::parse::fields::BUSINESS_TYPES`]`[i]`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub(super) struct BusinessSet(pub(super) u32);

const _: () = assert!(crate::parse::fields::BUSINESS_TYPES.len() <= 32);

impl BusinessSet {
    /// The business types of the catalogue that `names` (as a header lists them) name.
    pub(super) fn of(names: &[String]) -> BusinessSet {
        BusinessSet(
            names
                .iter()
                .filter_map(|n| crate::parse::fields::business_type(n))
                .fold(0, |set, i| set | 1 << i),
        )
    }

    /// True when the set holds the business type of index `i`.
    #[inline]
    pub(super) fn holds(self, i: usize) -> bool {
        self.0 & 1 << i != 0
    }
}

/// A parsed certificate reduced to what drift keeps, ready to be added to a
/// [`DriftBuilder`](super::DriftBuilder).
/// Building one is the parallel part of the work; its texts sit in one buffer, so adding it
/// (the sequential part) frees a few blocks instead of one per provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub(super) path: Arc<str>,
    /// The parser found the last provision cut off mid-sentence.
    pub(super) truncated: bool,
    pub(super) license_no: Option<String>,
    pub(super) issuer: Option<String>,
    pub(super) year: Option<u16>,
    pub(super) issued: Option<Date>,
    /// The business types its header lists, as a set of indices in
    /// [`crate::parse::fields::BUSINESS_TYPES`]: `--against` skips the business-type blocks of a
    /// reference that a certificate does not hold.
    pub(super) business: BusinessSet,
    /// The texts of all provisions, one after another.
    pub(super) text: String,
    pub(super) provisions: Vec<FlatProvision>,
    /// A hash of the texts, their nesting and the cut-off: certificates with the same
    /// signature have the same one, so [`DriftBuilder::add`] finds theirs with one lookup.
    pub(super) sig_hash: u64,
}

impl Prepared {
    /// Reduces a certificate's parts (from a parse, or from a scan record); `warnings` tell
    /// whether its last provision was cut off.
    pub fn new(
        path: &str,
        fields: &Fields,
        provisions: &[Provision],
        warnings: &[Warning],
    ) -> Prepared {
        let all = || {
            provisions.iter().flat_map(|p| {
                std::iter::once((p, true)).chain(p.children.iter().map(|c| (c, false)))
            })
        };
        let mut text = String::with_capacity(all().map(|(p, _)| p.text.len()).sum());
        // Sized exactly: a flattened iterator would make the vector grow as it goes.
        let mut flat = Vec::with_capacity(all().count());
        flat.extend(all().map(|(p, top)| {
            text.push_str(&p.text);
            FlatProvision {
                id: p.id,
                line: u32::try_from(p.line).unwrap_or(u32::MAX),
                end: text.len(),
                hash: xxh3_64(p.text.as_bytes()),
                top,
            }
        }));
        let truncated = warnings.iter().any(|w| w.kind == WarningKind::Truncated);
        let mut sig = KeyHasher::default();
        sig.write_u8(u8::from(truncated));
        for f in &flat {
            sig.write_u64(f.hash);
            sig.write_u8(u8::from(f.top));
        }
        let sig_hash = sig.finish();
        Prepared {
            path: path.into(),
            truncated,
            license_no: fields.license_no.clone(),
            issuer: fields.issuer.clone(),
            year: fields.year(),
            issued: fields.issued,
            business: BusinessSet::of(&fields.business),
            text,
            provisions: flat,
            sig_hash,
        }
    }

    /// Reduces a parsed certificate.
    pub fn from_certificate(c: Certificate) -> Prepared {
        Prepared::new(&c.path, &c.fields, &c.provisions, &c.warnings)
    }

    /// Forgets the business types: a report measured against no reference does not use them.
    pub fn without_business(self) -> Prepared {
        Prepared {
            business: BusinessSet::default(),
            ..self
        }
    }
}

/// What drift keeps of a certificate ([`Prepared`]), from its bytes: the same as
/// `Prepared::from_certificate(parse(path, bytes, opts)?)`, and the same errors, without
/// what drift does not use (the header fields other than the licence number, issuer, issue
/// date and business types; cross-checks and the warnings they give). Tests and the fuzz
/// property hold the two equal.
pub fn prepare(path: &str, bytes: &[u8], opts: &ParseOptions) -> Result<Prepared, ParseError> {
    if crate::parse::scan_kind(bytes).is_some() {
        return crate::parse::parse(path, bytes, opts).map(Prepared::from_certificate);
    }
    let forced = forced_label(bytes, opts);
    prepare_decoded(
        path,
        ingest::decode(bytes, &opts.ingest),
        opts,
        forced,
        true,
    )
}

/// [`prepare`] of a file, read as [`parse_file`](crate::parse::parse_file) reads it: what `drift --against` does with
/// each file.
pub fn prepare_file(path: &Path, opts: &ParseOptions) -> Result<Prepared, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    if crate::parse::scan_kind(&bytes).is_some() {
        return crate::parse::parse_file(path, opts).map(Prepared::from_certificate);
    }
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
) -> Result<Prepared, ParseError> {
    let name = path.display().to_string();
    let bytes = read_file(path, &name)?;
    if crate::parse::scan_kind(&bytes).is_some() {
        return crate::parse::parse_file(path, opts)
            .map(|c| Prepared::from_certificate(c).without_business());
    }
    let forced = forced_label(&bytes, opts);
    prepare_decoded(
        &name,
        ingest::decode_owned(bytes, &opts.ingest),
        opts,
        forced,
        false,
    )
}

pub(super) fn prepare_decoded(
    path: &str,
    decoded: Result<ingest::Decoded, ingest::IngestError>,
    opts: &ParseOptions,
    forced: Option<&str>,
    business: bool,
) -> Result<Prepared, ParseError> {
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
    Ok(Prepared::new(path, &fields, &seg.provisions, &warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_sets_hold_the_types_a_header_lists() {
        let set = BusinessSet::of(&[
            "在线数据处理与交易处理业务(仅限经营类电子商务)".to_string(),
            "信息服务业务(仅限互联网信息服务)".to_string(),
            "not a business type".to_string(),
        ]);
        let index = |name| crate::parse::fields::business_type(name).unwrap();
        assert!(set.holds(index("在线数据处理与交易处理业务")));
        assert!(set.holds(index("信息服务业务")));
        assert!(!set.holds(index("互联网数据中心业务")));
        assert_eq!(BusinessSet::of(&[]), BusinessSet::default());
    }
}
