//! PDF and scan input through the binary: text-layer PDFs read without OCR, scans and page
//! images read by the engine with confidences, the cache, and `scan --shard K/N` shards merged
//! by `drift --from-scan` into the report of a single run.
//!
//! The tests that run the OCR engine need tesseract with its `chi_sim` data and poppler-utils
//! (`.ci/run` installs them): they fail when the engine is missing and `CI` is set, and print a
//! note and pass otherwise.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ocr")
}

/// Whether tesseract with chi_sim is installed; absent under CI fails.
fn have_engine() -> bool {
    let ok = std::process::Command::new("tesseract")
        .arg("--list-langs")
        .output()
        .is_ok_and(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .any(|l| l.trim() == "chi_sim")
        });
    if !ok {
        assert!(
            std::env::var_os("CI").is_none_or(|v| v.is_empty()),
            "tesseract with chi_sim not found and CI is set: install tesseract-ocr and tesseract-ocr-chi-sim (see .ci/run)"
        );
        eprintln!(
            "note: tesseract with chi_sim not found; skipping an OCR test (set CI to make this fail)"
        );
    }
    ok
}

fn jsonl(bytes: &[u8]) -> Vec<Value> {
    bytes
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect()
}

/// The provisions of the truth file as (id, text).
fn truth(stem: &str) -> Vec<(String, String)> {
    let json = std::fs::read_to_string(fixtures().join(format!("truth/{stem}.json"))).unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    v["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().into(),
                p["text"].as_str().unwrap().into(),
            )
        })
        .collect()
}

fn flat(provisions: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for p in provisions.as_array().unwrap() {
        out.push(p.clone());
        out.extend(p["children"].as_array().unwrap().iter().cloned());
    }
    out
}

#[test]
fn a_text_layer_pdf_shows_exactly_its_provisions_without_the_engine() {
    let stem = "fixture03_9b095941";
    let out = provdiff()
        .args(["show", "--format", "json", "--no-cache"])
        .arg(fixtures().join(format!("textpdf/{stem}.pdf")))
        // No engine on PATH: a text layer needs none.
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"], "pdf_text");
    assert!(v.get("ocr").is_none());
    let got: Vec<(String, String)> = flat(&v["provisions"])
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap().into(),
                p["text"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(got, truth(stem));
}

#[test]
fn a_scan_without_the_engine_fails_saying_what_to_install_and_the_rest_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(seed("000"), dir.path().join("a.txt")).unwrap();
    std::fs::copy(
        fixtures().join("scan/fixture01_cceaa67b.pdf"),
        dir.path().join("b.pdf"),
    )
    .unwrap();
    let out = provdiff()
        .args(["scan", "--format", "jsonl", "--no-cache"])
        .arg(dir.path())
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    assert_exit(&out, 2);
    let records = jsonl(&out.stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["input"], "text");
    assert_eq!(records[1]["status"], "error");
    assert_eq!(
        records[1]["error"],
        "tesseract is not installed (not found on PATH); install it with `apt-get install tesseract-ocr tesseract-ocr-chi-sim`"
    );
}

/// N shard processes, merged by `drift --from-scan`, give the report of one run; every file
/// is in exactly one shard.
#[test]
fn shards_merged_by_drift_equal_a_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus_dir = dir.path().join("corpus");
    std::fs::create_dir(&corpus_dir).unwrap();
    // The seeds several times over, under different names, and the text-layer PDFs.
    for i in 0..5 {
        for entry in std::fs::read_dir(corpus()).unwrap() {
            let p = entry.unwrap().path();
            if p.extension().is_some_and(|e| e == "txt") {
                let name = format!("{i}-{}", p.file_name().unwrap().to_string_lossy());
                std::fs::copy(&p, corpus_dir.join(name)).unwrap();
            }
        }
    }
    for pdf in ["fixture02_a25633fc", "fixture03_9b095941"] {
        std::fs::copy(
            fixtures().join(format!("textpdf/{pdf}.pdf")),
            corpus_dir.join(format!("{pdf}.pdf")),
        )
        .unwrap();
    }
    let n = 3;
    let mut shards = Vec::new();
    let mut paths = Vec::new();
    for k in 1..=n {
        let shard = dir.path().join(format!("shard-{k}.jsonl"));
        let out = provdiff()
            .args(["scan", "--format", "jsonl", "--no-cache", "--shard"])
            .arg(format!("{k}/{n}"))
            .arg(&corpus_dir)
            .arg("-o")
            .arg(&shard)
            .output()
            .unwrap();
        assert_exit(&out, 0);
        let records = jsonl(&std::fs::read(&shard).unwrap());
        assert!(!records.is_empty(), "shard {k} is empty");
        paths.extend(
            records
                .iter()
                .map(|r| r["path"].as_str().unwrap().to_string()),
        );
        shards.push(shard);
    }
    paths.sort();
    let before = paths.len();
    paths.dedup();
    assert_eq!(paths.len(), before, "a file in two shards");
    assert_eq!(paths.len(), 22);
    for format in ["json", "table", "csv"] {
        let merged = provdiff()
            .args(["drift", "--format", format, "--from-scan"])
            .args(&shards)
            .output()
            .unwrap();
        let direct = provdiff()
            .args(["drift", "--format", format, "--no-cache"])
            .arg(&corpus_dir)
            .output()
            .unwrap();
        assert_exit(&direct, 0);
        assert_exit(&merged, 0);
        assert_eq!(
            String::from_utf8_lossy(&merged.stdout),
            String::from_utf8_lossy(&direct.stdout),
            "{format}"
        );
    }
}

