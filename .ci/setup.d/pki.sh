#!/usr/bin/env bash
# Tools for tests/chains.rs: OpenSSL 3 (regenerates test-vectors/chains with gen.sh and extracts
# the ofdrw PKCS#12 certificates) and perl (byte flipping in gen.sh when python3 is absent).
set -euo pipefail
if ! command -v openssl >/dev/null 2>&1 || ! command -v perl >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq openssl perl >/dev/null
fi
