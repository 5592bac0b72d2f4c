#!/usr/bin/env bash
# Regenerates the pyHanko corpus into OUT (default: this folder): an eseal-sealed PDF (made with
# `eseal demo` keys and `eseal sign-pdf`), then incremental updates written by pyHanko (PyPI):
# a second (ECDSA P-256) signature, an empty signature field, a DSS (LTV) update, a document
# timestamp from a local TSA whose RSA key and certificate OpenSSL makes, a metadata-only
# update (Info + XMP), and a forbidden page content change. Needs python3 with pyhanko,
# pikepdf ($PYTHONPATH, e.g. $ESEAL_TOOLS/py), openssl, and the eseal binary ($ESEAL, default:
# `cargo run --release --example eseal --`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
eseal=${ESEAL:-"cargo run -q --release --example eseal --"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The eseal side: demo PKI, seal and signer key (fresh each run).
(cd "$work" && $eseal demo --dir demo >/dev/null)
cp "$work/demo/root.pem" "$out/eseal-root.pem"
# The local TSA (pyHanko's local timestamper signs with RSA only): an RSA-2048 key and a self-signed certificate with the timeStamping EKU.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/tsa.key" 2>/dev/null
openssl req -x509 -new -key "$work/tsa.key" -subj "/CN=Local Test TSA/O=eseal third-party corpus" \
  -addext "extendedKeyUsage=critical,timeStamping" -addext "keyUsage=critical,digitalSignature" \
  -days 3650 -out "$out/tsa.pem" 2>/dev/null
# The base document with an Info dictionary and XMP metadata (pikepdf), sealed by eseal.
python3 "$here/gen.py" base "$work/demo/contract.pdf" "$work/base.pdf"
$eseal sign-pdf --seal "$work/demo/demo.esl" --cert "$work/demo/signer.pem" \
  --key "$work/demo/signer.key" --password eseal-demo --x 20 --y 20 \
  "$work/base.pdf" -o "$out/sealed.pdf" >/dev/null
python3 "$here/gen.py" updates "$out" "$work"
