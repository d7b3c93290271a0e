//! Page images to certificates: `STEM-1.png`, `STEM-2.png`… (also `STEM_p1`, `STEM-p1`,
//! `STEM_page1`, `STEM-page1`, any case, leading zeros allowed) in one folder are the pages of
//! one certificate, read in page order.

use std::collections::BTreeMap;
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

/// Groups `paths` into certificates: image files of one folder whose names are pages of the
/// same stem (with the same extension) form one certificate, in page order, when there are two
/// or more; every other path is a certificate of its own. Each group is named by its first
/// page. The result is in the order of the groups' first paths as `paths` gives them.
pub fn group_pages(paths: Vec<PathBuf>) -> Vec<Vec<PathBuf>> {
    // (folder, stem, extension, page-name style) → (page, index in `paths`)
    let mut sets: BTreeMap<(PathBuf, String, String), Vec<(u32, usize)>> = BTreeMap::new();
    for (i, p) in paths.iter().enumerate() {
        let Some(key) = page_key(p) else { continue };
        sets.entry(key.0).or_default().push((key.1, i));
    }
    let mut first_of: Vec<Option<Vec<usize>>> = vec![None; paths.len()];
    let mut taken = vec![false; paths.len()];
    for (_, mut pages) in sets {
        pages.sort();
        pages.dedup_by_key(|p| p.0);
        if pages.len() < 2 {
            continue;
        }
        let members: Vec<usize> = pages.iter().map(|p| p.1).collect();
        let first = *members.iter().min().expect("two or more");
        for &m in &members {
            taken[m] = true;
        }
        first_of[first] = Some(members);
    }
    let mut out = Vec::with_capacity(paths.len());
    for (i, p) in paths.iter().enumerate() {
        match first_of[i].take() {
            Some(members) => out.push(members.iter().map(|&m| paths[m].clone()).collect()),
            None if !taken[i] => out.push(vec![p.clone()]),
            None => {}
        }
    }
    out
}

fn page_key(p: &Path) -> Option<((PathBuf, String, String), u32)> {
    if !is_image_name(p) {
        return None;
    }
    let stem = p.file_stem()?.to_str()?;
    let (base, n) = page_suffix(stem)?;
    let sep = &stem[base.len()..stem.len() - digits_len(stem)];
    let ext = p.extension()?.to_str()?.to_ascii_lowercase();
    let folder = p.parent().map(Path::to_path_buf).unwrap_or_default();
    Some((
        (folder, format!("{base}\0{}", sep.to_ascii_lowercase()), ext),
        n,
    ))
}

fn digits_len(s: &str) -> usize {
    s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len()
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
    fn pages_of_one_stem_in_one_folder_are_one_certificate_in_page_order() {
        let p = |s: &str| PathBuf::from(s);
        let paths = vec![
            p("a/cert-1.png"),
            p("a/cert-10.png"),
            p("a/cert-2.png"),
            p("a/cert.txt"),
            p("a/other_p1.jpg"),
            p("a/single-1.png"),
            p("b/cert-3.png"),
            p("b/cert-4.png"),
            p("b/mixed-1.png"),
            p("b/mixed-2.jpg"),
            p("c/x-1.txt"),
            p("c/x-2.txt"),
        ];
        let got = group_pages(paths);
        let names: Vec<Vec<&str>> = got
            .iter()
            .map(|g| g.iter().map(|p| p.to_str().unwrap()).collect())
            .collect();
        assert_eq!(
            names,
            [
                vec!["a/cert-1.png", "a/cert-2.png", "a/cert-10.png"],
                vec!["a/cert.txt"],
                vec!["a/other_p1.jpg"],
                vec!["a/single-1.png"],
                vec!["b/cert-3.png", "b/cert-4.png"],
                vec!["b/mixed-1.png"],
                vec!["b/mixed-2.jpg"],
                vec!["c/x-1.txt"],
                vec!["c/x-2.txt"],
            ]
        );
    }
}
