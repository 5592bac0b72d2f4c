#!/usr/bin/env bash
# Builds the fuzz targets as libFuzzer binaries into fuzz/target/<triple>/release/.
# On the stable toolchain: SanitizerCoverage instrumentation only (no AddressSanitizer, which
# needs nightly). With ESEAL_FUZZ_ASAN=1 and a nightly toolchain: AddressSanitizer as well, as
# `cargo fuzz build` does. Targets may be named as arguments (default: all).
set -euo pipefail
cd "$(dirname "$0")"
triple=$(rustc -vV | sed -n 's/^host: //p')
flags="--cfg fuzzing -Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4"
flags+=" -Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table"
flags+=" -Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks"
toolchain=()
if [ "${ESEAL_FUZZ_ASAN:-0}" = 1 ]; then
    toolchain=(+nightly)
    flags+=" -Zsanitizer=address"
fi
bins=()
for t in "$@"; do bins+=(--bin "$t"); done
RUSTFLAGS="$flags" cargo "${toolchain[@]}" build --release --quiet --target "$triple" "${bins[@]}"
echo "$PWD/target/$triple/release"
