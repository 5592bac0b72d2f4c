#!/usr/bin/env bash
# Installs what tests/ses_*.rs need beyond Rust: OpenSSL 3 (tests/ses_interop_openssl.rs).
# Idempotent and quiet; runs as root on a fresh Debian machine.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
if ! command -v openssl >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends openssl >/dev/null
fi
