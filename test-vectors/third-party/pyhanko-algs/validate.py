"""Cross-check: pyHanko's own validator on every PDF of manifest.json (trust from the manifest,
no fetching, CRLs not consulted). Usage: validate.py [DIR]. Prints file, intact, valid, trusted."""
import json
import sys
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

here = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent)
for case in json.loads((here / "manifest.json").read_text())["cases"]:
    roots = [load_cert_from_pemder(str(here / t)) for t in case.get("trust", [])]
    others = [load_cert_from_pemder(str(here / t)) for t in case.get("intermediates", [])]
    vc = ValidationContext(trust_roots=roots, other_certs=others, allow_fetching=False)
    with open(here / case["file"], "rb") as f:
        sig = PdfFileReader(f).embedded_signatures[0]
        try:
            st = validate_pdf_signature(sig, vc)
        except Exception as e:  # e.g. no path when the manifest gives no trust anchor
            print(case["file"], "error:", type(e).__name__)
            continue
        print(case["file"], "intact" if st.intact else "NOT-intact",
              "valid" if st.valid else "NOT-valid", "trusted" if st.trusted else "NOT-trusted")
