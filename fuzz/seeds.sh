#!/usr/bin/env bash
# Collects the seed corpora into fuzz/corpus/<target>/ (not in git) from test-vectors/ and, when
# ESEAL_SAMPLES names the shared samples folder, from the real samples there (the seals, seal
# signatures and SignedValue.dat files inside OFD packages are extracted too). Files are copied
# under their content's name, so running it twice adds nothing.
set -euo pipefail
cd "$(dirname "$0")"
root=..
out=corpus
samples="${ESEAL_SAMPLES:-}"
mkdir -p "$out"

add() { # add TARGET FILE...
    local t=$1
    shift
    mkdir -p "$out/$t"
    for f in "$@"; do
        [ -f "$f" ] || continue
        [ "$(stat -c %s "$f")" -le 1048576 ] || continue
        cp "$f" "$out/$t/$(sha1sum "$f" | cut -c1-16)"
    done
}

shopt -s nullglob
tv=$root/test-vectors
certs=("$tv"/chains/*.pem "$tv"/chains-bc/*.pem "$tv"/keys/*cert*.pem)
crls=("$tv"/chains/*crl*.pem "$tv"/chains-bc/*.crl.pem)
keys=("$tv"/keys/*.pem "$tv"/keys/*.der "$tv"/keys/*.p12)
pdfs=("$tv"/pdf/attacks/*.pdf)
ofds=()
seals=()
sigs=()
if [ -n "$samples" ] && [ -d "$samples" ]; then
    s=$samples/ofdrw
    certs+=("$s"/*.pem)
    keys+=("$s"/*.p12 "$s"/*key*.pem)
    pdfs+=("$s"/*.pdf)
    ofds+=("$s"/*.ofd)
    seals+=("$s"/*.esl "$s"/*.DER)
    sigs+=("$s"/*.dat)
    # The seals and signed values inside the OFD packages.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    python3 - "$tmp" "${ofds[@]}" <<'PY'
import sys, zipfile, hashlib, os
out = sys.argv[1]
for p in sys.argv[2:]:
    try:
        z = zipfile.ZipFile(p)
    except zipfile.BadZipFile:
        continue
    for n in z.namelist():
        low = n.lower()
        if low.endswith((".esl", ".dat")):
            b = z.read(n)
            ext = "esl" if low.endswith(".esl") else "dat"
            with open(os.path.join(out, hashlib.sha1(b).hexdigest()[:16] + "." + ext), "wb") as f:
                f.write(b)
PY
    seals+=("$tmp"/*.esl)
    sigs+=("$tmp"/*.dat)
fi

add ses_seal "${seals[@]}"
add ses_signature "${sigs[@]}" "${seals[@]}"
add x509_cert "${certs[@]}"
add x509_crl "${crls[@]}"
add keyfile "${keys[@]}"
add cms_signed_data "${sigs[@]}"
add tst_token "${seals[@]}" "${sigs[@]}"
add pdf_read "${pdfs[@]}"
add pdf_verify "${pdfs[@]}"
add ofd_package "${ofds[@]}"
add ofd_verify "${ofds[@]}"
add batch_detect "${pdfs[@]}" "${ofds[@]}" "${seals[@]}" "${sigs[@]}" "${certs[@]}"
# Every target gets at least one (empty) seed so libFuzzer starts.
for t in $(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v eseal-fuzz); do
    mkdir -p "$out/$t"
    [ -n "$(ls -A "$out/$t")" ] || : > "$out/$t/empty"
    echo "$t: $(ls "$out/$t" | wc -l) seeds"
done
