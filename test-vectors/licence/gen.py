"""Electronic licences (电子证照) made without eseal's code: OFD packages written with Python's
zipfile, the XML as text (GB/T 33190-2016 §7.4 CustomDatas, §16 custom tags, §11 text), the
licence identifier and its check character computed here (ISO 7064 MOD 37,36 hybrid, as the
provincial access guide describes it; checked below against published identifiers), X.509
certificates and the GB/T 38540 seal and SES_Signature as DER, every SM2-with-SM3 signature and
SM3 digest made by tongsuopy (the Tongsuo C library, default user ID 1234567812345678). The seal
and SES_Signature builders of test-vectors/third-party/ofd/gen.py are reused as a module.

A test PKI is made on every run (root CA, the issuing authority's certificate carrying its
unified social credit code in the e-government extension 1.2.156.10260.4.1.4, another
authority's certificate), so the files and root.pem change together.

Cases (manifest.json gives every licence check's expected status at its reference time):
- custom_datas.ofd: the metadata in OFD.xml DocInfo CustomDatas under the platform clients'
  English keys (certificateIdentifier, …), the identifier also shown on the page;
- custom_tag.ofd: the metadata only in a custom tag file (TypeID="cert", Tag_Certificate.xml,
  namespace http://www.cert.org/, Chinese element names), bound to the page's text objects;
- page_only.ofd: no metadata, the identifier only as page text;
- tampered_field.ofd: custom_datas.ofd with the holder changed in OFD.xml after sealing;
- wrong_check_character.ofd, bad_holder_code.ofd, expired.ofd, page_differs.ofd: one defect
  each, sealed after it was made; other_authority.ofd: sealed by another authority.

usage: PYTHONPATH=$ESEAL_TOOLS/py python3 gen.py [OUTDIR]     (default: ./py next to this file)
"""
import base64
import importlib.util
import io
import json
import os
import sys
import zipfile

from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "thirdparty_ofd_gen", os.path.join(HERE, "..", "third-party", "ofd", "gen.py"))
tp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tp)
seq, integer, utf8, octets, bits, oid = tp.seq, tp.integer, tp.utf8, tp.octets, tp.bits, tp.oid

OID_SM2_SM3 = "1.2.156.10197.1.501"
OID_SM3 = "1.2.156.10197.1.401"
NS = 'xmlns:ofd="http://www.ofdspec.org/2016"'
REFERENCE_TIME = "2026-12-15T00:00:00Z"  # inside the seal's validity (tp.seal) and after SIGNED_AT
AUTHORITY = "11370000MB2852565A"
OTHER_AUTHORITY = "113700000045046442"
HOLDER_CODE = "91350100M000100Y43"
TYPE_CODE = "11100000000013338W011"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# --- DER beyond the shared helpers -------------------------------------------------------------
def tlv(tag, body):
    return bytes([tag]) + seq(body)[1:]


def der_set(*items):
    return tlv(0x31, b"".join(items))


def printable(s):
    return tlv(0x13, s.encode("ascii"))


def utc_time(s):
    return tlv(0x17, s.encode("ascii"))


def name(*rdns):
    return seq(*[der_set(seq(oid(o), utf8(v))) for o, v in rdns])


def extension(ext_oid, value, critical=False):
    return seq(oid(ext_oid), *([tlv(0x01, b"\xff")] if critical else []), octets(value))


def certificate(serial, issuer, subject, public_key, issuer_key, ca, extra=()):
    spki = public_key.public_bytes(serialization.Encoding.DER,
                                   serialization.PublicFormat.SubjectPublicKeyInfo)
    exts = [extension("2.5.29.19", seq(tlv(0x01, b"\xff")) if ca else seq(), critical=True),
            # keyCertSign + cRLSign for the CA, digitalSignature + nonRepudiation for a signer
            extension("2.5.29.15", tlv(0x03, b"\x01\x06" if ca else b"\x06\xc0"), critical=True)]
    exts += list(extra)
    tbs = seq(tlv(0xA0, integer(2)), integer(serial), seq(oid(OID_SM2_SM3)), issuer,
              seq(utc_time("250101000000Z"), utc_time("351231235959Z")), subject, spki,
              tlv(0xA3, seq(*exts)))
    return seq(tbs, seq(oid(OID_SM2_SM3)), bits(tp.sign(issuer_key, tbs)))


