"""Sealed OFD documents made without eseal's code, for the coverage rules of issue 11.

Python's zipfile writes the package, the XML is written as text below (GB/T 33190-2016 §7 and
§18), the v4 SES_Signature and its seal (GB/T 38540-2020) are DER from the small encoder of test-vectors/py/der.py,
and SM2-with-SM3 signatures and SM3 digests come from tongsuopy (the Tongsuo C library, default
user ID 1234567812345678). Keys: test-vectors/keys/key.pem and its certificate leaf-cert.pem
(maker and signer) under test-vectors/keys/ca-cert.pem.

usage: PYTHONPATH=$ESEAL_TOOLS/py python3 gen.py [OUTDIR]     (default: this folder)

Each document: one page with text, a template page, a PublicRes with a font, a DocumentRes with a
PNG image drawn on the page, an annotation list with one watermark annotation, a seal signature
Doc_0/Signs/Sign_0. What the signature's References cover, and what changed after signing, is
given in CASES (see manifest.json for the verdicts).
"""
import base64
import io
import os
import struct
import sys
import zipfile
import zlib

from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "..", "keys")
sys.path.insert(0, os.path.join(HERE, "..", "..", "py"))
from der import bits, gtime, ia5, integer, octets, oid, pem_to_der, seq, utf8  # noqa: E402
OID_SM2_SM3 = "1.2.156.10197.1.501"
OID_SM3 = "1.2.156.10197.1.401"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
SIGNED_AT = "20261201000000Z"


# --- crypto (tongsuopy) ----------------------------------------------------------------------
def sm3(data):
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def sign(key, data):
    return key.sign(data, ec.ECDSA(hashes.SM3()))


