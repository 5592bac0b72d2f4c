#!/usr/bin/env bash
# Smoke run of the fuzz targets (fuzz/, built on the stable toolchain with SanitizerCoverage):
# the seed corpora from test-vectors/ and the shared samples, then 10 s of fuzzing per target
# (12 targets: about 2 minutes after the build). Campaigns: see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export ESEAL_SAMPLES="${ESEAL_SAMPLES:-../shared/samples}"
fuzz/seeds.sh >/dev/null
fuzz/run.sh time "${ESEAL_FUZZ_SECONDS:-10}"
