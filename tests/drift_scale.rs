//! drift on a generated corpus of a few thousand certificates with known injected drift: every
//! provision must land in the slot its truth names, and every slot's wordings must split the
//! certificates exactly as the injected variants do.

mod common;
#[allow(dead_code)]
#[path = "../examples/synth/generate.rs"]
mod generate;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// Certificates generated; `DRIFT_SCALE_COUNT=20000 cargo test --release --test drift_scale`
/// for a bigger run.
fn count() -> usize {
    common::env_count("DRIFT_SCALE_COUNT", 3000)
}

#[test]
fn injected_drift_is_recovered_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("corpus");
    generate::run(&generate::Config {
        count: count(),
        out: root.clone(),
        seed: 7,
        templates: common::corpus(),
        force: false,
        exclude: Vec::new(),
    })
    .expect("generation");
    let truth: Vec<Value> = std::fs::read_to_string(root.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();

    let out = assert_cmd::Command::cargo_bin("provdiff")
        .unwrap()
        .args(["drift", "--format", "json", "--by", "issuer,year"])
        .arg(&root)
        .output()
        .unwrap();
    common::assert_exit(&out, 0);
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["documents"].as_array().unwrap().len(), truth.len());

    // (relative path, id) → (truth slot, truth wording key).
    let mut expected: BTreeMap<(String, String), (String, String)> = BTreeMap::new();
    for t in &truth {
        let path = t["path"].as_str().unwrap().to_string();
        for p in t["provisions"].as_array().unwrap() {
            let variant = p["variant"].as_str().unwrap();
            // Truncated texts share one key but differ: key them by their text.
            let variant = if variant == "truncated" {
                format!("truncated:{}", p["text"].as_str().unwrap())
            } else {
                variant.to_string()
            };
            let key = (path.clone(), p["id"].as_str().unwrap().to_string());
            expected.insert(key, (p["slot"].as_str().unwrap().to_string(), variant));
        }
    }

    // What drift says: (path, id) → (slot name, wording index), and the OCR flags.
    let prefix = format!("{}/", root.display());
    let mut got: BTreeMap<(String, String), (String, usize)> = BTreeMap::new();
    let mut flagged: BTreeSet<(String, String)> = BTreeSet::new();
    for s in report["slots"].as_array().unwrap() {
        let slot = s["slot"].as_str().unwrap().to_string();
        for (vi, v) in s["variants"].as_array().unwrap().iter().enumerate() {
            for m in v["members"].as_array().unwrap() {
                let path = m["path"]
                    .as_str()
                    .unwrap()
                    .strip_prefix(&prefix)
                    .unwrap()
                    .to_string();
                let key = (path, m["id"].as_str().unwrap().to_string());
                if v["ocr_suspect"] == true {
                    flagged.insert(key.clone());
                }
                assert!(
                    got.insert(key.clone(), (slot.clone(), vi)).is_none(),
                    "{key:?} placed twice"
                );
            }
        }
    }
    let placed: BTreeSet<&(String, String)> = got.keys().collect();
    let listed: BTreeSet<&(String, String)> = expected.keys().collect();
    assert_eq!(
        placed, listed,
        "every provision of every certificate is in exactly one slot"
    );

    // Slots: truth slot ↔ drift slot is one to one.
    let mut slot_map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut slot_back: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (k, (ts, _)) in &expected {
        let ds = got[k].0.as_str();
        slot_map.entry(ts.as_str()).or_default().insert(ds);
        slot_back.entry(ds).or_default().insert(ts.as_str());
    }
    for (ts, ds) in &slot_map {
        assert_eq!(ds.len(), 1, "truth slot {ts} split over drift slots {ds:?}");
    }
    for (ds, ts) in &slot_back {
        assert_eq!(ts.len(), 1, "drift slot {ds} mixes truth slots {ts:?}");
    }

    // Wordings: within each slot, the partition of members by drift wording equals the
    // partition by injected variant.
    let mut by_truth: BTreeMap<(&str, &str), BTreeSet<&(String, String)>> = BTreeMap::new();
    let mut by_drift: BTreeMap<(&str, usize), BTreeSet<&(String, String)>> = BTreeMap::new();
    for (k, (ts, tv)) in &expected {
        by_truth
            .entry((ts.as_str(), tv.as_str()))
            .or_default()
            .insert(k);
        let (ds, dv) = &got[k];
        by_drift.entry((ds.as_str(), *dv)).or_default().insert(k);
    }
    let truth_parts: BTreeSet<&BTreeSet<&(String, String)>> = by_truth.values().collect();
    let drift_parts: BTreeSet<&BTreeSet<&(String, String)>> = by_drift.values().collect();
    assert_eq!(truth_parts.len(), drift_parts.len(), "number of wordings");
    assert!(truth_parts == drift_parts, "wording partitions differ");

    // Every injected look-alike typo carried by one certificate is flagged as a likely OCR
    // error, and nothing else is.
    let ocr: BTreeSet<(String, String)> = expected
        .iter()
        .filter(|(_, (ts, tv))| {
            tv.contains("ocr") && by_truth[&(ts.as_str(), tv.as_str())].len() == 1
        })
        .map(|(k, _)| k.clone())
        .collect();
    assert!(!ocr.is_empty(), "the corpus holds OCR typos");
    assert_eq!(flagged, ocr);
    assert_eq!(report["summary"]["errors"], 0);
}
