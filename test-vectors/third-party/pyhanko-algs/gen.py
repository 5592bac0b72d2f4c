"""Signs a one-page PDF with pyHanko using the RSA and ECDSA keys of test-vectors/algs.

Usage: gen.py ALGS_DIR OUT_DIR. Writes the PDFs, copies the trust material they need, and
leaves manifest.json (written by hand, checked by tests/cms_algs.rs) alone.
"""
import importlib.metadata
import io
import shutil
import sys
from pathlib import Path

from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from reportlab.pdfgen import canvas

algs, out = Path(sys.argv[1]), Path(sys.argv[2])
out.mkdir(parents=True, exist_ok=True)

for fam in ("rsa", "pss", "ec256", "ec384"):
    for part in ("root", "inter", "inter_crl", "root_crl"):
        src = algs / f"{fam}_{part}.pem"
        if src.resolve() != (out / src.name).resolve():
            shutil.copyfile(src, out / src.name)


def base_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1, pageCompression=0)
    c.drawString(72, 770, "Contract signed abroad (eseal RSA/ECDSA test)")
    c.showPage()
    c.save()
    return buf.getvalue()


def sign(data: bytes, fam: str, who: str, md: str, pss: bool = False) -> bytes:
    signer = signers.SimpleSigner.load(
        str(algs / f"{fam}_{who}.key"),
        str(algs / f"{fam}_{who}.pem"),
        ca_chain_files=(str(algs / f"{fam}_inter.pem"),),
        prefer_pss=pss,
    )
    meta = signers.PdfSignatureMetadata(field_name="Signature1", md_algorithm=md)
    w = IncrementalPdfFileWriter(io.BytesIO(data))
    return signers.sign_pdf(w, meta, signer=signer).getvalue()


base = base_pdf()
files = {
    "rsa_pkcs1_sha256.pdf": sign(base, "rsa", "signer", "sha256"),
    "rsa_pss_sha256.pdf": sign(base, "rsa", "signer", "sha256", pss=True),
    "rsa_pss_sha512.pdf": sign(base, "pss", "signer", "sha512", pss=True),
    "ecdsa_p256_sha256.pdf": sign(base, "ec256", "signer", "sha256"),
    "ecdsa_p384_sha384.pdf": sign(base, "ec384", "signer", "sha384"),
    "rsa_revoked.pdf": sign(base, "rsa", "revoked", "sha256"),
}
# The signed content changed after signing (one byte of the page text, same length).
t = bytearray(files["ecdsa_p256_sha256.pdf"])
i = t.index(b"Contract signed abroad")
t[i] = ord("c")
files["ecdsa_p256_tampered.pdf"] = bytes(t)
for name, data in files.items():
    (out / name).write_bytes(data)
(out / "pyhanko-version.txt").write_text(
    f"pyHanko {importlib.metadata.version('pyhanko')}\n"
)