def load_keys():
    with open(os.path.join(KEYS, "key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(KEYS, "leaf-cert.pem"), "rb") as f:
        cert = pem_to_der(f.read().decode())
    return key, cert


def png(rgba):
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" + rgba))
            + chunk(b"IEND", b""))


def seal(key, cert):
    info = seq(
        seq(ia5("ES"), integer(4), ia5("third-party-py")),
        ia5("es-ofd-3p"),
        seq(integer(1), utf8("第三方测试章"), integer(1), seq(octets(cert)), gtime("20261128000000Z"),
            gtime("20261128000000Z"), gtime("20300101000000Z")),
        seq(ia5("PNG"), octets(png(b"\xff\x00\x00\xff")), integer(40), integer(40)),
    )
    return seq(info, octets(cert), oid(OID_SM2_SM3), bits(sign(key, info)))


def ses_signature(key, cert, signature_xml):
    tbs = seq(integer(4), seal(key, cert), gtime(SIGNED_AT), bits(sm3(signature_xml)),
              ia5("/Doc_0/Signs/Sign_0/Signature.xml"))
    return seq(tbs, octets(cert), oid(OID_SM2_SM3), bits(sign(key, tbs)))


# --- the document ----------------------------------------------------------------------------
def xml(body):
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode("utf-8")


def ofd_xml(doc_root="Doc_0/Document.xml", signatures=True):
    sigs = "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures>" if signatures else ""
    return xml(f'<ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
               "<ofd:DocID>3p0ffd0c0000000000000000000000000</ofd:DocID><ofd:Creator>gen.py</ofd:Creator>"
               '<ofd:CustomDatas><ofd:CustomData Name="发票号码">00000001</ofd:CustomData></ofd:CustomDatas>'
               f"</ofd:DocInfo><ofd:DocRoot>{doc_root}</ofd:DocRoot>{sigs}</ofd:DocBody></ofd:OFD>")


def document_xml(page_text_id="3"):
    return xml(f"<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID>"
               "<ofd:PageArea><ofd:PhysicalBox>0 0 210 140</ofd:PhysicalBox></ofd:PageArea>"
               "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
               '<ofd:TemplatePage ID="2" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>'
               f'<ofd:Pages><ofd:Page ID="{page_text_id}" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>'
               "<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations></ofd:Document>")


def page_xml(text):
    return xml(f'<ofd:Page {NS}><ofd:Template TemplateID="2" ZOrder="Background"/><ofd:Content>'
               '<ofd:Layer ID="4"><ofd:TextObject ID="5" Boundary="20 20 120 10" Font="6" Size="5">'
               f'<ofd:TextCode X="0" Y="5">{text}</ofd:TextCode></ofd:TextObject>'
               '<ofd:ImageObject ID="7" ResourceID="8" Boundary="150 20 20 20" CTM="20 0 0 20 0 0"/>'
               "</ofd:Layer></ofd:Content></ofd:Page>")


def template_xml(label):
    return xml(f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="9"><ofd:TextObject ID="10" '
               f'Boundary="20 5 120 10" Font="6" Size="6"><ofd:TextCode X="0" Y="6">{label}</ofd:TextCode>'
               "</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")


def annotations_xml(n):
    pages = "".join(f'<ofd:Page PageID="3"><ofd:FileLoc>Page_0/Annotation_{i}.xml</ofd:FileLoc></ofd:Page>'
                    for i in range(n))
    return xml(f"<ofd:Annotations {NS}>{pages}</ofd:Annotations>")


def annotation_xml(text):
    return xml(f'<ofd:PageAnnot {NS}><ofd:Annot ID="11" Type="Watermark"><ofd:Appearance Boundary="20 60 100 10">'
               f'<ofd:TextObject ID="12" Boundary="0 0 100 10" Font="6" Size="5"><ofd:TextCode X="0" Y="5">{text}'
               "</ofd:TextCode></ofd:TextObject></ofd:Appearance></ofd:Annot></ofd:PageAnnot>")


def base_files():
    return {
        "OFD.xml": ofd_xml(),
        "Doc_0/Document.xml": document_xml(),
        "Doc_0/PublicRes.xml": xml(f'<ofd:Res {NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="6" FontName="宋体"/>'
                                   "</ofd:Fonts></ofd:Res>"),
        "Doc_0/DocumentRes.xml": xml(f'<ofd:Res {NS} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="8" '
                                     'Type="Image" Format="PNG"><ofd:MediaFile>logo.png</ofd:MediaFile>'
                                     "</ofd:MultiMedia></ofd:MultiMedias></ofd:Res>"),
        "Doc_0/Res/logo.png": png(b"\x00\x00\xff\xff"),
        "Doc_0/Tpls/Tpl_0/Content.xml": template_xml("合同模板 第 1 版"),
        "Doc_0/Pages/Page_0/Content.xml": page_xml("金额：壹万元整"),
        "Doc_0/Annots/Annotations.xml": annotations_xml(1),
        "Doc_0/Annots/Page_0/Annotation_0.xml": annotation_xml("仅供内部使用"),
    }


def signature_xml(files, protected):
    refs = "".join(f'<ofd:Reference FileRef="/{name}"><ofd:CheckValue>'
                   f"{base64.b64encode(sm3(files[name])).decode()}</ofd:CheckValue></ofd:Reference>"
                   for name in protected)
    return xml(f'<ofd:Signature {NS}><ofd:SignedInfo><ofd:Provider ProviderName="gen.py third-party" '
               'Version="1.0" Company="eseal tests"/>'
               f"<ofd:SignatureMethod>{OID_SM2_SM3}</ofd:SignatureMethod>"
               f"<ofd:SignatureDateTime>{SIGNED_AT}</ofd:SignatureDateTime>"
               f'<ofd:References CheckMethod="{OID_SM3}">{refs}</ofd:References>'
               '<ofd:StampAnnot ID="1" PageRef="3" Boundary="100 80 40 40"/></ofd:SignedInfo>'
               "<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>")


def sealed(key, cert, files, leave_out=()):
    """Seals `files`: every file is protected except those in `leave_out`."""
    files = dict(files)
    protected = [n for n in files if n not in leave_out]
    files["Doc_0/Signs/Signatures.xml"] = xml(
        f'<ofd:Signatures {NS}><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" '
        'BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>')
    sx = signature_xml(files, protected)
    files["Doc_0/Signs/Sign_0/Signature.xml"] = sx
    files["Doc_0/Signs/Sign_0/SignedValue.dat"] = ses_signature(key, cert, sx)
    return files


def write(path, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 12, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


def cases(key, cert):
    base = base_files()
    out = {}
    out["all-protected.ofd"] = sealed(key, cert, base)
    out["ofdxml-unprotected.ofd"] = sealed(key, cert, base, ["OFD.xml"])
    out["template-unprotected.ofd"] = sealed(key, cert, base, ["OFD.xml", "Doc_0/Tpls/Tpl_0/Content.xml"])

    # An annotation added after signing, the annotation list protected: the list changed.
    f = sealed(key, cert, base)
    f["Doc_0/Annots/Annotations.xml"] = annotations_xml(2)
    f["Doc_0/Annots/Page_0/Annotation_1.xml"] = annotation_xml("已作废")
    out["annotation-added.ofd"] = f

    # The same, the signer having left the annotations open (not among the References).
    f = sealed(key, cert, base, ["Doc_0/Annots/Annotations.xml", "Doc_0/Annots/Page_0/Annotation_0.xml"])
    f["Doc_0/Annots/Annotations.xml"] = annotations_xml(2)
    f["Doc_0/Annots/Page_0/Annotation_1.xml"] = annotation_xml("已作废")
    out["annotation-added-open.ofd"] = f

    # OFD.xml left open, then DocRoot pointed at a second, unprotected document.
    f = sealed(key, cert, base, ["OFD.xml"])
    for name in ["Document.xml", "PublicRes.xml", "DocumentRes.xml", "Res/logo.png", "Tpls/Tpl_0/Content.xml",
                 "Annots/Annotations.xml", "Annots/Page_0/Annotation_0.xml"]:
        f["Doc_1/" + name] = base["Doc_0/" + name]
    f["Doc_1/Pages/Page_0/Content.xml"] = page_xml("金额：壹佰万元整")
    f["OFD.xml"] = ofd_xml(doc_root="Doc_1/Document.xml")
    out["docroot-swapped.ofd"] = f

    # A protected template changed after signing.
    f = sealed(key, cert, base)
    f["Doc_0/Tpls/Tpl_0/Content.xml"] = template_xml("合同模板 第 2 版")
    out["template-changed.ofd"] = f
    return out


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    key, cert = load_keys()
    for name, files in cases(key, cert).items():
        write(os.path.join(out, name), files)


if __name__ == "__main__":
    main()
