//! Bytes to the kind of document they are, for the formats that are not certificate text (a
//! PDF, a Word document, a scan or an archive, renamed `.txt` or not): PDFs and images are
//! read as what they are ([`crate::parse::scan_kind`]); for the others, what to do with each:
//! the messages are all here.
//!
//! Every signature is checked at the start of the file, strictly enough that no text file
//! matches it: each holds a control byte or a byte sequence no text starts with. Office
//! documents are told apart by the entries of their ZIP file, and by `infer` for OpenDocument
//! and for the class of an OLE2 compound file (the legacy binary formats).

use std::fmt;

/// A kind of file that is not plain text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A PDF document.
    Pdf,
    /// An image, with its format's name (`PNG`).
    Image(&'static str),
    /// A word-processor document or spreadsheet, described (`a Word document (.docx)`).
    Document(&'static str),
    /// An archive or compressed file, described (`a ZIP archive`).
    Archive(&'static str),
}

impl FileKind {
    /// What the file is, with an article: `a PDF document`, `an image (PNG)`.
    pub fn what(self) -> String {
        match self {
            FileKind::Pdf => "a PDF document".to_string(),
            FileKind::Image(format) => format!("an image ({format})"),
            FileKind::Document(what) | FileKind::Archive(what) => what.to_string(),
        }
    }
}

impl fmt::Display for FileKind {
    /// What the file is and what to do, for an error message after the file's name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = self.what();
        match self {
            FileKind::Pdf => write!(f, "{what}, not text: read it as a PDF"),
            FileKind::Image(_) => write!(f, "{what}, not text: read it by OCR"),
            FileKind::Document(_) => write!(
                f,
                "{what}, not text: save it as plain text (UTF-8) and try again"
            ),
            FileKind::Archive(_) => write!(
                f,
                "{what}, not text: unpack it and give provdiff the text files inside"
            ),
        }
    }
}

/// The kind of file `bytes` hold, when they start with the signature of a known format that
/// is not plain text.
pub fn detect(bytes: &[u8]) -> Option<FileKind> {
    // Every signature starts with one of these bytes; text files rarely do, and leave here.
    let first = *bytes.first()?;
    if !matches!(
        first,
        b'%' | b'{' | b'P' | 0xd0 | 0x1f | b'7' | b'R' | 0x89 | 0xff | b'G' | b'I' | b'M' | b'B'
    ) {
        return None;
    }
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    let kind = if starts(b"%PDF-") {
        FileKind::Pdf
    } else if starts(b"{\\rtf") {
        FileKind::Document("an RTF document (.rtf)")
    } else if starts(b"PK\x03\x04") || starts(b"PK\x05\x06") {
        zip(bytes)
    } else if starts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        ole2(bytes)
    } else if starts(b"\x1f\x8b\x08") {
        FileKind::Archive("a gzip-compressed file")
    } else if starts(b"7z\xbc\xaf\x27\x1c") {
        FileKind::Archive("a 7z archive")
    } else if starts(b"Rar!\x1a\x07") {
        FileKind::Archive("a RAR archive")
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        FileKind::Image("PNG")
    } else if starts(b"\xff\xd8\xff") {
        FileKind::Image("JPEG")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        FileKind::Image("GIF")
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        FileKind::Image("TIFF")
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        FileKind::Image("WebP")
    } else if starts(b"BM") && bytes.get(6..10) == Some(&[0; 4]) {
        // The two bytes `BM`, then the file size and four reserved zero bytes.
        FileKind::Image("BMP")
    } else {
        return None;
    };
    Some(kind)
}

/// A ZIP file: an Office Open XML or OpenDocument file by its entries, else an archive.
///
/// Office Open XML is known by the name of its main part, which the local header of that
/// entry and the central directory both hold. (`infer` 0.22 names a `.docx` only when both its
/// third and fourth entries lie under `word/`, and calls a three-entry one generic.)
fn zip(bytes: &[u8]) -> FileKind {
    let has = |name: &str| memchr::memmem::find(bytes, name.as_bytes()).is_some();
    FileKind::Document(if has("word/document.xml") {
        "a Word document (.docx)"
    } else if has("xl/workbook.xml") {
        "an Excel workbook (.xlsx)"
    } else if has("ppt/presentation.xml") {
        "a PowerPoint presentation (.pptx)"
    } else if infer::odf::is_odt(bytes) {
        "an OpenDocument text (.odt)"
    } else if infer::odf::is_ods(bytes) {
        "an OpenDocument spreadsheet (.ods)"
    } else if infer::odf::is_odp(bytes) {
        "an OpenDocument presentation (.odp)"
    } else if has("[Content_Types].xml") {
        "an Office Open XML document"
    } else {
        return FileKind::Archive("a ZIP archive");
    })
}

