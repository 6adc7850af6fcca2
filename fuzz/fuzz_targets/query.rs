//! `cargo +nightly fuzz run query`: see `logx::fuzzing::query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logx::fuzzing::query(data));
