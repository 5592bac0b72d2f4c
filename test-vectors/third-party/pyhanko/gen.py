"""pyHanko side of the third-party corpus (see gen.sh and README.md).

  gen.py base IN OUT        copy IN adding an Info dictionary and XMP metadata (pikepdf)
  gen.py updates OUT WORK   write every pyHanko case into OUT from OUT/sealed.pdf
"""

import datetime
import io
import shutil
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def base(src, dst):
    import pikepdf

    with pikepdf.open(src) as pdf:
        pdf.docinfo["/Title"] = "Contract (third-party corpus)"
        pdf.docinfo["/Producer"] = "pikepdf"
        with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
            meta["dc:title"] = "Contract (third-party corpus)"
        pdf.save(dst)


def ecdsa_signer(work):
    """An ECDSA P-256 key and self-signed certificate (Python cryptography)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "pyHanko ECDSA Signer"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "eseal third-party corpus"),
        ]
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    with open(f"{work}/ecdsa.key", "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with open(f"{work}/ecdsa.pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


def updates(out, work):
    from pyhanko.keys import load_cert_from_pemder, load_private_key_from_pemder
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    ecdsa_signer(work)
    shutil.copy(f"{work}/ecdsa.pem", f"{out}/ecdsa.pem")
    signer = signers.SimpleSigner.load(f"{work}/ecdsa.key", f"{work}/ecdsa.pem")
    with open(f"{out}/sealed.pdf", "rb") as f:
        sealed = f.read()

    def writer(data):
        return IncrementalPdfFileWriter(io.BytesIO(data))

    def save(name, data):
        with open(f"{out}/{name}", "wb") as f:
            f.write(data)
        return data

    # 1. A second signature (ECDSA) in a new visible field.
    buf = io.BytesIO()
    signers.sign_pdf(
        writer(sealed),
        signers.PdfSignatureMetadata(field_name="Countersignature", md_algorithm="sha256"),
        signer=signer,
        new_field_spec=fields.SigFieldSpec(
            "Countersignature", box=(300, 60, 520, 120), on_page=0
        ),
        output=buf,
    )
    countersigned = save("countersigned.pdf", buf.getvalue())

    # 2. An empty signature field added.
    w = writer(sealed)
    fields.append_signature_field(
        w, fields.SigFieldSpec("ForTheSecondParty", box=(300, 140, 520, 200), on_page=0)
    )
    buf = io.BytesIO()
    w.write(buf)
    save("empty_field.pdf", buf.getvalue())

    # 3. A DSS (LTV) update after the countersignature: certificates and a VRI entry.
    from pyhanko.pdf_utils.reader import PdfFileReader

    # (the fields are read directly: pyHanko's embedded_signatures refuses eseal's SubFilter)
    r = PdfFileReader(io.BytesIO(countersigned))
    contents = [
        f.get_object()["/V"]["/Contents"]
        for f in r.root["/AcroForm"]["/Fields"]
        if f.get_object().get("/T") == "Countersignature"
    ][0]
    buf = io.BytesIO(countersigned)
    DocumentSecurityStore.add_dss(
        buf,
        bytes(contents),
        certs=[load_cert_from_pemder(f"{out}/ecdsa.pem"), load_cert_from_pemder(f"{out}/tsa.pem")],
    )
    save("ltv.pdf", buf.getvalue())

    # 4. A document timestamp from the local TSA (key and certificate made by OpenSSL).
    tsa = DummyTimeStamper(
        tsa_cert=load_cert_from_pemder(f"{out}/tsa.pem"),
        tsa_key=load_private_key_from_pemder(f"{work}/tsa.key", passphrase=None),
    )
    buf = io.BytesIO()
    signers.PdfTimeStamper(tsa).timestamp_pdf(
        writer(sealed), md_algorithm="sha256", output=buf
    )
    save("doc_timestamp.pdf", buf.getvalue())

    # 5. An update that only rewrites the Info dictionary and the XMP metadata.
    w = writer(sealed)
    w.document_meta.title = "Contract (metadata updated by pyHanko)"
    w.mark_update(w.prev.trailer_view.raw_get("/Info"))
    buf = io.BytesIO()
    w.write(buf)
    save("metadata.pdf", buf.getvalue())

    # 6. Forbidden: the page's content replaced in a later revision.
    w = writer(countersigned)
    page = w.root["/Pages"]["/Kids"][0].get_object()
    content = generic.StreamObject(
        stream_data=b"BT /F1 24 Tf 72 700 Td (Amount: 999 999 CNY) Tj ET\n"
    )
    page["/Contents"] = w.add_object(content)
    w.update_container(page)
    buf = io.BytesIO()
    w.write(buf)
    save("page_changed.pdf", buf.getvalue())


if __name__ == "__main__":
    if sys.argv[1] == "base":
        base(sys.argv[2], sys.argv[3])
    else:
        updates(sys.argv[2], sys.argv[3])
