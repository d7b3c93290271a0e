//! Bytes to text: detects the encoding (BOM, UTF-8, UTF-16, GB18030/GBK) and decodes.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use crate::parse::filetype;
pub use crate::parse::filetype::FileKind;

/// Why bytes could not be read as a certificate's text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IngestError {
    /// The input holds no bytes at all, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// The input is a known format that is not text (a PDF, a Word document, an image …):
    /// the message says which and what to do.
    #[error("{0}")]
    NotText(FileKind),
    /// The input looks like binary data (NUL bytes or control characters), not text.
    #[error("the file is binary data, not text ({0})")]
    Binary(String),
    /// An encoding name given by the user is unknown.
    #[error("unknown encoding {0:?}")]
    UnknownEncoding(String),
}

/// Options for [`decode`].
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Force an encoding by WHATWG label (`gb18030`, `utf-16le` …) instead of detecting one.
    /// A byte-order mark still wins, as in every browser.
    pub encoding: Option<String>,
}

/// Decoded text with the name of the encoding used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\r\n` and lone `\r` turned into `\n` and no BOM.
    pub text: String,
    /// Name of the encoding in upper case, e.g. `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `GB18030`.
    pub encoding: String,
    /// Number of byte sequences that were invalid and replaced by U+FFFD.
    pub replaced: usize,
}

/// Decodes certificate bytes.
///
/// Order of decisions: a byte-order mark; then an explicit encoding from `opts`; then UTF-16
/// without BOM when the bytes hold NULs and nearly all of their code units, in one byte order,
/// are characters of certificate text; then UTF-8 when the bytes are valid UTF-8, or
/// nearly so (a few invalid bytes in otherwise UTF-8 text are replaced, not taken as a sign
/// of GBK); then GB18030 when the bytes decode as it cleanly; then a guess by chardetng among
/// the legacy encodings (GB18030 for Chinese text).
pub fn decode(bytes: &[u8], opts: &IngestOptions) -> Result<Decoded, IngestError> {
    decode_cow(Cow::Borrowed(bytes), opts)
}

/// [`decode`] of bytes the caller gives up: valid UTF-8 without a BOM (most files) becomes
/// the text in place, with no copy.
pub fn decode_owned(bytes: Vec<u8>, opts: &IngestOptions) -> Result<Decoded, IngestError> {
    decode_cow(Cow::Owned(bytes), opts)
}

/// The decisions of [`decode`], on borrowed or owned bytes.
fn decode_cow(bytes: Cow<'_, [u8]>, opts: &IngestOptions) -> Result<Decoded, IngestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::Empty);
    }
    // Before any decoding: some of these formats (an uncompressed PDF, RTF) would pass for
    // text, and the others deserve better than "binary data".
    if let Some(kind) = filetype::detect(&bytes) {
        return Err(IngestError::NotText(kind));
    }
    let bom = Encoding::for_bom(&bytes);
    // The common case, settled in two passes: valid UTF-8 without a BOM, holding no NUL (so
    // it is no UTF-16) and nothing else [`finish`] would look at.
    let utf8 =
        bom.is_none() && opts.encoding.is_none() && simdutf8::basic::from_utf8(&bytes).is_ok();
    if utf8 && is_plain(&bytes) {
        // SAFETY: `utf8`: simdutf8 has just validated the bytes.
        let text = unsafe { utf8_text(bytes) };
        return finish_known(text, true, "UTF-8".to_string(), 0);
    }
    // The encoding, how many bytes of BOM to skip, and the encoding's name as reported.
    let (enc, skip, label): (&'static Encoding, usize, String) = if let Some((enc, bom_len)) = bom {
        let label = if enc == UTF_8 {
            "UTF-8 (BOM)".to_string()
        } else {
            enc.name().to_ascii_uppercase()
        };
        (enc, bom_len, label)
    } else if let Some(name) = &opts.encoding {
        let enc = Encoding::for_label(name.trim().as_bytes())
            .ok_or_else(|| IngestError::UnknownEncoding(name.clone()))?;
        (enc, 0, enc.name().to_ascii_uppercase())
    } else if let Some(enc) = utf16_without_bom(&bytes) {
        (enc, 0, enc.name().to_ascii_uppercase())
    } else {
        // Valid UTF-8 without a BOM that needs a closer look (carriage returns, control
        // characters, U+FFFD), validated once.
        if utf8 {
            // SAFETY: `utf8`: simdutf8 has validated the bytes.
            let text = unsafe { utf8_text(bytes) };
            return finish(text, "UTF-8".to_string(), 0);
        }
        // Clean GB18030 is decoded while it is detected; not a second time.
        let enc = match detect_invalid_utf8(&bytes) {
            Detected::CleanGb18030(text) => {
                return finish(Cow::Owned(text), "GB18030".to_string(), 0);
            }
            Detected::Other(enc) => enc,
        };
        (enc, 0, enc.name().to_ascii_uppercase())
    };
    let (text, replaced) = decode_with(enc, &bytes[skip..]);
    finish(Cow::Owned(text), label, replaced)
}

