#!/usr/bin/env bash
# Tools that regenerate test-vectors/third-party/{pyhanko,pdfbox}/ (tests/third_party.rs):
# PDFBox 2 and Bouncy Castle from Debian, a JDK and OpenSSL. pyHanko and pikepdf come from
# .ci/setup.d/pdf.sh (PyPI, into $ESEAL_TOOLS/py). Idempotent and quiet; runs as root on a
# fresh Debian machine.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -f /usr/share/java/pdfbox2.jar ] || need+=(libpdfbox2-java)
[ -f /usr/share/java/commons-logging.jar ] || need+=(libcommons-logging-java)
for j in bcprov bcpkix bcutil; do
  [ -f "/usr/share/java/$j.jar" ] || need+=("lib$j-java")
done
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
