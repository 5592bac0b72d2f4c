#!/usr/bin/env bash
# Regenerates the PDFBox corpus into OUT (default: this folder) with PDFBox 2 and Bouncy Castle
# from Debian (libpdfbox2-java, libbcprov-java, libbcpkix-java, libbcutil-java): an SM2 CMS
# signature made by PDFBox+BC, then eseal's seal on top; eseal's seal, then PDFBox+BC's
# signature on top; and a page content change appended by PDFBox after eseal's seal. Needs
# javac/java and the eseal binary ($ESEAL, default: `cargo run --release --example eseal --`).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
eseal=${ESEAL:-"cargo run -q --release --example eseal --"}
J=/usr/share/java
CP=$J/pdfbox2.jar:$J/fontbox2.jar:$J/commons-logging.jar:$J/bcprov.jar:$J/bcpkix.jar:$J/bcutil.jar
for j in pdfbox2 fontbox2 commons-logging bcprov bcpkix bcutil; do
  [ -f "$J/$j.jar" ] || { echo "No such file: $J/$j.jar" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
javac -nowarn -encoding UTF-8 -cp "$CP" -d "$work/cls" "$here/PdfBoxSm2.java"
(cd "$work" && $eseal demo --dir demo >/dev/null)
cp "$work/demo/root.pem" "$out/eseal-root.pem"
seal() {
  $eseal sign-pdf --seal "$work/demo/demo.esl" --cert "$work/demo/signer.pem" \
    --key "$work/demo/signer.key" --password eseal-demo --x 20 --y 20 "$1" -o "$2" >/dev/null
}
seal "$work/demo/contract.pdf" "$out/eseal_sealed.pdf"
java -cp "$work/cls:$CP" PdfBoxSm2 "$work/demo/contract.pdf" "$out/eseal_sealed.pdf" "$out" 2>"$work/java.log" \
  || { cat "$work/java.log" >&2; exit 1; }
seal "$out/pdfbox_signed.pdf" "$out/pdfbox_then_eseal.pdf"
java -version 2>&1 | head -1 >"$out/java-version.txt"