def pem(der):
    b = base64.b64encode(der).decode()
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) \
        + "\n-----END CERTIFICATE-----\n"


def pki():
    root_key = ec.generate_private_key(ec.SM2())
    root_name = name(("2.5.4.6", "CN"), ("2.5.4.10", "licence gen.py"), ("2.5.4.3", "licence gen.py root CA"))
    root = certificate(1, root_name, root_name, root_key.public_key(), root_key, True)
    authorities = {}
    for serial, code, who in [(2, AUTHORITY, "某省市场监督管理局"), (3, OTHER_AUTHORITY, "另一个机关")]:
        key = ec.generate_private_key(ec.SM2())
        subject = name(("2.5.4.6", "CN"), ("2.5.4.10", who), ("2.5.4.3", who + "电子印章"))
        cert = certificate(serial, root_name, subject, key.public_key(), root_key, False,
                           [extension("1.2.156.10260.4.1.4", printable(code))])
        authorities[code] = (key, cert)
    return root, authorities


# --- the licence identifier (ISO 7064 MOD 37,36 hybrid) ----------------------------------------
def mod37_36(data):
    m = 36
    p = m
    for c in data:
        s = (p + ALNUM.index(c)) % m or m
        p = s * 2 % (m + 1)
    return ALNUM[(m + 1 - p) % m]


def identifier(type_code, authority, serial, version=1):
    v = "%03d" % version
    return f"1.2.156.3005.2.{type_code}.{authority}.{serial}.{v}.{mod37_36(type_code + authority + serial + v)}"


# Published identifiers (a provincial portal's examples) this rule must reproduce.
for _known in ["1.2.156.3005.2.11100000000013338W011.11430000006122244L.20230000403.002.S",
               "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0",
               "1.2.156.3005.2.11100000000013338W087.11370800MB28559184.37080001202411010001.001.3"]:
    _p = _known.split(".")
    assert identifier(_p[5], _p[6], _p[7], int(_p[8])) == _known, _known


# --- the OFD -----------------------------------------------------------------------------------
def xml(body):
    return ('<?xml version="1.0" encoding="UTF-8"?>' + body).encode("utf-8")


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def licence(serial="20240000117", valid_to="2044-05-19", holder_code=HOLDER_CODE, authority=AUTHORITY,
            holder="某某科技有限公司"):
    return {
        "证照名称": "营业执照",
        "证照类型名称": "营业执照",
        "证照类型代码": TYPE_CODE,
        "证照编号": serial,
        "证照标识": identifier(TYPE_CODE, authority, serial),
        "证照颁发机构": "某省市场监督管理局",
        "证照颁发机构代码": authority,
        "证照颁发日期": "2024-05-20",
        "持证主体": holder,
        "持证主体代码": holder_code,
        "持证主体代码类型": "001",
        "证照有效期起始日期": "2024-05-20",
        "证照有效期截止日期": valid_to,
    }


ENGLISH = {
    "证照名称": "certificateName", "证照类型名称": "certificateTypeName", "证照类型代码": "certificateTypeCode",
    "证照编号": "certificateNumber", "证照标识": "certificateIdentifier",
    "证照颁发机构": "certificateIssuingAuthorityName", "证照颁发机构代码": "certificateIssuingAuthorityCode",
    "证照颁发日期": "certificateIssuedDate", "持证主体": "certificateHolderName",
    "持证主体代码": "certificateHolderCode", "持证主体代码类型": "certificateHolderType",
    "证照有效期起始日期": "certificateEffectiveDate", "证照有效期截止日期": "certificateExpiringDate",
}

# Text objects of the page: ID → (field shown, y in mm).
PAGE_OBJECTS = {"11": ("持证主体", 60), "12": ("证照编号", 75), "13": ("证照有效期截止日期", 90),
                "14": ("证照标识", 270)}


