#!/usr/bin/env bash
# Tools for tests/keyfiles.rs: OpenSSL 3 (interop, vector regeneration), a JDK and Bouncy Castle
# (test-vectors/keys/BcP12.java, run by gen.sh). Idempotent and quiet; runs as root on Debian.
set -euo pipefail
export ESEAL_TOOLS="${ESEAL_TOOLS:-$PWD/.tools}"
need=()
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
for p in libbcprov-java libbcpkix-java libbcutil-java; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
