//! `cargo +nightly fuzz run config`: see `logx::fuzzing::config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logx::fuzzing::config(data));
