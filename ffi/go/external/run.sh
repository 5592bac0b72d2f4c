#!/usr/bin/env bash
# Builds ffi/go/external/main.go as a separate Go module outside the repository, the way a
# business project consumes the binding: `require github.com/eseal/eseal/ffi/go` with a
# `replace` to this checkout, offline (GOFLAGS=-mod=mod GOPROXY=off), libeseal found through
# pkg-config only (PKG_CONFIG_PATH must point at an ffi/install.sh prefix). Three builds: from
# the replace (dynamic), vendored (`go mod vendor`, -mod=vendor: the binding's files copied
# out of the repository), and statically linked (-tags eseal_static). Each seals a PDF and
# verifies it; the PDFs go to ESEAL_BINDING_OUT when set.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
binding=$(cd "$here/.." && pwd)
root=$(cd "$binding/../.." && pwd)
pkg-config --exists eseal eseal-static || { echo "pkg-config finds no eseal (ffi/install.sh PREFIX)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mod="$work/consumer"
mkdir -p "$mod"
cp "$here/main.go" "$mod/"
cat >"$mod/go.mod" <<MOD
module example.com/eseal-consumer

go 1.19

require github.com/eseal/eseal/ffi/go v0.0.0

replace github.com/eseal/eseal/ffi/go => $binding
MOD
export GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off GOCACHE="${GOCACHE:-$work/gocache}"
out=${ESEAL_BINDING_OUT:-$work}
keys="$root/test-vectors/keys"
cd "$mod"
go build -o "$work/consumer-dynamic" .
"$work/consumer-dynamic" "$keys/key.pem" "$keys/leaf-cert.pem" "$keys/ca-cert.pem" "$out/go-external.pdf"
ldd "$work/consumer-dynamic" | grep -c 'libeseal.so' >/dev/null
go mod vendor
test -f vendor/github.com/eseal/eseal/ffi/go/eseal.go
GOFLAGS=-mod=vendor go build -tags eseal_static -o "$work/consumer-static" .
if ldd "$work/consumer-static" | grep -c 'libeseal.so' >/dev/null; then
    echo "the eseal_static build links libeseal.so" >&2
    exit 1
fi
"$work/consumer-static" "$keys/key.pem" "$keys/leaf-cert.pem" "$keys/ca-cert.pem" "$out/go-external-static.pdf"
echo "external module: built from a replace (dynamic) and from a vendored copy (static), both seal a PDF"
