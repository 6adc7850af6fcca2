//! The index: entry boundaries in byte buffers ([`lines`]), time-indexed seeks in mapped
//! files ([`seek`]).

pub mod lines;
pub mod seek;
