#!/usr/bin/env bash
# CI for the C ABI (ffi/): lint and unit-test the eseal-ffi crate, build libeseal in release,
# fail if the committed header differs from a fresh cbindgen run, run the C tests under
# AddressSanitizer and Valgrind, check the README snippets, install the library with
# ffi/install.sh into a temporary prefix (the Go binding finds it through pkg-config), run the
# Go tests (with a separate module built outside the repository) and the Java tests (from the
# jar carrying libeseal.so), then the Spark job in local mode against the CLI (spark/test.sh).
# Self-contained: called by .ci/run after the Rust tests; the tools come from
# .ci/setup.d/ffi.sh, cbindgen is installed here into "$ESEAL_TOOLS/cargo" and cached.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CI="${CI:-true}"
export ESEAL_TOOLS="${ESEAL_TOOLS:-$root/.tools}"
export ESEAL_SAMPLES="${ESEAL_SAMPLES:-$(cd "$root/.." && pwd)/shared/samples}"
CBINDGEN_VERSION=0.29.4

step() { printf '\n== ffi: %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

step "cbindgen $CBINDGEN_VERSION"
cbindgen="$ESEAL_TOOLS/cargo/bin/cbindgen"
if ! "$cbindgen" --version 2>/dev/null | grep -cx "cbindgen $CBINDGEN_VERSION" >/dev/null; then
    cargo install cbindgen --locked --quiet --version "$CBINDGEN_VERSION" --root "$ESEAL_TOOLS/cargo"
fi
"$cbindgen" --version

step "clippy"
cargo clippy -p eseal-ffi --all-targets -- -D warnings

step "unit tests"
cargo test --release -p eseal-ffi

step "build libeseal (release)"
cargo build --release -p eseal-ffi
ls -l target/release/libeseal.a target/release/libeseal.so

step "header drift"
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
"$cbindgen" --quiet --config ffi/cbindgen.toml --crate eseal-ffi --output "$fresh/eseal.h" ffi
if ! diff -u ffi/include/eseal.h "$fresh/eseal.h"; then
    echo "ffi/include/eseal.h is out of date: regenerate it with" >&2
    echo "  cbindgen --config ffi/cbindgen.toml --crate eseal-ffi --output ffi/include/eseal.h ffi" >&2
    exit 1
fi
echo "ffi/include/eseal.h matches a fresh cbindgen run"

step "README snippets"
# The C snippets are compiled by ffi/tests/run.sh; the Go and Java ones must be the test files.
bash ffi/tests/extract_snippets.sh ffi/README.md "$fresh/snippets"
for f in go/example_test.go java/test/io/github/eseal/ReadmeExample.java; do
    diff -u "ffi/$f" "$fresh/snippets/$(basename "$f")"
done
echo "README snippets match"

# The Go and Java tests leave the PDFs they sealed here for the independent checks below.
export ESEAL_BINDING_OUT="$fresh/sealed"
mkdir -p "$ESEAL_BINDING_OUT"

step "C tests (AddressSanitizer, Valgrind)"
bash ffi/tests/run.sh all

step "install (ffi/install.sh) and pkg-config"
bash ffi/install.sh "$fresh/prefix"
export PKG_CONFIG_PATH="$fresh/prefix/lib/pkgconfig"
# A Go build cache of this run only: cached cgo packages keep the -L of the prefix they were built
# against (a temporary folder of an earlier run), and Go does not key its cache on pkg-config's output.
export GOCACHE="$fresh/gocache"
pkg-config --cflags --libs eseal
pkg-config --libs eseal-static

step "Go"
(
    cd ffi/go
    export GOFLAGS=-mod=mod GOPROXY=off GOSUMDB=off
    go vet ./...
    test -z "$(gofmt -l .)" || { gofmt -l .; echo "gofmt needed" >&2; exit 1; }
    go test -count=1 ./...
)
bash ffi/go/external/run.sh
bash ffi/go/interop/run.sh

step "Java"
bash ffi/java/run.sh

step "PDFs sealed from Go and Java: eseal verify, qpdf, pdfsig, Bouncy Castle"
cargo build --release --quiet --example eseal
bc_cp=/usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar
javac -nowarn -encoding UTF-8 -cp "$bc_cp" -d "$fresh/bc" test-vectors/java/PdfCmsCheck.java
n=0
for f in "$ESEAL_BINDING_OUT"/*.pdf; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    # The bindings' test signer chains to test-vectors/keys/ca-cert.pem.
    json=$(target/release/examples/eseal verify --trust test-vectors/keys/ca-cert.pem --format json --no-progress "$f" 2>/dev/null) || true
    python3 - "$f" "$json" <<'PY'
import json, sys
name, reports = sys.argv[1], json.loads(sys.argv[2])
r = reports[0]
bad = [(c["id"], c["status"], c["message"]) for s in r["signatures"] for c in s["checks"] if c["status"] == "fail"]
assert r["kind"] == "pdf" and r["signatures"], (name, r)
assert not bad, (name, bad)
print(f"eseal verify: {name}: {r['verdict']}, {len(r['signatures'])} signature(s), no failed check")
PY
    qpdf --check "$f" >/dev/null
    { pdfsig "$f" 2>/dev/null || true; } | grep -c "Signature #1" >/dev/null
    case "$f" in
        *-cms.pdf) java -cp "$fresh/bc:$bc_cp" PdfCmsCheck "$f" ;;
    esac
done
[ "$n" -ge 8 ] || { echo "expected at least 6 PDFs sealed from Go and Java, found $n" >&2; exit 1; }
echo "$n PDFs sealed from Go and Java pass eseal verify, qpdf --check, pdfsig (and Bouncy Castle for CMS)"

step "Spark job in local mode (spark/test.sh)"
bash spark/test.sh
