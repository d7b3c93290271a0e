//! Arbitrary bytes through ingest, normalize and segment (`provdiff::parse`): never a panic,
//! and segmentation loses no text. The properties live in `tests/common/props.rs`, shared
//! with the regression tests.
#![no_main]

#[path = "../../tests/common/props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::parse_bytes(data));