/// Bytes already validated as UTF-8, as text (owned bytes without a copy).
///
/// # Safety
///
/// `bytes` must be valid UTF-8.
unsafe fn utf8_text(bytes: Cow<'_, [u8]>) -> Cow<'_, str> {
    debug_assert!(std::str::from_utf8(&bytes).is_ok());
    match bytes {
        // SAFETY: the caller promises valid UTF-8.
        Cow::Borrowed(b) => Cow::Borrowed(unsafe { std::str::from_utf8_unchecked(b) }),
        // SAFETY: the caller promises valid UTF-8.
        Cow::Owned(v) => Cow::Owned(unsafe { String::from_utf8_unchecked(v) }),
    }
}

/// True when valid UTF-8 `bytes` hold nothing that [`finish`] and the UTF-16 detection look
/// for: no control character but the line feed (so no NUL, tab or carriage return), no DEL,
/// no C1 control character (0xC2 0x80..0x9F) and no byte pair that ends U+FFFD (0xBF 0xBD,
/// which ends a few other characters too; those take the closer look, which counts exactly).
/// One pass over byte pairs in vector lanes, instead of a pass per thing looked for.
fn is_plain(bytes: &[u8]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has just been found to support AVX2.
        return unsafe { is_plain_avx2(bytes) };
    }
    is_plain_lanes(bytes)
}

/// [`is_plain_lanes`] compiled for AVX2 (32 bytes per vector instead of 16).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn is_plain_avx2(bytes: &[u8]) -> bool {
    is_plain_lanes(bytes)
}

#[inline(always)]
fn is_plain_lanes(bytes: &[u8]) -> bool {
    let Some((&last, _)) = bytes.split_last() else {
        return true;
    };
    let odd = |b: u8, next: u8| {
        ((b < 0x20) & (b != b'\n'))
            | (b == 0x7f)
            | ((b == 0xc2) & (next < 0xa0))
            | ((b == 0xbf) & (next == 0xbd))
    };
    let plain = bytes.chunks(64).zip(bytes[1..].chunks(64)).all(|(x, n)| {
        x.iter()
            .zip(n)
            .fold(0u8, |any, (&b, &next)| any | u8::from(odd(b, next)))
            == 0
    });
    // The last byte starts no pair: 0xFF follows no byte in UTF-8.
    plain && !odd(last, 0xff)
}

/// The checks and newline unification every decoded text goes through.
/// Text that is already owned is kept when it has no carriage return.
fn finish(text: Cow<'_, str>, encoding: String, replaced: usize) -> Result<Decoded, IngestError> {
    let plain = is_plain(text.as_bytes());
    finish_known(text, plain, encoding, replaced)
}

/// [`finish`] of a text already known to be plain or not (see [`is_plain`]).
fn finish_known(
    text: Cow<'_, str>,
    plain: bool,
    encoding: String,
    replaced: usize,
) -> Result<Decoded, IngestError> {
    if text.trim().is_empty() {
        return Err(IngestError::Empty);
    }
    // Plain text (most files, in any encoding) holds nothing to check or unify.
    let text = if plain {
        text.into_owned()
    } else {
        check_text(&text)?;
        if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            unify_newlines(&text)
        } else {
            text.into_owned()
        }
    };
    Ok(Decoded {
        text,
        encoding,
        replaced,
    })
}

