//! `cargo +nightly fuzz run detect`: see `logx::fuzzing::detect`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logx::fuzzing::detect(data));
