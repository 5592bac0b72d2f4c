#!/usr/bin/env bash
# Long runs after the README's test command: the SM2 differential test against RustCrypto sm2
# (release build, all cores; 200,000 random cases per CI run, ESEAL_DIFF_CASES=1000000 for the full
# million, which was run separately: see tests/sm2_differential.rs), then the C ABI, Go and Java tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${ESEAL_DIFF_CASES:-200000}"
echo "-- SM2 differential test: $cases cases"
ESEAL_DIFF_CASES="$cases" cargo test --release --test sm2_differential -- --ignored --nocapture
if [ -f .ci/ffi.sh ]; then
  echo "-- C ABI, Go and Java"
  bash .ci/ffi.sh
fi
if [ -f .ci/fuzz.sh ]; then
  echo "-- fuzz targets (smoke run)"
  bash .ci/fuzz.sh
fi
