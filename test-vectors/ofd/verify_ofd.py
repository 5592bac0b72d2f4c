#!/usr/bin/env python3
"""Independent verifier for sealed OFD files (GB/T 33190 §18 + GB/T 38540 SES_Signature v4).

Shares no code with eseal: zipfile for the package, a tiny DER reader written here, SM3 from
`cryptography` (or gmssl's sm3 when cryptography lacks SM3), SM2 verification from tongsuopy
(Tongsuo: SM2 with the default user ID 1234567812345678, DER signatures).

For every signature listed in Signatures.xml it checks:
  - every Reference CheckValue == base64(SM3(exact bytes of the file));
  - SES_Signature.toSign.dataHash == SM3(exact bytes of Signature.xml);
  - propertyInfo names Signature.xml;
  - the signer's SM2 signature over the raw DER of TBS_Sign, with the key of the signer
    certificate carried in the SES_Signature;
  - Seal.esl (when named) equals the SESeal inside TBS_Sign.
Prints one JSON line per signature and exits 0 only if every check of every signature passes.

usage: verify_ofd.py FILE.ofd [--expect-signatures N]
"""
import base64
import json
import posixpath
import sys
import xml.etree.ElementTree as ET
import zipfile


def sm3(data):
    try:
        from cryptography.hazmat.primitives import hashes

        h = hashes.Hash(hashes.SM3())
        h.update(data)
        return h.finalize()
    except Exception:
        from gmssl import sm3 as g

        return bytes.fromhex(g.sm3_hash(list(data)))


def tlv(buf, pos):
    """Returns (tag, body_start, end, header_start) of the DER element at pos."""
    tag = buf[pos]
    ln = buf[pos + 1]
    i = pos + 2
    if ln & 0x80:
        n = ln & 0x7F
        ln = int.from_bytes(buf[i:i + n], "big")
        i += n
    if i + ln > len(buf):
        raise ValueError("DER element overruns its buffer")
    return tag, i, i + ln, pos


def children(buf, start, end):
    out = []
    p = start
    while p < end:
        t, b, e, h = tlv(buf, p)
        out.append((t, b, e, h))
        p = e
    return out


def local(tag):
    return tag.rsplit("}", 1)[-1]


def find(node, name):
    for c in node:
        if local(c.tag) == name:
            return c
    return None


def findall(node, name):
    return [c for c in node if local(c.tag) == name]


def resolve(referrer, loc):
    loc = loc.strip().replace("\\", "/")
    if loc.startswith("/"):
        p = loc
    else:
        p = posixpath.join("/" + posixpath.dirname(referrer), loc)
    return posixpath.normpath(p).lstrip("/")


def spki_point(cert):
    """The subjectPublicKey bytes of a DER certificate."""
    _, b, e, _ = tlv(cert, 0)
    tbs = children(cert, b, e)[0]
    f = children(cert, tbs[1], tbs[2])
    if f[0][0] == 0xA0:  # version
        f = f[1:]
    spki = f[5]
    alg, key = children(cert, spki[1], spki[2])
    bits = cert[key[1]:key[2]]
    return bits[1:]


def sm2_verify(point, sig, data):
    from tongsuopy.crypto import hashes
    from tongsuopy.crypto.asymciphers import ec

    pk = ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), point)
    try:
        pk.verify(sig, data, ec.ECDSA(hashes.SM3()))
        return True
    except Exception:
        return False


def main():
    path = sys.argv[1]
    expect = None
    if "--expect-signatures" in sys.argv:
        expect = int(sys.argv[sys.argv.index("--expect-signatures") + 1])
    z = zipfile.ZipFile(path)
    files = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
    ofd = ET.fromstring(files["OFD.xml"])
    ok = True
    count = 0
    for body in findall(ofd, "DocBody"):
        s = find(body, "Signatures")
        if s is None:
            continue
        sigs_path = resolve("OFD.xml", s.text)
        sigs = ET.fromstring(files[sigs_path])
        for entry in findall(sigs, "Signature"):
            count += 1
            res = {"id": entry.get("ID")}
            sig_path = resolve(sigs_path, entry.get("BaseLoc"))
            sig_bytes = files[sig_path]
            sx = ET.fromstring(sig_bytes)
            info = find(sx, "SignedInfo")
            refs = find(info, "References")
            bad = []
            for r in findall(refs, "Reference"):
                p = resolve(sig_path, r.get("FileRef"))
                cv = "".join(find(r, "CheckValue").text.split())
                if p not in files or base64.b64decode(cv) != sm3(files[p]):
                    bad.append(p)
            res["references"] = not bad
            value = files[resolve(sig_path, find(sx, "SignedValue").text)]
            _, b, e, _ = tlv(value, 0)
            top = children(value, b, e)
            tbs_t, tbs_b, tbs_e, tbs_h = top[0]
            tbs = children(value, tbs_b, tbs_e)
            version = int.from_bytes(value[tbs[0][1]:tbs[0][2]], "big")
            eseal = value[tbs[1][3]:tbs[1][2]]
            data_hash = value[tbs[3][1] + 1:tbs[3][2]]
            prop = value[tbs[4][1]:tbs[4][2]].decode()
            cert = value[top[1][1]:top[1][2]]
            sigbits = value[top[3][1] + 1:top[3][2]]
            res["version"] = version
            res["data_hash"] = data_hash == sm3(sig_bytes)
            res["property_info"] = prop.lstrip("/") == sig_path
            res["signature"] = sm2_verify(spki_point(cert), sigbits, value[tbs_h:tbs_e])
            seal = find(info, "Seal")
            if seal is not None:
                res["seal_file"] = files.get(resolve(sig_path, find(seal, "BaseLoc").text)) == eseal
            if bad:
                res["bad_references"] = bad
            print(json.dumps(res))
            ok = ok and all(v for k, v in res.items() if isinstance(v, bool))
    if expect is not None and count != expect:
        print(json.dumps({"error": f"{count} signatures, expected {expect}"}))
        ok = False
    sys.exit(0 if ok and count > 0 else 1)


if __name__ == "__main__":
    main()
