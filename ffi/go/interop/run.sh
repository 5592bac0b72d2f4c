#!/usr/bin/env bash
# Runs the tjfoc/gmsm interoperability tests of the Go binding offline, in GOPATH mode, with
# Debian's golang-github-tjfoc-gmsm-dev (GOPATH /usr/share/gocode). Needs libeseal found through pkg-config (ffi/install.sh PREFIX;
# PKG_CONFIG_PATH=PREFIX/lib/pkgconfig).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
gocode=/usr/share/gocode
if [ ! -d "$gocode/src/github.com/tjfoc/gmsm" ]; then
    if [ -n "${CI:-}" ]; then echo "tjfoc/gmsm not found (golang-github-tjfoc-gmsm-dev)" >&2; exit 1; fi
    echo "skipped: tjfoc/gmsm not found"
    exit 0
fi
gopath=$(mktemp -d)
trap 'rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src/github.com/eseal/eseal/ffi"
ln -s "$here/.." "$gopath/src/github.com/eseal/eseal/ffi/go"
cd "$gopath/src/github.com/eseal/eseal/ffi/go/interop"
GO111MODULE=off GOFLAGS= GOPATH="$gopath:$gocode" go vet .
GO111MODULE=off GOFLAGS= GOPATH="$gopath:$gocode" go test -count=1 -v . 2>&1 | grep -Ev '^=== (RUN|PAUSE|CONT)'
exit "${PIPESTATUS[0]}"
