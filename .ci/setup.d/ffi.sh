#!/usr/bin/env bash
# Tools for the C ABI and its bindings (.ci/ffi.sh): gcc and Valgrind for the C tests, Go 1.19
# with Debian's tjfoc/gmsm (offline GOPATH use) and pkg-config, a JDK with Debian's JNA (its
# native part goes into the Spark job's jar) and Bouncy Castle.
# cbindgen is installed (and cached) by .ci/ffi.sh itself. Idempotent and quiet; runs as root.
set -euo pipefail
need=()
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkgconf)
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
for p in golang-github-tjfoc-gmsm-dev libjna-java libjna-jni libbcprov-java; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