def page_xml(fields, shown):
    objs = ['<ofd:TextObject ID="10" Boundary="20 20 170 12" Font="6" Size="8">'
            '<ofd:TextCode X="60" Y="8">营业执照</ofd:TextCode></ofd:TextObject>']
    for oid_, (field, y) in PAGE_OBJECTS.items():
        text = shown.get(field, fields.get(field, ""))
        if not text:
            continue
        size = 3 if field == "证照标识" else 4.5
        objs.append(f'<ofd:TextObject ID="{oid_}" Boundary="20 {y} 175 8" Font="6" Size="{size}">'
                    f'<ofd:TextCode X="0" Y="{size}">{esc(text)}</ofd:TextCode></ofd:TextObject>')
    return xml(f'<ofd:Page {NS}><ofd:Content><ofd:Layer ID="9">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')


def package(fields, where, shown=None):
    """The unsigned files: metadata `where` = "custom_datas", "custom_tag" or "page"."""
    shown = shown or {}
    datas = ""
    if where == "custom_datas":
        datas = "<ofd:CustomDatas>" + "".join(
            f'<ofd:CustomData Name="{ENGLISH[k]}">{esc(v)}</ofd:CustomData>' for k, v in fields.items()
        ) + "</ofd:CustomDatas>"
    files = {
        "OFD.xml": xml(f'<ofd:OFD {NS} DocType="OFD" Version="1.0"><ofd:DocBody><ofd:DocInfo>'
                       "<ofd:DocID>6c1d0e5f9a8b4c7d8e9f0a1b2c3d4e5f</ofd:DocID><ofd:Title>营业执照</ofd:Title>"
                       f"<ofd:Creator>licence gen.py</ofd:Creator>{datas}</ofd:DocInfo>"
                       "<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
                       "<ofd:Signatures>Doc_0/Signs/Signatures.xml</ofd:Signatures></ofd:DocBody></ofd:OFD>"),
        "Doc_0/PublicRes.xml": xml(f'<ofd:Res {NS} BaseLoc="Res"><ofd:Fonts><ofd:Font ID="6" FontName="宋体"/>'
                                   "</ofd:Fonts></ofd:Res>"),
        "Doc_0/Pages/Page_0/Content.xml": page_xml(fields if where != "page" else
                                                   {"证照标识": fields["证照标识"]}, shown),
    }
    tags = ""
    if where == "custom_tag":
        tags = "<ofd:CustomTags>Tags/CustomTags.xml</ofd:CustomTags>"
        files["Doc_0/Tags/CustomTags.xml"] = xml(
            f'<ofd:CustomTags {NS}><ofd:CustomTag TypeID="cert"><ofd:FileLoc>Tag_Certificate.xml</ofd:FileLoc>'
            "</ofd:CustomTag></ofd:CustomTags>")
        on_page = {f: o for o, (f, _) in PAGE_OBJECTS.items()}
        items = []
        for k, v in fields.items():
            ref = f'<cert:ObjectRef PageRef="3">{on_page[k]}</cert:ObjectRef>' if k in on_page else ""
            items.append(f"<cert:{k}>{esc(v)}{ref}</cert:{k}>")
        files["Doc_0/Tags/Tag_Certificate.xml"] = xml(
            f'<cert:Certificate xmlns:cert="http://www.cert.org/">{"".join(items)}</cert:Certificate>')
    files["Doc_0/Document.xml"] = xml(
        f"<ofd:Document {NS}><ofd:CommonData><ofd:MaxUnitID>20</ofd:MaxUnitID>"
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
        f'<ofd:Pages><ofd:Page ID="3" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages>{tags}</ofd:Document>')
    return files