/// Bytes of a file that the statistical detector looks at.
const DETECT_SAMPLE: usize = 16 * 1024;

/// The text of `bytes` when they decode as GB18030 with no malformed sequence, non-ASCII
/// bytes make up at least a hundredth of the file, and most of them form CJK ideographs
/// (Latin-1 or other legacy prose, whose high bytes rarely pair into valid ideographs, does
/// not qualify).
fn clean_gb18030(bytes: &[u8]) -> Option<String> {
    let high = count_bytes(bytes, |b| !b.is_ascii());
    if high * 10 < bytes.len() / 10 {
        return None;
    }
    let text = GB18030.decode_without_bom_handling_and_without_replacement(bytes)?;
    (count_ideographs(&text) * 2 >= high / 4).then(|| text.into_owned())
}

/// How many of `bytes` satisfy `pred`, counted 255 at a time in `u8` lanes, which the
/// compiler turns into vector instructions (a plain `filter().count()` does not).
fn count_bytes(bytes: &[u8], pred: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(pred(b)))))
        .sum()
}

/// How many characters of `text` are CJK ideographs U+4E00..U+9FFF, counted on the bytes:
/// each is a three-byte sequence led by E5..E9, or by E4 followed by B8..BF (U+4E00..U+4FFF;
/// E4 80..B7 are U+4000..U+4DFF). Lead bytes are never continuation bytes, so in valid UTF-8
/// every match starts a character; the last byte cannot start a three-byte one.
fn count_ideographs(text: &str) -> usize {
    let b = text.as_bytes();
    let Some(rest) = b.get(1..) else { return 0 };
    let is_lead = |x: u8, next: u8| (x.wrapping_sub(0xe5) < 5) | ((x == 0xe4) & (next >= 0xb8));
    b.chunks(255)
        .zip(rest.chunks(255))
        .map(|(x, n)| {
            usize::from(
                x.iter()
                    .zip(n)
                    .fold(0u8, |k, (&x, &n)| k + u8::from(is_lead(x, n))),
            )
        })
        .sum()
}

