//! Two certificates (the input split at its first 0xFF byte) compared and drifted: never a
//! panic, and the diff ops of every paired row rebuild both texts exactly. The properties live
//! in `tests/common/props.rs`, shared with the regression tests.
#![no_main]

#[path = "../../tests/common/props.rs"]
mod props;

libfuzzer_sys::fuzz_target!(|data: &[u8]| props::compare_bytes(data));
