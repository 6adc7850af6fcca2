//! Integration tests: the real `logx` binary on real files.
//!
//! Tests that read `../shared/corpus` (real logs written by other people) skip with a message
//! when it is absent; the project's own `fixtures/` keep every feature tested without it.

#[macro_use]
mod util;

mod audit;
mod bad_input;
mod cat;
mod clickhouse;
mod corpus;
mod export;
mod fuzz;
mod hostile;
mod lite;
mod loghub;
mod patterns;
mod props;
mod query;
mod readme;
mod shell;
mod tail;
pub mod tui_pty;
