//! `cargo +nightly fuzz run timestamps`: see `logx::fuzzing::timestamps`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| logx::fuzzing::timestamps(data));
