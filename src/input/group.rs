//! Page images to certificates: `STEM-1.png`, `STEM-2.png`… (also `STEM_p1`, `STEM-p1`,
//! `STEM_page1`, `STEM-page1`, any case, leading zeros allowed) in one folder are the pages of
//! one certificate, read in page order when its first page is read. A set without a first
//! page is read page by page, each page a file of its own.

use std::path::{Path, PathBuf};

/// Image extensions read by OCR (lower case).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "tif", "tiff"];

/// Whether `path` is named as an image provdiff reads.
pub fn is_image_name(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Splits a file stem named as a page (`cert-2`, `cert_p2`, `cert-page02`) into the
/// certificate's stem and the page number. Page numbers have at most three digits, so that
/// `licence-2023` is no page 2023, and the stem must not be empty.
pub fn page_suffix(file_stem: &str) -> Option<(&str, u32)> {
    let digits = file_stem.len()
        - file_stem
            .trim_end_matches(|c: char| c.is_ascii_digit())
            .len();
    if digits == 0 || digits > 3 {
        return None;
    }
    let (head, num) = file_stem.split_at(file_stem.len() - digits);
    let n: u32 = num.parse().ok()?;
    let lower = head.to_ascii_lowercase();
    for sep in ["-page", "_page", "-p", "_p", "-"] {
        if lower.ends_with(sep) && head.len() > sep.len() {
            return Some((&head[..head.len() - sep.len()], n));
        }
    }
    None
}

/// A page image's place in its set: the folder, the stem and page-name style, the extension
/// as written, and the page number.
struct PageName<'a> {
    folder: &'a Path,
    /// `cert-` of `cert-2.png`, `cert_p` of `cert_p2.png`.
    head: &'a str,
    ext: &'a str,
    number: u32,
}

fn page_name(path: &Path) -> Option<PageName<'_>> {
    if !is_image_name(path) {
        return None;
    }
    let stem = path.file_stem()?.to_str()?;
    let (_, number) = page_suffix(stem)?;
    let digits = stem.len() - stem.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    Some(PageName {
        folder: path.parent().unwrap_or(Path::new("")),
        head: &stem[..stem.len() - digits],
        ext: path.extension()?.to_str()?,
        number,
    })
}

/// The file of page `n` of the set `p` belongs to, if there is one (any zero padding to three
/// digits).
fn page_file(p: &PageName, n: u32) -> Option<PathBuf> {
    let mut names = vec![format!("{n}"), format!("{n:02}"), format!("{n:03}")];
    names.dedup();
    names
        .into_iter()
        .map(|num| p.folder.join(format!("{}{num}.{}", p.head, p.ext)))
        .find(|f| f.is_file())
}

/// Whether `path` is a later page (2, 3 …) of a certificate in page images whose pages before
/// it are all beside it: reading the first page reads it ([`pages_from_first`]), so a
/// directory walk leaves it out. A page after a gap is no later page: it is read on its own.
pub fn is_later_page(path: &Path) -> bool {
    let Some(p) = page_name(path) else {
        return false;
    };
    p.number > 1 && (1..p.number).all(|n| page_file(&p, n).is_some())
}

/// When `path` is the first page of a certificate in page images (`STEM-1.png`), its pages in
/// order: `STEM-2.png`, `STEM-3.png`… beside it (same stem, page-name style and extension,
/// any zero padding), up to the first number missing; `None` for any other file, or a first
/// page alone.
pub fn pages_from_first(path: &Path) -> Option<Vec<PathBuf>> {
    let first = page_name(path).filter(|p| p.number == 1)?;
    let mut pages = vec![path.to_path_buf()];
    while let Some(next) = page_file(&first, pages.len() as u32 + 1) {
        pages.push(next);
    }
    (pages.len() > 1).then_some(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_suffixes() {
        assert_eq!(page_suffix("cert-2"), Some(("cert", 2)));
        assert_eq!(page_suffix("cert_p12"), Some(("cert", 12)));
        assert_eq!(page_suffix("cert_page3"), Some(("cert", 3)));
        assert_eq!(page_suffix("cert-Page03"), Some(("cert", 3)));
        assert_eq!(
            page_suffix("fixture01_cceaa67b-1"),
            Some(("fixture01_cceaa67b", 1))
        );
        assert_eq!(page_suffix("B2-20224676"), None);
        assert_eq!(page_suffix("licence-2023"), None);
        assert_eq!(page_suffix("scan_001"), None);
        assert_eq!(page_suffix("cert"), None);
        assert_eq!(page_suffix("-1"), None);
    }

    #[test]
    fn a_first_page_brings_its_set_and_later_pages_are_left_to_it() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in [
            "cert-1.png",
            "cert-2.png",
            "cert-10.png",
            "cert-2.jpg",
            "cert_p3.png",
            "cert.txt",
            "alone-1.png",
            "orphan-2.png",
            "orphan-3.png",
            "gap-1.png",
            "gap-3.png",
            "scan_P01.tif",
            "scan_P2.tif",
        ] {
            std::fs::write(d.join(name), b"x").unwrap();
        }
        let names = |paths: Vec<PathBuf>| -> Vec<String> {
            paths
                .iter()
                .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
                .collect()
        };
        assert_eq!(
            names(pages_from_first(&d.join("cert-1.png")).unwrap()),
            ["cert-1.png", "cert-2.png"]
        );
        assert_eq!(
            names(pages_from_first(&d.join("scan_P01.tif")).unwrap()),
            ["scan_P01.tif", "scan_P2.tif"]
        );
        assert_eq!(pages_from_first(&d.join("alone-1.png")), None);
        assert_eq!(pages_from_first(&d.join("gap-1.png")), None);
        assert_eq!(pages_from_first(&d.join("cert-2.png")), None);
        assert_eq!(pages_from_first(&d.join("cert.txt")), None);
        let later: Vec<&str> = [
            "cert-1.png",
            "cert-2.png",
            "cert-10.png",
            "cert-2.jpg",
            "cert_p3.png",
            "orphan-2.png",
            "gap-3.png",
            "scan_P2.tif",
        ]
        .into_iter()
        .filter(|n| is_later_page(&d.join(n)))
        .collect();
        assert_eq!(later, ["cert-2.png", "scan_P2.tif"]);
    }
}
