#!/usr/bin/env bash
# Regenerates the producer test PDFs (committed; tests do not run this). Needs Ghostscript
# (Debian ghostscript), Debian fonts-droid-fallback, and ReportLab 4.2.5 + fpdf2 2.8.1 from PyPI
# on PYTHONPATH (e.g. pip install --target "$ESEAL_TOOLS/py" reportlab==4.2.5 fpdf2==2.8.1).
set -euo pipefail
cd "$(dirname "$0")"
python3 reportlab_latin.py
python3 reportlab_cid.py
python3 fpdf2_identity_h.py
ps2pdf gs_ps2pdf.ps gs_ps2pdf.pdf
