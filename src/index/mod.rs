//! The index: entry boundaries in byte buffers ([`lines`]), time-indexed seeks in mapped
//! files ([`seek`]), and the persisted per-block statistics ([`cache`]).

pub mod cache;
pub mod entries;
pub mod lines;
pub mod seek;