def sealed(key, cert, files):
    """Seals every file with a seal signature (tp.seal / tp.ses_signature)."""
    files = dict(files)
    files["Doc_0/Signs/Signatures.xml"] = xml(
        f'<ofd:Signatures {NS}><ofd:MaxSignId>1</ofd:MaxSignId><ofd:Signature ID="1" Type="Seal" '
        'BaseLoc="/Doc_0/Signs/Sign_0/Signature.xml"/></ofd:Signatures>')
    refs = "".join(f'<ofd:Reference FileRef="/{n}"><ofd:CheckValue>'
                   f"{base64.b64encode(tp.sm3(d)).decode()}</ofd:CheckValue></ofd:Reference>"
                   for n, d in files.items())
    sx = xml(f'<ofd:Signature {NS}><ofd:SignedInfo><ofd:Provider ProviderName="licence gen.py" '
             'Version="1.0" Company="eseal tests"/>'
             f"<ofd:SignatureMethod>{OID_SM2_SM3}</ofd:SignatureMethod>"
             f"<ofd:SignatureDateTime>{tp.SIGNED_AT}</ofd:SignatureDateTime>"
             f'<ofd:References CheckMethod="{OID_SM3}">{refs}</ofd:References>'
             '<ofd:StampAnnot ID="1" PageRef="3" Boundary="140 200 40 40"/></ofd:SignedInfo>'
             "<ofd:SignedValue>/Doc_0/Signs/Sign_0/SignedValue.dat</ofd:SignedValue></ofd:Signature>")
    files["Doc_0/Signs/Sign_0/Signature.xml"] = sx
    files["Doc_0/Signs/Sign_0/SignedValue.dat"] = tp.ses_signature(key, cert, sx)
    return files


def write(path, files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, d in files.items():
            info = zipfile.ZipInfo(n, date_time=(2026, 12, 1, 8, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, d)
    with open(path, "wb") as f:
        f.write(buf.getvalue())


CHECKS = ["licence.metadata_protected", "licence.identifier", "licence.codes",
          "licence.issuer_matches_seal", "licence.validity", "licence.consistency"]


def expect(**changed):
    e = {c: "pass" for c in CHECKS}
    for k, v in changed.items():
        e["licence." + k] = v
    return e


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "py")
    os.makedirs(out, exist_ok=True)
    root, auth = pki()
    key, cert = auth[AUTHORITY]
    okey, ocert = auth[OTHER_AUTHORITY]
    good = licence()
    cases = {}

    cases["custom_datas.ofd"] = (sealed(key, cert, package(good, "custom_datas")), expect())
    cases["custom_tag.ofd"] = (sealed(key, cert, package(good, "custom_tag")), expect())
    cases["page_only.ofd"] = (sealed(key, cert, package(good, "page")),
                              expect(codes="skip", validity="skip", consistency="skip"))

    f = sealed(key, cert, package(good, "custom_datas"))
    f["OFD.xml"] = f["OFD.xml"].replace("某某科技有限公司".encode(), "另一家科技有限公司".encode())
    # The seal no longer covers OFD.xml: nothing protects the metadata to match the authority with.
    cases["tampered_field.ofd"] = (f, expect(metadata_protected="fail", issuer_matches_seal="warn"))

    wrong = dict(good)
    last = wrong["证照标识"][-1]
    wrong["证照标识"] = wrong["证照标识"][:-1] + ("B" if last == "A" else "A")
    cases["wrong_check_character.ofd"] = (sealed(key, cert, package(wrong, "custom_datas")),
                                          expect(identifier="fail"))
    cases["bad_holder_code.ofd"] = (
        sealed(key, cert, package(licence(holder_code=HOLDER_CODE[:-1] + "4"), "custom_datas")),
        expect(codes="fail"))
    cases["expired.ofd"] = (sealed(key, cert, package(licence(valid_to="2026-06-30"), "custom_datas")),
                            expect(validity="fail"))
    cases["other_authority.ofd"] = (sealed(okey, ocert, package(good, "custom_datas")),
                                    expect(issuer_matches_seal="fail"))
    cases["page_differs.ofd"] = (sealed(key, cert, package(good, "custom_tag", {"持证主体": "另一家公司"})),
                                 expect(consistency="fail"))

    manifest = {"generator": "test-vectors/licence/gen.py", "reference_time": REFERENCE_TIME,
                "trust": ["root.pem"], "cases": []}
    for n, (files, checks) in cases.items():
        write(os.path.join(out, n), files)
        manifest["cases"].append({"file": n, "checks": checks})
    with open(os.path.join(out, "root.pem"), "w") as f:
        f.write(pem(root))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