/// What [`detect_invalid_utf8`] found.
enum Detected {
    /// GB18030 that decoded without an error: its text.
    CleanGb18030(String),
    /// Another encoding, still to be decoded.
    Other(&'static Encoding),
}

/// The encoding of bytes that are neither UTF-16 without BOM nor valid UTF-8 ([`decode`]
/// has ruled both out): UTF-8 with a few damaged bytes, or a legacy encoding.
fn detect_invalid_utf8(bytes: &[u8]) -> Detected {
    if is_mostly_utf8(bytes) {
        return Detected::Other(UTF_8);
    }
    // Chinese legacy text: bytes that decode as GB18030 without a single error, with a fair
    // share of double-byte characters, are GB18030. Much cheaper than a statistical guess.
    if let Some(text) = clean_gb18030(bytes) {
        return Detected::CleanGb18030(text);
    }
    // A prefix is plenty for chardetng, which otherwise runs every candidate over the file.
    let sample = &bytes[..bytes.len().min(DETECT_SAMPLE)];
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(sample, sample.len() == bytes.len());
    let guess = det.guess(Some(b"cn"), chardetng::Utf8Detection::Allow);
    // GBK and GB18030 are decoded the same way; GB18030 is the superset.
    Detected::Other(if guess == encoding_rs::GBK {
        GB18030
    } else {
        guess
    })
}

/// UTF-16 without a BOM: read in the byte order that makes more sense of it, nearly every code
/// unit of the first 4 KiB must be a character certificates are made of. Line ends, digits
/// and other ASCII carry a NUL high byte, so such a file holds NULs; CJK text has few of them
/// (and some on the other side of the pairs, from ideographs such as 开 U+5F00), so their
/// number decides nothing; binary data fails on its code units either way round.
///
/// An odd length is a file cut short (its last byte is replaced when decoded, and reported).
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    if bytes.len() < 4 {
        return None;
    }
    let sample = &bytes[..bytes.len().min(4096)];
    // Most files hold no NUL at all: one fast scan rules them out.
    memchr::memchr(0, sample)?;
    let textual = |unit: fn([u8; 2]) -> u16| {
        sample
            .chunks_exact(2)
            .filter(|p| is_text_unit(unit([p[0], p[1]])))
            .count()
    };
    let (le, be) = (textual(u16::from_le_bytes), textual(u16::from_be_bytes));
    // On a tie (ASCII read either way round makes text), NULs as high bytes decide.
    let nul_at = |first: usize| {
        sample
            .iter()
            .skip(first)
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    let (enc, best) = if le > be || (le == be && nul_at(1) >= nul_at(0)) {
        (UTF_16LE, le)
    } else {
        (UTF_16BE, be)
    };
    (best * 10 >= sample.len() / 2 * 9).then_some(enc)
}

/// A UTF-16 code unit of the kinds certificate text is made of: tab, line ends and form feed,
/// printable ASCII, Latin letters, general punctuation, CJK symbols and punctuation,
/// ideographs (extension A and the unified block), half of a surrogate pair (rarer
/// ideographs), and full-width forms.
fn is_text_unit(u: u16) -> bool {
    matches!(
        u,
        0x09 | 0x0a | 0x0c | 0x0d
            | 0x20..=0x7e
            | 0xa0..=0x24f
            | 0x2000..=0x206f
            | 0x3000..=0x303f
            | 0x3400..=0x9fff
            | 0xd800..=0xdfff
            | 0xff00..=0xffef
    )
}

/// Valid UTF-8, or UTF-8 with at most a few invalid sequences while most non-ASCII text
/// decodes cleanly: the signature of a UTF-8 file with a damaged byte, not of GBK (where almost
/// every lead byte is followed by an invalid continuation).
fn is_mostly_utf8(bytes: &[u8]) -> bool {
    let mut valid_multibyte = 0usize;
    let mut invalid = 0usize;
    let mut rest = bytes;
    // Characters beyond ASCII in valid UTF-8: one lead byte (0xC0 and up) each.
    let non_ascii = |valid: &[u8]| valid.iter().filter(|&&b| b >= 0xc0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                valid_multibyte += non_ascii(rest);
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid_multibyte += non_ascii(good);
                invalid += 1;
                // GBK text fails at nearly every character; past a few dozen failures with
                // less than ten valid characters for each, stop scanning.
                if invalid > 64 && invalid * 10 > valid_multibyte {
                    return false;
                }
                let skip = e.error_len().unwrap_or(after.len()).max(1);
                rest = &after[skip.min(after.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    invalid == 0 || (valid_multibyte >= 8 && invalid * 10 <= valid_multibyte)
}

fn decode_with(enc: &'static Encoding, body: &[u8]) -> (String, usize) {
    if enc == UTF_8 {
        // std replaces invalid sequences the way encoding_rs does (maximal subparts, as the
        // WHATWG Encoding Standard says) and is much faster on large files.
        return match simdutf8::basic::from_utf8(body) {
            Ok(s) => (s.to_string(), 0),
            Err(_) => {
                let text = String::from_utf8_lossy(body).into_owned();
                let replaced = count_replacements(&text);
                (text, replaced)
            }
        };
    }
    let (text, had_errors) = enc.decode_without_bom_handling(body);
    let replaced = if had_errors {
        count_replacements(&text)
    } else {
        0
    };
    (text.into_owned(), replaced)
}

/// How many U+FFFD the text holds: each a sequence that could not be decoded.
fn count_replacements(text: &str) -> usize {
    memchr::memmem::find_iter(text.as_bytes(), "\u{FFFD}").count()
}

/// Rejects text that is really binary: NUL bytes, or many control characters or U+FFFD.
/// This runs on every file, so each count is a fast pass: memchr for rare bytes, and u8
/// counters the compiler vectorizes for the control characters.
fn check_text(text: &str) -> Result<(), IngestError> {
    let bytes = text.as_bytes();
    if memchr::memchr(0, bytes).is_some() {
        let nul = memchr::memchr_iter(0, bytes).count();
        return Err(IngestError::Binary(format!("{nul} NUL characters")));
    }
    // Control characters (general category Cc) other than line breaks, tab and form feed:
    // U+0001–U+001F and U+007F are one byte, U+0080–U+009F are 0xC2 0x80–0x9F.
    let is_c0 =
        |b: u8| (b < 0x20) & (b != b'\n') & (b != b'\r') & (b != b'\t') & (b != 0x0c) | (b == 0x7f);
    let c0 = count_bytes(bytes, is_c0);
    let c1 = memchr::memchr_iter(0xc2, bytes)
        .filter(|&k| bytes.get(k + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
        .count();
    let replaced = count_replacements(text);
    let control = c0 + c1;
    // Clean text (nearly every file) needs no count of its characters.
    if control == 0 && replaced == 0 {
        return Ok(());
    }
    let total = text.chars().count();
    if control * 20 > total || replaced * 5 > total {
        return Err(IngestError::Binary(format!(
            "{control} control characters and {replaced} undecodable sequences in {total} characters"
        )));
    }
    Ok(())
}

fn unify_newlines(text: &str) -> String {
    // One pass from carriage return to carriage return (memchr finds them): `\r\n` and a lone
    // `\r` both become `\n`.
    let mut out = String::with_capacity(text.len());
    let mut start = 0;
    for cr in memchr::memchr_iter(b'\r', text.as_bytes()) {
        out.push_str(&text[start..cr]);
        out.push('\n');
        start = if text.as_bytes().get(cr + 1) == Some(&b'\n') {
            cr + 2
        } else {
            cr + 1
        };
    }
    // A `\r\n` at the very end leaves `start` one past the text.
    out.push_str(&text[start.min(text.len())..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str =
        "经营许可证编号：京B2-20224676\r\n特别规定事项\r\n一、你公司应当按照有关规定。\n";

    #[test]
    fn ideographs_counted_on_bytes_as_on_characters() {
        let by_chars = |t: &str| {
            t.chars()
                .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
                .count()
        };
        for t in [
            "",
            "a",
            "一",
            "\u{4dff}\u{4e00}\u{4fff}\u{5000}\u{9fff}\u{a000}\u{4000}",
            "经营许可证编号:京B2-20224676 一、你公司应当按照有关规定。䶵㐀鿿ꀀ",
            SAMPLE,
        ] {
            assert_eq!(count_ideographs(t), by_chars(t), "{t:?}");
        }
        // Every character from U+3000 to U+A0FF, at every offset within a 255-byte chunk.
        let all: String = ('\u{3000}'..='\u{a0ff}').collect();
        for skip in 0..4 {
            let t: String = "x".repeat(skip) + &all;
            assert_eq!(count_ideographs(&t), by_chars(&t));
        }
    }

    #[test]
    fn plain_bytes_are_those_no_closer_look_is_needed_for() {
        let reference = |b: &[u8]| {
            !b.iter().any(|&x| (x < 0x20 && x != b'\n') || x == 0x7f)
                && !b
                    .windows(2)
                    .any(|w| (w[0] == 0xc2 && w[1] < 0xa0) || w == [0xbf, 0xbd])
        };
        let base = "一、你公司应当按照有关规定。abc\n".repeat(8).into_bytes();
        let n = base.len();
        let check = |b: &[u8]| {
            let expected = reference(b);
            assert_eq!(is_plain(b), expected, "{b:?}");
            assert_eq!(is_plain_lanes(b), expected, "{b:?}");
        };
        check(&base);
        check(b"");
        check(b"\n");
        check(b"\r");
        // Every byte value at every position around the 64-byte chunks and at both ends.
        for pos in [0, 1, 2, 62, 63, 64, 65, 127, 128, n - 2, n - 1] {
            for value in 0..=255u8 {
                let mut b = base.clone();
                b[pos] = value;
                check(&b);
                // Every follower of the lead bytes that matter, across a chunk boundary too.
                if matches!(value, 0xc2 | 0xbf) && pos + 1 < n {
                    for next in 0..=255u8 {
                        b[pos + 1] = next;
                        check(&b);
                    }
                }
            }
        }
    }

    /// Decodes `bytes`, borrowed and owned, which must agree.
    fn dec(bytes: &[u8]) -> Decoded {
        let opts = IngestOptions::default();
        let decoded = decode(bytes, &opts).unwrap();
        assert_eq!(decode_owned(bytes.to_vec(), &opts), Ok(decoded.clone()));
        decoded
    }

    #[test]
    fn newlines_are_unified_like_two_replacements() {
        for t in [
            "",
            "a",
            "\r",
            "\n",
            "\r\n",
            "\r\r\n",
            "a\r\nb\rc\n",
            "\r\n\r",
            "甲\r\r乙\r\n",
        ] {
            let expected = t.replace("\r\n", "\n").replace('\r', "\n");
            assert_eq!(unify_newlines(t), expected, "{t:?}");
        }
    }

    #[test]
    fn utf8_plain_and_bom() {
        let d = dec(SAMPLE.as_bytes());
        assert_eq!(d.encoding, "UTF-8");
        assert!(!d.text.contains('\r'));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(SAMPLE.as_bytes());
        let d2 = dec(&bom);
        assert_eq!(d2.encoding, "UTF-8 (BOM)");
        assert_eq!(d2.text, d.text);
    }

    #[test]
    fn utf16_with_and_without_bom() {
        for (enc, bom) in [(UTF_16LE, [0xFF, 0xFE]), (UTF_16BE, [0xFE, 0xFF])] {
            let units: Vec<u16> = SAMPLE.encode_utf16().collect();
            let mut body = Vec::new();
            for u in units {
                let b = if enc == UTF_16LE {
                    u.to_le_bytes()
                } else {
                    u.to_be_bytes()
                };
                body.extend_from_slice(&b);
            }
            let mut with_bom = bom.to_vec();
            with_bom.extend_from_slice(&body);
            let d = dec(&with_bom);
            assert_eq!(d.encoding, enc.name());
            assert!(d.text.starts_with("经营许可证编号"));
            let d = dec(&body);
            assert_eq!(d.encoding, enc.name(), "without BOM");
            assert!(d.text.contains("特别规定事项"));
        }
    }

    #[test]
    fn utf16_without_bom_in_cjk_dense_text() {
        // One line of ideographs per ASCII line end: a tenth of the units carry a NUL.
        let text = "你公司应当按照有关规定开展增值电信业务经营活动。\n".repeat(40);
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(dec(&le).encoding, "UTF-16LE");
        assert_eq!(dec(&be).encoding, "UTF-16BE");
        assert_eq!(dec(&le).text, text);
        assert_eq!(dec(&be).text, text);
        // NULs on one side of the pairs, but code units no text is made of.
        let junk: Vec<u8> = (0..4096u32)
            .map(|i| if i % 2 == 1 { 0 } else { (i * 7 % 32) as u8 })
            .collect();
        assert_eq!(utf16_without_bom(&junk), None);
        let binary: Vec<u8> = (0..=255u8).cycle().take(2048).collect();
        assert_eq!(utf16_without_bom(&binary), None);
        // Cut short by one byte: still UTF-16, the half character replaced and counted.
        let d = dec(&le[..le.len() - 1]);
        assert_eq!((d.encoding.as_str(), d.replaced), ("UTF-16LE", 1));
        assert!(d.text.starts_with("你公司应当"));
        assert!(d.text.ends_with("经营活动。\u{FFFD}"));
    }

    #[test]
    fn gb18030_is_detected() {
        let text = SAMPLE.repeat(3);
        let (bytes, _, _) = GB18030.encode(&text);
        let d = dec(&bytes);
        assert_eq!(d.encoding, "GB18030");
        assert!(d.text.contains("你公司应当按照有关规定"));
        assert_eq!(d.replaced, 0);
    }

    #[test]
    fn mostly_utf8_with_a_bad_byte_stays_utf8() {
        let mut bytes = SAMPLE.repeat(4).into_bytes();
        bytes.insert(21, 0xFF); // after 经营许可证编号, on a character boundary
        let d = dec(&bytes);
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.replaced, 1);
        assert!(d.text.contains("你公司应当按照有关规定"));
    }

    #[test]
    fn explicit_encoding_is_used() {
        let (bytes, _, _) = GB18030.encode(SAMPLE);
        let opts = IngestOptions {
            encoding: Some("gbk".into()),
        };
        let d = decode(&bytes, &opts).unwrap();
        assert!(d.text.contains("特别规定事项"));
        let bad = IngestOptions {
            encoding: Some("klingon".into()),
        };
        assert!(matches!(
            decode(&bytes, &bad),
            Err(IngestError::UnknownEncoding(_))
        ));
    }

    #[test]
    fn empty_and_binary_are_errors() {
        assert_eq!(
            decode(b"", &IngestOptions::default()),
            Err(IngestError::Empty)
        );
        assert_eq!(
            decode(b" \n\r\n ", &IngestOptions::default()),
            Err(IngestError::Empty)
        );
        let binary: Vec<u8> = (0..2000u32).map(|i| (i * 7 % 256) as u8).collect();
        assert!(matches!(
            decode(&binary, &IngestOptions::default()),
            Err(IngestError::Binary(_))
        ));
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
        assert_eq!(
            decode(png, &IngestOptions::default()),
            Err(IngestError::NotText(FileKind::Image("PNG")))
        );
        // Known before any encoding is tried, even one the user forces.
        let pdf = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
        let forced = IngestOptions {
            encoding: Some("utf-8".into()),
        };
        assert_eq!(
            decode(pdf, &forced),
            Err(IngestError::NotText(FileKind::Pdf))
        );
    }

    #[test]
    fn control_characters_are_counted_like_char_is_control() {
        // C0 and C1 controls count, line breaks, tab and form feed do not.
        let mut text = "正文\n\t\u{c}\r".repeat(20);
        assert!(check_text(&text).is_ok());
        text.push_str("\u{1}\u{7f}\u{85}\u{9f}");
        let total = text.chars().count();
        let reference = text
            .chars()
            .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            .count();
        assert_eq!(reference, 4);
        assert!(reference * 20 <= total, "still text");
        assert!(check_text(&text).is_ok());
        let noisy = "\u{1}\u{85}a".repeat(10);
        assert!(
            matches!(check_text(&noisy), Err(IngestError::Binary(m)) if m.starts_with("20 control"))
        );
        assert!(
            matches!(check_text("a\0b"), Err(IngestError::Binary(m)) if m == "1 NUL characters")
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_like_encoding_rs() {
        for bytes in [
            &b"\xe4\xbd\xa0\xe5\xa5\xbd\xff\xe4\xbd"[..],
            b"\xf0\x9f\x98",
            b"a\xc0\xafb\xed\xa0\x80c",
            b"\xef\xbf\xbd literal \x80",
        ] {
            let (ours, n) = decode_with(UTF_8, bytes);
            let (theirs, _) = UTF_8.decode_without_bom_handling(bytes);
            assert_eq!(ours, theirs, "{bytes:?}");
            assert_eq!(n, theirs.matches('\u{FFFD}').count());
        }
    }

    #[test]
    fn newlines_are_unified() {
        let d = dec("a\r\nb\rc\nd".as_bytes());
        assert_eq!(d.text, "a\nb\nc\nd");
    }

    proptest::proptest! {
        /// The byte-level counts of `check_text` agree with counting characters.
        #[test]
        fn check_text_counts_like_chars(text in "[a正\n\t\u{1}\u{7f}\u{85}\u{9f}\u{a0}\u{fffd}\u{ff0c}]{0,300}") {
            let total = text.chars().count();
            let control = text
                .chars()
                .filter(|&c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
                .count();
            let replaced = text.matches('\u{fffd}').count();
            let expected_ok = !(control * 20 > total || replaced * 5 > total);
            proptest::prop_assert_eq!(check_text(&text).is_ok(), expected_ok);
            if !expected_ok {
                let msg = format!(
                    "the file is binary data, not text ({control} control characters and {replaced} undecodable sequences in {total} characters)"
                );
                proptest::prop_assert_eq!(check_text(&text).unwrap_err().to_string(), msg);
            }
        }
    }
}
