#!/usr/bin/env python3
"""Makes PDF inputs from several producers for tests/pdf_producers.rs.

Usage: PYTHONPATH=$ESEAL_TOOLS/py python3 make_inputs.py OUTDIR BASE.pdf

BASE.pdf is a small classic-xref PDF (written by the Rust test). Produces in OUTDIR:
  reportlab.pdf       ReportLab canvas, two pages, one rotated 90 degrees
  ps2pdf.pdf          Ghostscript ps2pdf from a PostScript program
  objstm.pdf          qpdf --object-streams=generate (xref stream + object streams)
  linear.pdf          qpdf --linearize
  objstm_linear.pdf   qpdf --linearize --object-streams=generate
  pyhanko_signed.pdf  signed by pyHanko with a self-signed ECDSA P-256 certificate
                      (its certificate in pyhanko_cert.der)
  certified_p1.pdf    certified by pyHanko with DocMDP /P 1 (no changes allowed)
  multirev.pdf        BASE.pdf plus two incremental revisions written by pyHanko
Missing tools are skipped (the test decides whether that is an error).
"""
import datetime
import os
import subprocess
import sys

out, base = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)


def reportlab():
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    c = canvas.Canvas(os.path.join(out, "reportlab.pdf"), pagesize=A4)
    c.drawString(72, 720, "ReportLab page one")
    c.showPage()
    c.setPageRotation(90)
    c.drawString(72, 720, "ReportLab page two (rotated)")
    c.showPage()
    c.save()


def ps2pdf():
    ps = os.path.join(out, "in.ps")
    with open(ps, "w") as f:
        f.write("%!PS\n/Helvetica findfont 24 scalefont setfont\n72 720 moveto (PostScript page) show\nshowpage\n"
                "72 720 moveto (Second page) show\nshowpage\n")
    subprocess.run(["ps2pdf", ps, os.path.join(out, "ps2pdf.pdf")], check=True)


def qpdf():
    subprocess.run(["qpdf", "--object-streams=generate", base, os.path.join(out, "objstm.pdf")], check=True)
    subprocess.run(["qpdf", "--linearize", base, os.path.join(out, "linear.pdf")], check=True)
    subprocess.run(["qpdf", "--linearize", "--object-streams=generate", base,
                    os.path.join(out, "objstm_linear.pdf")], check=True)


def pyhanko_inputs():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    from asn1crypto import keys as ak, x509 as ax
    from pyhanko.sign import signers
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils import generic

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "pyHanko ECDSA test")])
    now = datetime.datetime(2025, 1, 1, tzinfo=datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(7).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), True)
            .sign(key, hashes.SHA256()))
    der = cert.public_bytes(serialization.Encoding.DER)
    with open(os.path.join(out, "pyhanko_cert.der"), "wb") as f:
        f.write(der)
    kder = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())
    signer = signers.SimpleSigner(signing_cert=ax.Certificate.load(der),
                                  signing_key=ak.PrivateKeyInfo.load(kder), cert_registry=None)
    with open(base, "rb") as inf:
        w = IncrementalPdfFileWriter(inf)
        with open(os.path.join(out, "pyhanko_signed.pdf"), "wb") as outf:
            signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="HankoSig"), signer=signer, output=outf)

    # A certification signature forbidding any change (DocMDP /P 1).
    from pyhanko.sign.fields import MDPPerm
    with open(base, "rb") as inf:
        w = IncrementalPdfFileWriter(inf)
        with open(os.path.join(out, "certified_p1.pdf"), "wb") as outf:
            signers.sign_pdf(w, signers.PdfSignatureMetadata(field_name="Cert", certify=True,
                                                             docmdp_permissions=MDPPerm.NO_CHANGES),
                             signer=signer, output=outf)

    # Two plain incremental revisions: an /Info entry, then a changed /Info.
    src = base
    for i in range(2):
        with open(src, "rb") as inf:
            w = IncrementalPdfFileWriter(inf)
            info = generic.DictionaryObject({generic.NameObject("/Title"): generic.TextStringObject(f"rev {i}")})
            w.trailer["/Info"] = w.add_object(info)
            dst = os.path.join(out, f"multirev{i}.pdf")
            with open(dst, "wb") as outf:
                w.write(outf)
        src = dst
    os.replace(src, os.path.join(out, "multirev.pdf"))
    os.remove(os.path.join(out, "multirev0.pdf"))


for step in (reportlab, ps2pdf, qpdf, pyhanko_inputs):
    try:
        step()
    except Exception as e:  # reported, the test decides
        print(f"{step.__name__}: {e}", file=sys.stderr)
