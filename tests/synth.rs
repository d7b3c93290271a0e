//! The synthetic corpus generator (examples/synth) against the parser: every generated
//! certificate must parse to exactly the provisions its truth record lists, whatever noise it
//! carries, and generation must not depend on the thread count.

mod common;
#[allow(dead_code)]
#[path = "../examples/synth/generate.rs"]
mod generate;

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

/// Certificates per check; `SYNTH_COUNT=20000 cargo test --release --test synth` for a
/// stress run.
fn count() -> usize {
    common::env_count("SYNTH_COUNT", 300)
}

const SEED: u64 = 20240601;

fn generate_into(dir: &Path, count: usize, seed: u64, exclude: &[&str]) -> Vec<Value> {
    generate::run(&generate::Config {
        count,
        out: dir.to_path_buf(),
        seed,
        templates: common::corpus(),
        force: false,
        exclude: exclude.iter().map(|s| s.to_string()).collect(),
    })
    .expect("generation");
    std::fs::read_to_string(dir.join("truth.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Why a generated certificate does not parse as its truth says, or `None`.
fn check(dir: &Path, truth: &Value) -> Option<String> {
    let rel = truth["path"].as_str().unwrap();
    let cert = match provdiff::parse_file(&dir.join(rel), &provdiff::ParseOptions::default()) {
        Ok(c) => c,
        Err(e) => return Some(format!("{rel}: {e}")),
    };
    let got: Vec<(String, &str)> = cert
        .flat()
        .map(|p| (p.id.to_string(), p.text.as_str()))
        .collect();
    let want: Vec<(&str, &str)> = truth["provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["text"].as_str().unwrap()))
        .collect();
    let noise = &truth["noise"];
    let got_ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    let want_ids: Vec<&str> = want.iter().map(|w| w.0).collect();
    if got_ids != want_ids {
        return Some(format!(
            "{rel} {noise}: ids\n  got  {got_ids:?}\n  want {want_ids:?}"
        ));
    }
    for ((id, g), (_, w)) in got.iter().zip(&want) {
        if g != w {
            return Some(format!(
                "{rel} {noise}: provision {id}\n  got  {g}\n  want {w}"
            ));
        }
    }
    if cert.preamble != truth["preamble"].as_str().unwrap() {
        return Some(format!(
            "{rel} {noise}: preamble\n  got  {}\n  want {}",
            cert.preamble, truth["preamble"]
        ));
    }
    if cert.encoding != truth["encoding"].as_str().unwrap() {
        return Some(format!(
            "{rel}: encoding {} != {}",
            cert.encoding, truth["encoding"]
        ));
    }
    let f = &cert.fields;
    let fields = [
        ("license_no", f.license_no.clone(), &truth["license_no"]),
        ("issuer", f.issuer.clone(), &truth["issuer"]),
        ("company", f.company.clone(), &truth["company"]),
        ("issued", f.issued.map(|d| d.to_string()), &truth["issued"]),
        (
            "expires",
            f.expires.map(|d| d.to_string()),
            &truth["expires"],
        ),
    ];
    for (name, got, want) in fields {
        if got.as_deref() != want.as_str() {
            return Some(format!(
                "{rel} {noise}: field {name}: got {got:?}, want {want}"
            ));
        }
    }
    None
}

/// Generates [`count`] certificates without the `exclude`d noise, parses them all and checks
/// them against their truth; returns the truth records.
fn generate_and_check(exclude: &[&str]) -> (tempfile::TempDir, Vec<Value>) {
    let dir = tempfile::tempdir().unwrap();
    let truth = generate_into(dir.path(), count(), SEED, exclude);
    assert_eq!(truth.len(), count());
    let failures: Vec<String> = truth.iter().filter_map(|t| check(dir.path(), t)).collect();
    assert!(
        failures.is_empty(),
        "{} of {} certificates misparsed; first ones:\n{}",
        failures.len(),
        count(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    (dir, truth)
}

#[test]
fn generated_certificates_parse_to_their_truth() {
    let (_dir, truth) = generate_and_check(&[]);

    let seen: BTreeSet<&str> = truth
        .iter()
        .flat_map(|t| {
            t["noise"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
        })
        .collect();
    let missing: Vec<&str> = generate::noise_kinds()
        .into_iter()
        .filter(|k| !seen.contains(k))
        .collect();
    assert!(missing.is_empty(), "noise kinds never applied: {missing:?}");
    let encodings: BTreeSet<&str> = truth
        .iter()
        .map(|t| t["encoding"].as_str().unwrap())
        .collect();
    assert_eq!(
        encodings,
        BTreeSet::from(["GB18030", "UTF-16LE", "UTF-8", "UTF-8 (BOM)"])
    );
    let blocks: BTreeSet<u64> = truth
        .iter()
        .map(|t| t["blocks"].as_u64().unwrap())
        .collect();
    assert_eq!(blocks, BTreeSet::from([1, 2]));
    assert!(
        truth.iter().any(|t| !t["dropped"].is_null()),
        "no certificate with a dropped provision"
    );
}

/// Equal slot and variant keys mean equal texts, and the other way round (truncated texts
/// excepted: they share the key `truncated`).
#[test]
fn variant_keys_identify_wordings() {
    let dir = tempfile::tempdir().unwrap();
    let truth = generate_into(dir.path(), 2000, SEED + 1, &[]);
    let mut by_key: std::collections::BTreeMap<(String, String), String> = Default::default();
    let mut by_text: std::collections::BTreeMap<(String, String), String> = Default::default();
    let mut truncated = 0;
    for t in &truth {
        truncated += usize::from(t["truncated"].as_bool().unwrap());
        for p in t["provisions"].as_array().unwrap() {
            let (slot, variant, text) = (
                p["slot"].as_str().unwrap().to_string(),
                p["variant"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().to_string(),
            );
            if variant == "truncated" {
                continue;
            }
            let k = by_key
                .entry((slot.clone(), variant.clone()))
                .or_insert_with(|| text.clone());
            assert_eq!(*k, text, "{slot} {variant}: two texts");
            let v = by_text
                .entry((slot.clone(), text))
                .or_insert_with(|| variant.clone());
            assert_eq!(*v, variant, "{slot}: one text, two variant keys");
        }
    }
    assert!(truncated > 0, "no truncated certificate in 2000");
    for (slot, variant) in [
        ("common.08", "v2022"),
        ("common.12", "long"),
        ("info.13", "zhang2018"),
        ("info.08", "d15"),
        ("extra.gd", "v2021"),
    ] {
        assert!(
            by_key.contains_key(&(slot.into(), variant.into())),
            "{slot} {variant} never generated"
        );
    }
}

#[test]
fn output_does_not_depend_on_thread_count() {
    let files = |threads: usize| {
        let dir = tempfile::tempdir().unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| generate_into(dir.path(), 40, 7, &[]));
        let mut out = Vec::new();
        for entry in walkdir::WalkDir::new(dir.path()).sort_by_file_name() {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(dir.path()).unwrap().to_path_buf();
                out.push((rel, std::fs::read(entry.path()).unwrap()));
            }
        }
        out
    };
    let one = files(1);
    assert_eq!(one.len(), 41);
    assert!(one == files(3), "output differs between 1 and 3 threads");
}