/// Page images `STEM-1.png`… are one certificate read by the engine, with the input kind, the
/// engine's report and uncertain characters; a shard of them carries those to `drift
/// --from-scan`; a second run takes the pages from the cache and says the same.
#[test]
fn page_images_are_one_certificate_read_by_the_engine_and_cached() {
    if !have_engine() {
        return;
    }
    let cache = tempfile::tempdir().unwrap();
    let run = || {
        provdiff()
            .args(["scan", "--format", "jsonl", "--cache-dir"])
            .arg(cache.path())
            .arg(fixtures().join("pages"))
            .output()
            .unwrap()
    };
    let first = run();
    assert_exit(&first, 0);
    let records = jsonl(&first.stdout);
    assert_eq!(records.len(), 1, "{records:?}");
    let r = &records[0];
    assert!(
        r["path"]
            .as_str()
            .unwrap()
            .ends_with("fixture01_cceaa67b-1.png")
    );
    assert_eq!(r["input"], "ocr");
    assert_eq!(r["ocr"]["pages"], 5);
    assert!(
        r["ocr"]["engine"]
            .as_str()
            .unwrap()
            .starts_with("tesseract ")
    );
    let conf = r["ocr"]["mean_confidence"].as_f64().unwrap();
    assert!((50.0..100.0).contains(&conf), "{conf}");
    let tree = flat(&r["tree"]);
    assert!(tree.len() > 15, "{}", tree.len());
    assert!(tree.iter().any(|p| p.get("uncertain").is_some()));
    for p in &tree {
        let len = p["text"].as_str().unwrap().chars().count() as u64;
        if let Some(u) = p.get("uncertain") {
            assert!(
                u.as_array()
                    .unwrap()
                    .iter()
                    .all(|i| i.as_u64().unwrap() < len)
            );
        }
    }
    let entries = walk_count(cache.path());
    assert_eq!(entries, 5, "one cache entry per page image");
    let second = run();
    assert_exit(&second, 0);
    assert_eq!(second.stdout, first.stdout);
    // The shard is all drift needs.
    let shard = cache.path().join("shard.jsonl");
    std::fs::write(&shard, &first.stdout).unwrap();
    let merged = provdiff()
        .args(["drift", "--format", "json", "--from-scan"])
        .arg(&shard)
        .output()
        .unwrap();
    assert_exit(&merged, 0);
    let v: Value = serde_json::from_slice(&merged.stdout).unwrap();
    assert_eq!(v["documents"].as_array().unwrap().len(), 1);
}

/// An image-only PDF gives the engine's text as recorded for its pages.
#[test]
fn an_image_only_pdf_is_read_by_the_engine() {
    if !have_engine() {
        return;
    }
    let out = provdiff()
        .args(["show", "--format", "json", "--no-cache"])
        .arg(fixtures().join("scan/fixture05_244b03f4.pdf"))
        .output()
        .unwrap();
    assert_exit(&out, 0);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["input"], "ocr");
    assert_eq!(v["ocr"]["pages"], 6);
    // The same text as the recorded engine output gives.
    let recorded = provdiff()
        .args(["show", "--format", "json"])
        .arg(fixtures().join("ocr/fixture05_244b03f4.txt"))
        .output()
        .unwrap();
    let r: Value = serde_json::from_slice(&recorded.stdout).unwrap();
    let texts = |v: &Value| -> Vec<String> {
        flat(&v["provisions"])
            .iter()
            .map(|p| p["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(&v), texts(&r));
}

fn walk_count(dir: &Path) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            n += walk_count(&p);
        } else if p.extension().is_some_and(|e| e == "json") {
            n += 1;
        }
    }
    n
}
