//! logx: a terminal log explorer and CLI toolkit.
//!
//! One engine, several shells:
//!
//! ```text
//! source ────────> index ─────────> format ────────> query ─────────> sink
//! files, rotation, entry bounds,    detect, parse    level, search,   pretty, NDJSON,
//! gzip, stdin,     chunks, seeks    into Entry<'a>   time, fields     logfmt, raw, CSV, XLSX
//! mmap
//! ──────────────────────────────────────────────────────────────────────────────
//! cli (clap) and tui (ratatui): thin shells that build a Query and show what comes back
//! ```
//!
//! - [`source`] finds inputs (paths, globs, directories, rotated sets, stdin) and opens them
//!   (memory maps guarded against truncation, gzip and other streams).
//! - [`index`] finds entry boundaries with memchr and cuts big files into chunks.
//! - [`format`] detects formats and parses lines into the normalized [`entry::Entry`].
//! - [`query`] compiles the filters every verb shares.
//! - [`engine`] runs a query over inputs in parallel and in order.
//! - [`sink`] writes entries for people and for programs.
//! - [`clickhouse`] ships entries into a ClickHouse table and reads queries back from it.
#![warn(missing_docs)]

pub mod audit;
pub mod clickhouse;
pub mod config;
pub mod engine;
pub mod entry;
pub mod format;
#[doc(hidden)]
pub mod fuzzing;
pub mod index;
pub mod patterns;
pub mod query;
pub mod sink;
pub mod source;
pub mod stats;
pub mod suggest;
pub mod time;
