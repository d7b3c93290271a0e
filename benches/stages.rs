//! Micro-benchmarks of the pipeline stages on the bundled corpus: normalize, segment, a whole
//! parse, pairwise alignment, clause diff and a full compare. Run with `cargo bench`.

use std::path::PathBuf;

use provdiff::align::{AlignOptions, align_certificates};
use provdiff::compare::{CompareOptions, compare};
use provdiff::diff::{DiffOptions, diff_text};
use provdiff::model::Certificate;

fn main() {
    divan::main();
}

fn seed(prefix: &str) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus/")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    names.sort();
    std::fs::read_to_string(&names[0]).expect("seed text")
}

fn parsed(prefix: &str) -> Certificate {
    provdiff::parse_text(prefix, &seed(prefix), "UTF-8")
}

/// Seed 000 in each encoding the decoder detects.
#[divan::bench(args = ["UTF-8", "GB18030", "UTF-16LE"])]
fn decode(bencher: divan::Bencher, encoding: &str) {
    let text = seed("000");
    let bytes: Vec<u8> = match encoding {
        "GB18030" => encoding_rs::GB18030.encode(&text).0.into_owned(),
        // With its BOM, as Windows writes it.
        "UTF-16LE" => [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        _ => text.into_bytes(),
    };
    let opts = provdiff::parse::ingest::IngestOptions::default();
    assert_eq!(
        provdiff::parse::ingest::decode(&bytes, &opts)
            .unwrap()
            .encoding,
        encoding
    );
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| provdiff::parse::ingest::decode(divan::black_box(&bytes), &opts));
}

#[divan::bench(args = ["000", "002", "003"])]
fn normalize(bencher: divan::Bencher, prefix: &str) {
    let text = seed(prefix);
    bencher
        .counter(divan::counter::BytesCount::of_str(&text))
        .bench(|| provdiff::parse::normalize::normalize(divan::black_box(&text)));
}

#[divan::bench(args = ["000", "002", "003"])]
fn segment(bencher: divan::Bencher, prefix: &str) {
    let norm = provdiff::parse::normalize::normalize(&seed(prefix));
    bencher.bench(|| {
        let mut w = Vec::new();
        provdiff::parse::segment::segment(divan::black_box(norm.body()), &mut w)
    });
}

#[divan::bench(args = ["000", "002", "003"])]
fn parse(bencher: divan::Bencher, prefix: &str) {
    let bytes = seed(prefix).into_bytes();
    let opts = provdiff::ParseOptions::default();
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| provdiff::parse(prefix, divan::black_box(&bytes), &opts));
}

#[divan::bench]
fn align_000_003(bencher: divan::Bencher) {
    let (a, b) = (parsed("000"), parsed("003"));
    let opts = AlignOptions::default();
    bencher.bench(|| align_certificates(divan::black_box(&a), divan::black_box(&b), &opts));
}

#[divan::bench]
fn diff_item_12(bencher: divan::Bencher) {
    let (a, b) = (parsed("001"), parsed("002"));
    let (ta, tb) = (&a.provisions[11].text, &b.provisions[11].text);
    let opts = DiffOptions::default();
    bencher.bench(|| diff_text(divan::black_box(ta), divan::black_box(tb), &opts));
}

#[divan::bench]
fn compare_001_002(bencher: divan::Bencher) {
    let (a, b) = (parsed("001"), parsed("002"));
    let opts = CompareOptions::default();
    bencher.bench(|| compare(divan::black_box(&a), divan::black_box(&b), &opts));
}

/// What drift does with each file: the parse reduced to what it keeps.
#[divan::bench(args = ["000", "002", "003"])]
fn prepare(bencher: divan::Bencher, prefix: &str) {
    let bytes = seed(prefix).into_bytes();
    let opts = provdiff::ParseOptions::default();
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| provdiff::drift::prepare(prefix, divan::black_box(&bytes), &opts));
}

/// The business types of a certificate's header, which `prepare` reads for `--against`.
#[divan::bench(args = ["000", "002", "003"])]
fn business_types(bencher: divan::Bencher, prefix: &str) {
    let norm = provdiff::parse::normalize::normalize(&seed(prefix));
    bencher.bench(|| provdiff::parse::fields::business_types(divan::black_box(norm.header())));
}
