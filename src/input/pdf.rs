//! A PDF to what each page needs: the lines of its text layer, read in process with
//! pdf-extract, or an image for the OCR engine.
//!
//! * A page is read from its text layer when its content shows text (`Tj`/`TJ`/`'`/`"`, also
//!   inside form XObjects) and, if it also draws an image, that layer holds at least
//!   [`OcrOptions::min_chars_per_page`] characters with at most 10 % replacement, control or
//!   private-use characters (a scan with a page number on top, or fonts without a usable
//!   ToUnicode map, are OCR'd). pdf-extract reads ToUnicode of CID TrueType subsets and of
//!   Chromium's Type 3 fonts, which lopdf's own extraction garbles; its lines are the printed
//!   lines, with a blank line after each (dropped here) and a space at each visible gap
//!   (normalization removes them).
//! * A page that draws exactly one image and shows no text has that image handed to the engine:
//!   JPEG (`DCTDecode`) bytes unchanged; CCITT G4 wrapped, undecoded, in a TIFF; raw samples
//!   (`FlateDecode`, `LZWDecode`, none) as an uncompressed TIFF ([`super::tiff`]). Everything
//!   else (JBIG2, JPX, CMYK, masks, `/Decode`, several images, vector pages) is rendered by
//!   pdftoppm. The in-process images give the engine exactly the text the page files give.

use pdf_extract::{Dictionary, Document, Object, ObjectId, Stream};

use super::error::InputError;
use super::ocr::OcrOptions;
use super::tiff::{Tiff, TiffCompression};

/// An image tesseract can read, as bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct PageImage {
    /// The encoded image.
    pub bytes: Vec<u8>,
    /// File extension tesseract/leptonica recognise it by (`jpg`, `tif`, `png`).
    pub ext: &'static str,
    /// Resolution, when known (passed as `--dpi`).
    pub dpi: Option<u32>,
}

/// What to do with one PDF page.
#[derive(Debug, Clone, PartialEq)]
pub enum PagePlan {
    /// The text layer is usable: these are its lines.
    Text(Vec<String>),
    /// OCR this image (extracted in process).
    Image(PageImage),
    /// Render the page with pdftoppm, then OCR it; `reason` says why it was not extracted.
    Render {
        /// Why the embedded image was not used.
        reason: String,
    },
}

/// What a page's content shows, found by walking its content stream (and form XObjects).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageScan {
    /// Text-showing operators (`Tj`, `TJ`, `'`, `"`).
    pub text_ops: usize,
    /// Image XObjects drawn (`Do`), in order.
    pub images: Vec<ObjectId>,
    /// Inline images (`BI … EI`).
    pub inline_images: usize,
}

/// Opens a PDF, decrypting it with the empty password if it has one.
pub fn open_pdf(bytes: &[u8], name: &str) -> Result<Document, InputError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| match e {
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::InvalidPassword => {
            InputError::PdfEncrypted {
                path: name.to_string(),
            }
        }
        e => InputError::PdfUnreadable {
            path: name.to_string(),
            reason: e.to_string(),
        },
    })?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(InputError::PdfEncrypted {
            path: name.to_string(),
        });
    }
    if doc.get_pages().is_empty() {
        return Err(InputError::PdfUnreadable {
            path: name.to_string(),
            reason: "no pages".into(),
        });
    }
    Ok(doc)
}

/// Walks a page's content for text-showing operators and drawn images: the cheap test of
/// whether a page has a text layer (about 1 ms per page; no font is parsed).
pub fn scan_page(doc: &Document, page_id: ObjectId) -> PageScan {
    let mut scan = PageScan::default();
    let resources = page_resources(doc, page_id);
    if let Ok(content) = doc.get_page_content(page_id) {
        scan_content(doc, &content, &resources, 0, &mut scan);
    }
    scan
}

/// The page's resource dictionaries, nearest first (inherited ones after).
fn page_resources(doc: &Document, page_id: ObjectId) -> Vec<&Dictionary> {
    let mut out = Vec::new();
    if let Ok((own, inherited)) = doc.get_page_resources(page_id) {
        out.extend(own);
        out.extend(
            inherited
                .into_iter()
                .filter_map(|id| doc.get_dictionary(id).ok()),
        );
    }
    out
}

