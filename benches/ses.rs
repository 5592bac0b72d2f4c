//! Benchmarks of seal making, applying and verification (filled below).
fn main() {}
