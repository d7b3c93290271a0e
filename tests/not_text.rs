//! Files that are not text, named `.txt`: a PDF, a Word document, a scan. A PDF or an image is
//! read as what it is (these are damaged, so they fail saying why); anything else is named
//! with what it is and what to do; `scan` and `drift` go on with the other files and exit 2.

mod common;

use std::path::Path;

use common::*;
use serde_json::Value;

/// A ZIP file whose entries are `names`, stored empty: the layout of a `.docx` when the names
/// are those Word writes first.
fn zip_of(names: &[&str]) -> Vec<u8> {
    let mut out = Vec::new();
    for name in names {
        out.extend_from_slice(b"PK\x03\x04");
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(name.as_bytes());
    }
    out.extend_from_slice(b"PK\x05\x06");
    out.extend_from_slice(&[0; 18]);
    out
}

/// A directory with seed 000 and, renamed `.txt`, a damaged PDF, a Word document and a
/// damaged PNG image; each file's expected reason, or its start.
fn renamed_dir(dir: &Path) -> Vec<(&'static str, &'static str)> {
    std::fs::copy(seed("000"), dir.join("000.txt")).unwrap();
    // An uncompressed PDF is all ASCII: it would pass for text.
    let pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
    std::fs::write(dir.join("a-pdf.txt"), pdf).unwrap();
    let docx = zip_of(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
    std::fs::write(dir.join("b-word.txt"), docx).unwrap();
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0\0\0\x01\0\x08\x06\0\0\0".to_vec();
    png.resize(800, 0);
    std::fs::write(dir.join("c-scan.txt"), png).unwrap();
    vec![
        ("a-pdf.txt", "not a readable PDF: "),
        (
            "b-word.txt",
            "a Word document (.docx), not text: save it as plain text (UTF-8) and try again",
        ),
        // The engine refuses the image, or is not installed: either way it names tesseract.
        ("c-scan.txt", "tesseract "),
    ]
}

#[test]
fn scan_names_each_format_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let expected = renamed_dir(dir.path());
    let out = provdiff()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let records: Vec<Value> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["status"], "ok");
    assert_eq!(records[0]["provisions"], 15);
    let stderr = String::from_utf8(out.stderr).unwrap();
    for (r, (name, reason)) in records[1..].iter().zip(&expected) {
        let path = r["path"].as_str().unwrap();
        assert!(path.ends_with(name), "{path}");
        assert_eq!(r["status"], "error", "{name}");
        let error = r["error"].as_str().unwrap();
        assert!(error.starts_with(reason), "{name}: {error}");
        assert!(
            stderr.contains(&format!("{path}: {error}\n")),
            "{name} not named with its reason in {stderr}"
        );
    }
}

#[test]
fn drift_names_each_format_and_reports_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let expected = renamed_dir(dir.path());
    let out = provdiff()
        .args(["drift", "--format", "json"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
    let errors: Vec<(String, String)> = v["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["path"].as_str().unwrap().to_string(),
                e["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    for ((path, error), (name, reason)) in errors.iter().zip(&expected) {
        assert!(path.ends_with(name), "{path}");
        assert!(error.starts_with(reason), "{name}: {error}");
    }
}

#[test]
fn show_of_a_damaged_pdf_is_an_error_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    renamed_dir(dir.path());
    let path = dir.path().join("a-pdf.txt");
    let out = provdiff().arg("show").arg(&path).output().unwrap();
    assert_exit(&out, 2);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}: not a readable PDF", path.display())),
        "{stderr}"
    );
}
