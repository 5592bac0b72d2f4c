#!/usr/bin/env bash
# Tools for the PDF tests (tests/pdf_*.rs): qpdf --check, pdfsig/pdftoppm (poppler-utils),
# ps2pdf (ghostscript), and pyhanko/pikepdf/reportlab for producing inputs and cross-checking.
# Idempotent and quiet; runs as root on a fresh Debian machine.
set -euo pipefail
ESEAL_TOOLS="${ESEAL_TOOLS:-$PWD/.tools}"
need_apt=0
for t in qpdf pdfsig pdftoppm ps2pdf; do
  command -v "$t" >/dev/null 2>&1 || need_apt=1
done
if [ "$need_apt" = 1 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq qpdf poppler-utils ghostscript >/dev/null
fi
mkdir -p "$ESEAL_TOOLS/py"
if ! PYTHONPATH="$ESEAL_TOOLS/py" python3 -c 'import pyhanko, pikepdf, reportlab' >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check --target "$ESEAL_TOOLS/py" \
    pyhanko pikepdf reportlab >/dev/null
fi
