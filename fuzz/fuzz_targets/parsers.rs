//! `cargo +nightly fuzz run parsers`: see `logx::fuzzing::parsers`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logx::fuzzing::parsers(data));
