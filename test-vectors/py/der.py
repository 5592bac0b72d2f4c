"""A small DER encoder (ITU-T X.690 definite-length TLV) shared by the Python generators of
test vectors (test-vectors/ses-vendor/gen.py, test-vectors/third-party/ofd/gen.py), written
from X.690 and the ASN.1 of GM/T 0031-2014 and GB/T 38540-2020, independent of eseal's code.

Import it after putting this folder on sys.path:
    sys.path.insert(0, os.path.join(HERE, "..", "py"))
    from der import seq, integer, oid, ...
"""
import base64


def tlv(tag, body):
    """One element: the tag byte, the definite length (short or long form), the body."""
    n = len(body)
    if n < 0x80:
        length = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        length = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + length + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def integer(v):
    """INTEGER in the fewest two's-complement bytes."""
    return tlv(0x02, v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big", signed=True))


def ia5(s):
    return tlv(0x16, s.encode("ascii"))


def utf8(s):
    return tlv(0x0C, s.encode("utf-8"))


def octets(b):
    return tlv(0x04, b)


def bits(b):
    """BIT STRING with no unused bits."""
    return tlv(0x03, b"\x00" + b)


def utc(s):
    """UTCTime, s = YYMMDDHHMMSSZ."""
    return tlv(0x17, s.encode("ascii"))


def gtime(s):
    """GeneralizedTime, s = YYYYMMDDHHMMSSZ."""
    return tlv(0x18, s.encode("ascii"))


def oid(dotted):
    """OBJECT IDENTIFIER from its dotted form (base-128 arcs, the first two joined)."""
    parts = [int(p) for p in dotted.split(".")]
    out = bytearray([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.append(0x80 | (p & 0x7F))
            p >>= 7
        out += bytes(reversed(chunk))
    return tlv(0x06, bytes(out))


def pem_to_der(pem):
    """The DER of the first PEM block in the text `pem`."""
    body = []
    inside = False
    for line in pem.splitlines():
        if line.startswith("-----BEGIN"):
            inside = True
        elif line.startswith("-----END"):
            break
        elif inside and line.strip():
            body.append(line.strip())
    return base64.b64decode("".join(body))
