#!/usr/bin/env bash
# Long runs after the README's test command: the SM2 differential test against RustCrypto sm2
# over 1,000,000 random cases (release build, all cores), then the C ABI, Go and Java tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cases="${ESEAL_DIFF_CASES:-1000000}"
echo "-- SM2 differential test: $cases cases"
ESEAL_DIFF_CASES="$cases" cargo test --release --test sm2_differential -- --ignored --nocapture
if [ -f .ci/ffi.sh ]; then
  echo "-- C ABI, Go and Java"
  bash .ci/ffi.sh
fi