/// An OLE2 compound file: the legacy binary Office formats.
fn ole2(bytes: &[u8]) -> FileKind {
    use infer::doc;
    FileKind::Document(if doc::is_doc(bytes) {
        "a Word 97-2003 document (.doc)"
    } else if doc::is_xls(bytes) {
        "an Excel 97-2003 workbook (.xls)"
    } else if doc::is_ppt(bytes) {
        "a PowerPoint 97-2003 presentation (.ppt)"
    } else {
        "a Microsoft Office file in the old binary format (.doc, .xls, .ppt)"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A ZIP file whose entries are `names`, stored empty (enough for the signatures).
    fn zip_of(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        for name in names {
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]); // CRC, compressed and uncompressed sizes
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
        }
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 18]);
        out
    }

    #[test]
    fn signatures_are_recognised() {
        let word = zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        let excel = zip_of(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"]);
        let mut odt = zip_of(&["mimetype"]);
        odt.splice(
            38..38,
            b"application/vnd.oasis.opendocument.text".iter().copied(),
        );
        let cases: Vec<(Vec<u8>, &str)> = vec![
            (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec(), "a PDF document"),
            (
                b"{\\rtf1\\ansi\\ansicpg936 ".to_vec(),
                "an RTF document (.rtf)",
            ),
            (word, "a Word document (.docx)"),
            (excel, "an Excel workbook (.xlsx)"),
            (odt, "an OpenDocument text (.odt)"),
            (zip_of(&["notes.txt"]), "a ZIP archive"),
            (
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\0\0".to_vec(),
                "a Microsoft Office file in the old binary format (.doc, .xls, .ppt)",
            ),
            (b"\x1f\x8b\x08\0\0\0".to_vec(), "a gzip-compressed file"),
            (b"7z\xbc\xaf\x27\x1c\0\x04".to_vec(), "a 7z archive"),
            (b"Rar!\x1a\x07\x01\0".to_vec(), "a RAR archive"),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec(), "an image (PNG)"),
            (b"\xff\xd8\xff\xe0\0\x10JFIF".to_vec(), "an image (JPEG)"),
            (b"GIF89a\x01\0\x01\0".to_vec(), "an image (GIF)"),
            (b"II*\0\x08\0\0\0\0\0".to_vec(), "an image (TIFF)"),
            (b"MM\0*\0\0\0\x08\0\0".to_vec(), "an image (TIFF)"),
            (b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(), "an image (WebP)"),
            (b"BM\x36\x0c\0\0\0\0\0\0\x36\0".to_vec(), "an image (BMP)"),
        ];
        for (bytes, what) in cases {
            assert_eq!(detect(&bytes).map(FileKind::what).as_deref(), Some(what));
        }
    }

    #[test]
    fn text_is_no_known_format() {
        for text in [
            "",
            "中华人民共和国增值电信业务经营许可证",
            "B2-20160073",
            "BM公司",
            "BMW",
            "GIF",
            "PK",
            "Page 2",
            "%PDF is a format",
            "{\\rt",
            "RIFF",
            "II",
            "MM",
            "7z",
            "Rar!",
            "特别规定事项",
        ] {
            assert_eq!(detect(text.as_bytes()), None, "{text}");
        }
        // Text in the encodings provdiff reads: UTF-16 (with a BOM or without) and GB18030.
        let sample = "经营许可证编号:京B2-20224676\n特别规定事项\n一、你公司应当。";
        let le: Vec<u8> = sample.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = sample.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let gb = encoding_rs::GB18030.encode(sample).0.into_owned();
        for bytes in [
            le.clone(),
            be.clone(),
            gb,
            [&[0xff, 0xfe][..], &le].concat(),
        ] {
            assert_eq!(detect(&bytes), None, "{bytes:?}");
        }
    }

    #[test]
    fn messages_say_what_to_do() {
        assert_eq!(
            FileKind::Pdf.to_string(),
            "a PDF document, not text: read it as a PDF"
        );
        assert_eq!(
            FileKind::Image("PNG").to_string(),
            "an image (PNG), not text: read it by OCR"
        );
        assert_eq!(
            detect(&zip_of(&[
                "[Content_Types].xml",
                "_rels/.rels",
                "word/document.xml"
            ]))
            .unwrap()
            .to_string(),
            "a Word document (.docx), not text: save it as plain text (UTF-8) and try again"
        );
        assert_eq!(
            FileKind::Archive("a ZIP archive").to_string(),
            "a ZIP archive, not text: unpack it and give provdiff the text files inside"
        );
    }
}
