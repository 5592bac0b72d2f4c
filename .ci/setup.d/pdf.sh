#!/usr/bin/env bash
# Tools for the PDF tests (tests/pdf_*.rs): qpdf --check, pdfsig/pdftoppm (poppler-utils),
# ps2pdf/gs (ghostscript), and pyhanko/pikepdf/reportlab (PyPI, into $ESEAL_TOOLS/py) for
# making inputs and cross-checking outputs. Idempotent and quiet; runs as root on a fresh
# Debian machine.
set -euo pipefail
ESEAL_TOOLS="${ESEAL_TOOLS:-$PWD/.tools}"
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1
need=()
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v pdfsig >/dev/null 2>&1 || need+=(poppler-utils)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
command -v ps2pdf >/dev/null 2>&1 || need+=(ghostscript)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
if [ "${#need[@]}" -gt 0 ]; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
mkdir -p "$ESEAL_TOOLS/py"
if ! PYTHONPATH="$ESEAL_TOOLS/py" python3 -c 'import pyhanko.sign, pikepdf, reportlab' >/dev/null 2>&1; then
  log=$(mktemp)
  if ! python3 -m pip install -q --no-warn-script-location --target "$ESEAL_TOOLS/py" \
      pyhanko pikepdf reportlab >"$log" 2>&1; then
    cat "$log" >&2
    exit 1
  fi
  rm -f "$log"
  PYTHONPATH="$ESEAL_TOOLS/py" python3 -c 'import pyhanko.sign, pikepdf, reportlab'
fi