fn deref<'a>(doc: &'a Document, obj: &'a Object) -> Option<&'a Object> {
    doc.dereference(obj).ok().map(|(_, o)| o)
}

fn xobject<'a>(
    doc: &'a Document,
    resources: &[&'a Dictionary],
    name: &[u8],
) -> Option<(ObjectId, &'a Stream)> {
    for res in resources {
        let Some(Object::Dictionary(xobjects)) =
            res.get(b"XObject").ok().and_then(|o| deref(doc, o))
        else {
            continue;
        };
        if let Ok(Object::Reference(id)) = xobjects.get(name)
            && let Ok(Object::Stream(s)) = doc.get_object(*id)
        {
            return Some((*id, s));
        }
    }
    None
}

fn scan_content(
    doc: &Document,
    content: &[u8],
    resources: &[&Dictionary],
    depth: u8,
    scan: &mut PageScan,
) {
    let Ok(ops) = pdf_extract::content::Content::decode(content) else {
        return;
    };
    for op in &ops.operations {
        match op.operator.as_str() {
            "Tj" | "TJ" | "'" | "\"" => scan.text_ops += 1,
            "BI" | "ID" | "EI" => scan.inline_images += usize::from(op.operator == "BI"),
            "Do" => {
                let Some(Ok(name)) = op.operands.first().map(Object::as_name) else {
                    continue;
                };
                let Some((id, stream)) = xobject(doc, resources, name) else {
                    continue;
                };
                match stream.dict.get(b"Subtype").and_then(Object::as_name) {
                    Ok(b"Image") => scan.images.push(id),
                    Ok(b"Form") if depth < 4 => {
                        let mut inner: Vec<&Dictionary> = Vec::new();
                        if let Some(Object::Dictionary(d)) = stream
                            .dict
                            .get(b"Resources")
                            .ok()
                            .and_then(|o| deref(doc, o))
                        {
                            inner.push(d);
                        }
                        inner.extend_from_slice(resources);
                        if let Ok(c) = stream.decompressed_content() {
                            scan_content(doc, &c, &inner, depth + 1, scan);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Extracts one page's text layer with pdf-extract, as lines (blank lines dropped, trailing
/// spaces trimmed). pdf-extract can panic on malformed fonts: that is caught and reported.
pub fn page_text_lines(doc: &Document, page: u32, name: &str) -> Result<Vec<String>, InputError> {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut s = String::new();
        let mut out = pdf_extract::PlainTextOutput::new(&mut s);
        pdf_extract::output_doc_page(doc, &mut out, page).map(|()| s)
    }));
    let text = match run {
        Ok(Ok(s)) => s,
        Ok(Err(e)) => {
            return Err(InputError::PdfUnreadable {
                path: name.to_string(),
                reason: format!("page {page}: {e:?}"),
            });
        }
        Err(_) => {
            return Err(InputError::PdfUnreadable {
                path: name.to_string(),
                reason: format!("page {page}: the text extractor panicked"),
            });
        }
    };
    Ok(text
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect())
}

/// Whether extracted text is a usable text layer rather than an empty one (a scan with a page
/// number on top) or garbage (fonts without a usable ToUnicode map).
pub fn text_is_usable(lines: &[String], min_chars: usize) -> bool {
    let (mut n, mut bad) = (0usize, 0usize);
    for c in lines
        .iter()
        .flat_map(|l| l.chars())
        .filter(|c| !c.is_whitespace())
    {
        n += 1;
        let cp = c as u32;
        if c == '\u{fffd}' || c.is_control() || (0xE000..=0xF8FF).contains(&cp) || cp >= 0xF0000 {
            bad += 1;
        }
    }
    n >= min_chars && bad * 10 <= n
}

/// Decides, page by page, how to read a PDF: its text layer, its embedded image, or a
/// rendering. Returns one plan per page, in page order.
pub fn plan_pdf(
    doc: &Document,
    name: &str,
    opts: &OcrOptions,
) -> Result<Vec<PagePlan>, InputError> {
    let mut plans = Vec::new();
    for (&number, &page_id) in &doc.get_pages() {
        let scan = scan_page(doc, page_id);
        if scan.text_ops > 0 {
            let lines = page_text_lines(doc, number, name)?;
            let has_images = !scan.images.is_empty() || scan.inline_images > 0;
            // A page with nothing but text: its text layer is all there is to read.
            if text_is_usable(
                &lines,
                if has_images {
                    opts.min_chars_per_page
                } else {
                    1
                },
            ) {
                plans.push(PagePlan::Text(lines));
                continue;
            }
        }
        let plan = if scan.text_ops > 0 {
            PagePlan::Render {
                reason: "text layer unusable".into(),
            }
        } else if scan.inline_images > 0 || scan.images.len() != 1 {
            PagePlan::Render {
                reason: format!("{} images drawn", scan.images.len() + scan.inline_images),
            }
        } else {
            let width_pt = media_box_width(doc, page_id);
            match doc.get_object(scan.images[0]).and_then(Object::as_stream) {
                Ok(stream) => match page_image(stream, width_pt) {
                    Ok(img) => PagePlan::Image(img),
                    Err(reason) => PagePlan::Render { reason },
                },
                Err(e) => PagePlan::Render {
                    reason: e.to_string(),
                },
            }
        };
        plans.push(plan);
    }
    Ok(plans)
}

fn media_box_width(doc: &Document, page_id: ObjectId) -> Option<f64> {
    let mut dict = doc.get_dictionary(page_id).ok()?;
    for _ in 0..16 {
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox").map(|o| deref(doc, o).unwrap_or(o)) {
            let n: Vec<f64> = a.iter().filter_map(|o| num(deref(doc, o)?)).collect();
            return (n.len() == 4).then(|| (n[2] - n[0]).abs());
        }
        dict = doc
            .get_dictionary(dict.get(b"Parent").ok()?.as_reference().ok()?)
            .ok()?;
    }
    None
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) => Some(*r as f64),
        _ => None,
    }
}

fn dict_int(d: &Dictionary, key: &[u8]) -> Option<i64> {
    d.get(key).ok().and_then(|o| o.as_i64().ok())
}

fn dict_bool(d: &Dictionary, key: &[u8]) -> Option<bool> {
    d.get(key).ok().and_then(|o| o.as_bool().ok())
}

/// Turns an image XObject into bytes tesseract reads, without decoding when it can; `Err` says
/// why the page should be rendered instead. `page_width_pt` gives the resolution.
pub fn page_image(stream: &Stream, page_width_pt: Option<f64>) -> Result<PageImage, String> {
    let d = &stream.dict;
    let width = dict_int(d, b"Width")
        .filter(|&w| w > 0 && w < 1 << 16)
        .ok_or("no valid /Width")? as u32;
    let height = dict_int(d, b"Height")
        .filter(|&h| h > 0 && h < 1 << 16)
        .ok_or("no valid /Height")? as u32;
    if dict_bool(d, b"ImageMask") == Some(true)
        || d.has(b"SMask")
        || d.has(b"Mask")
        || d.has(b"Decode")
    {
        return Err("mask or /Decode".into());
    }
    let dpi = page_width_pt
        .filter(|&w| w > 1.0)
        .map(|w| (width as f64 * 72.0 / w).round() as u32);
    let filters: Vec<Vec<u8>> = stream
        .filters()
        .map(|f| f.iter().map(|n| n.to_vec()).collect())
        .unwrap_or_default();
    // DecodeParms: a dictionary, or an array with one per filter (img2pdf writes an array).
    let parms = match d.get(b"DecodeParms") {
        Ok(Object::Dictionary(p)) => Some(p),
        Ok(Object::Array(a)) if a.len() == 1 => a[0].as_dict().ok(),
        Ok(Object::Array(a)) if a.is_empty() => None,
        Ok(Object::Null) | Err(_) => None,
        Ok(_) => return Err("unsupported /DecodeParms".into()),
    };
    let components = color_components(d).ok_or("unsupported colour space")?;
    if width as u64 * height as u64 * components as u64 > 300_000_000 {
        return Err("image larger than 300 megasamples".into());
    }
    let bpc = dict_int(d, b"BitsPerComponent").unwrap_or(8);
    match filters
        .iter()
        .map(Vec::as_slice)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [b"DCTDecode"] => {
            if components == 4 {
                return Err("CMYK JPEG".into());
            }
            Ok(PageImage {
                bytes: stream.content.clone(),
                ext: "jpg",
                dpi,
            })
        }
        [b"CCITTFaxDecode"] => {
            let k = parms.and_then(|p| dict_int(p, b"K")).unwrap_or(0);
            let cols = parms.and_then(|p| dict_int(p, b"Columns")).unwrap_or(1728) as u32;
            let rows = parms
                .and_then(|p| dict_int(p, b"Rows"))
                .map(|r| r as u32)
                .unwrap_or(height);
            let black_is_1 = parms
                .and_then(|p| dict_bool(p, b"BlackIs1"))
                .unwrap_or(false);
            if k >= 0 {
                return Err("CCITT group 3 (only group 4 is passed through)".into());
            }
            if parms.and_then(|p| dict_bool(p, b"EncodedByteAlign")) == Some(true) {
                return Err("CCITT EncodedByteAlign".into());
            }
            if cols != width || rows != height {
                return Err("CCITT size differs from the image size".into());
            }
            let tiff = Tiff {
                width,
                height,
                bits: 1,
                samples: 1,
                compression: TiffCompression::CcittG4,
                // The code's white runs are 0 bits (TIFF's fax convention); DeviceGray shows 0 as
                // black. BlackIs1 false (the default, fax-like): white runs show white = TIFF
                // WhiteIsZero (0). BlackIs1 true (img2pdf): white runs show black = BlackIsZero (1).
                photometric: if black_is_1 { 1 } else { 0 },
                dpi,
            };
            Ok(PageImage {
                bytes: tiff.encode(&stream.content),
                ext: "tif",
                dpi,
            })
        }
        [] | [b"FlateDecode"] | [b"LZWDecode"] => {
            if parms.and_then(|p| dict_int(p, b"Predictor")).unwrap_or(1) > 1
                && !matches!(d.get(b"DecodeParms"), Ok(Object::Dictionary(_)))
            {
                return Err("predictor in a /DecodeParms array".into());
            }
            if !(bpc == 8 || (bpc == 1 && components == 1)) || components == 4 {
                return Err(format!("{components} components at {bpc} bits"));
            }
            let raw = stream.decompressed_content().map_err(|e| e.to_string())?;
            let row = (width as usize * components * bpc as usize).div_ceil(8);
            if raw.len() < row * height as usize {
                return Err("image data shorter than its size".into());
            }
            let tiff = Tiff {
                width,
                height,
                bits: bpc as u16,
                samples: components as u16,
                compression: TiffCompression::None,
                // DeviceGray: 0 is black = TIFF BlackIsZero (1); RGB = 2.
                photometric: if components == 3 { 2 } else { 1 },
                dpi,
            };
            Ok(PageImage {
                bytes: tiff.encode(&raw[..row * height as usize]),
                ext: "tif",
                dpi,
            })
        }
        other => Err(format!(
            "filter {}",
            other
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect::<Vec<_>>()
                .join("+")
        )),
    }
}

/// Number of colour components of an image's colour space; `None` for Indexed, Separation,
/// DeviceN, Lab and anything else tesseract would need converted.
fn color_components(d: &Dictionary) -> Option<usize> {
    let cs = d.get(b"ColorSpace").ok()?;
    let n = match cs {
        Object::Name(n) => match n.as_slice() {
            b"DeviceGray" | b"CalGray" => 1,
            b"DeviceRGB" | b"CalRGB" => 3,
            b"DeviceCMYK" => 4,
            _ => return None,
        },
        Object::Array(a) => match a.first().and_then(|o| o.as_name().ok())? {
            b"CalGray" => 1,
            b"CalRGB" => 3,
            // ICCBased: /N in the profile stream; without the document we cannot follow the
            // reference, so accept only a direct stream.
            b"ICCBased" => match a.get(1)? {
                Object::Stream(s) => dict_int(&s.dict, b"N")? as usize,
                _ => return None,
            },
            _ => return None,
        },
        _ => return None,
    };
    Some(n)
}
