#!/usr/bin/env bash
# Writes a mixed verification corpus of about N files into DIR for the Spark job's tests and
# benchmark (spark/test.sh, spark/bench.sh):
#   - certificates from examples/gen_corpus (benches/corpus: valid DER/PEM, tampered, expired,
#     revoked, malformed, not-a-seal, unknown issuer, wrong key usage) in DIR/files/dNNN/;
#   - documents made with the eseal CLI in DIR/files/docs/: seals (in force and long expired),
#     detached seal signatures, PDFs sealed with SES and CMS payloads, sealed OFDs (the sample
#     ESEAL_SAMPLES/ofdrw/helloworld.ofd), each also bit-flipped (tampered) and truncated
#     (malformed), the set repeated under new names to make about a tenth of the corpus.
# Also writes DIR/trust.pem (the corpus CA and test-vectors/keys/ca-cert.pem), DIR/crl/ca0.crl
# and DIR/paths.txt (every file, one path a line). Verify it with --at 2026-06-01T00:00:00Z.
#
# usage: spark/corpus.sh DIR N     (needs target/release/examples/{eseal,gen_corpus})
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$1
n=$2
eseal="$root/target/release/examples/eseal"
keys="$root/test-vectors/keys"
samples="${ESEAL_SAMPLES:-$root/../shared/samples}"
ofd_in="$samples/ofdrw/helloworld.ofd"
[ -f "$ofd_in" ] || { echo "missing $ofd_in (set ESEAL_SAMPLES)" >&2; exit 1; }
rm -rf "$dir"
mkdir -p "$dir"
docs_target=$((n / 10))
"$root/target/release/examples/gen_corpus" "$dir" $((n - docs_target)) 1 mixed >/dev/null
cp "$dir/trust.pem" "$dir/corpus-ca.pem"
cat "$dir/corpus-ca.pem" "$keys/ca-cert.pem" >"$dir/trust.pem"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A 1x1 PNG for the seal picture and a one-page PDF to seal.
python3 - "$work" <<'PY'
import base64, sys
d = sys.argv[1]
open(f"{d}/pic.png", "wb").write(base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="))
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (contract) Tj ET\n\nendstream"]
out, offs = bytearray(b"%PDF-1.7\n"), []
for i, o in enumerate(objs):
    offs.append(len(out))
    out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
x = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offs)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, x)
open(f"{d}/in.pdf", "wb").write(out)
PY
signer=(--key "$keys/key.pem" --cert "$keys/leaf-cert.pem")
mkdir -p "$work/set"
i=0
for kind in current expired; do
    for s in 1 2; do
        i=$((i + 1))
        if [ "$kind" = current ]; then
            validity=()
        else
            validity=(--valid-from 2020-01-01T00:00:00Z --valid-to 2021-01-01T00:00:00Z)
        fi
        seal="$work/set/seal-$kind-$s.esl"
        "$eseal" seal make --maker-key "$keys/key.pem" --maker-cert "$keys/leaf-cert.pem" \
            --signer-cert "$keys/leaf-cert.pem" --name "Spark 测试章 $kind $s" --es-id "spark-$kind-$s" \
            --image "$work/pic.png" "${validity[@]}" -o "$seal" >/dev/null
        [ "$kind" = current ] || continue
        echo "contract $s" >"$work/data-$s.txt"
        "$eseal" sign-data --seal "$seal" "${signer[@]}" -o "$work/set/sig-$s.ses" "$work/data-$s.txt" >/dev/null
        "$eseal" sign-pdf --seal "$seal" "${signer[@]}" --payload ses -o "$work/set/doc-$s-ses.pdf" "$work/in.pdf" >/dev/null
        "$eseal" sign-pdf --seal "$seal" "${signer[@]}" --payload cms -o "$work/set/doc-$s-cms.pdf" "$work/in.pdf" >/dev/null
        "$eseal" sign-ofd --seal "$seal" "${signer[@]}" -o "$work/set/doc-$s.ofd" "$ofd_in" >/dev/null
    done
done
# Tampered and malformed (cut in half) copies of each. Tampering changes signed content: the
# page text of a PDF, a page file inside an OFD package, one byte in the middle of a seal or a
# seal signature.
python3 - "$work/set" <<'PY'
import io, os, sys, zipfile
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    b = open(os.path.join(d, name), "rb").read()
    stem, ext = os.path.splitext(name)
    if ext == ".pdf":
        assert b.count(b"(contract)") == 1, name
        t = b.replace(b"(contract)", b"(contrbct)")
    elif ext == ".ofd":
        src, out = zipfile.ZipFile(io.BytesIO(b)), io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for e in src.infolist():
                data = src.read(e)
                if e.filename.endswith("Content.xml") and "/Pages/" in e.filename:
                    data = data.replace(b"<", b" <", 1)
                z.writestr(e, data)
        t = out.getvalue()
    else:
        t = bytearray(b)
        t[len(t) // 2] ^= 0x01
    open(os.path.join(d, f"{stem}-tampered{ext}"), "wb").write(t)
    open(os.path.join(d, f"{stem}-malformed{ext}"), "wb").write(b[: len(b) // 2])
PY
set_files=("$work"/set/*)
mkdir -p "$dir/files/docs"
copies=$(( (docs_target + ${#set_files[@]} - 1) / ${#set_files[@]} ))
for ((c = 0; c < copies; c++)); do
    for f in "${set_files[@]}"; do
        cp "$f" "$dir/files/docs/c$(printf %03d "$c")-$(basename "$f")"
    done
done
find "$dir/files" -type f | sort >"$dir/paths.txt"
echo "$(wc -l <"$dir/paths.txt") files in $dir/files ($(find "$dir/files/docs" -type f | wc -l) documents)"
