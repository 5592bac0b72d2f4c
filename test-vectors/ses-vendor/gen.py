"""Vendor-variant seals and seal signatures, made without eseal's code.

DER is written by the small encoder of test-vectors/py/der.py (plain TLV, written from GM/T 0031-2014 and
GB/T 38540-2020), SM2-with-SM3 signatures and SM3 by tongsuopy (the Tongsuo C library: default
user ID 1234567812345678, DER signature values). Keys: test-vectors/keys/key.pem with its
certificate leaf-cert.pem (maker and signer), issued by test-vectors/keys/ca-cert.pem.

usage: PYTHONPATH=$ESEAL_TOOLS/py python3 gen.py [OUTDIR]     (default: this folder)

Writes, besides data.txt (the protected data):
  v1-ia5-certlist.esl   GM/T 0031-2014 (v1) seal whose certList holds IA5String "1" (an
                        identifier, not a certificate)
  v1-ia5-certlist.ses   v1 SES_Signature with that seal over data.txt
  v4-mixed-certlist.ses GB/T 38540 (v4) signature whose seal's certList holds IA5String "1" and
                        the signer certificate
  v4-int-certlist.ses   v4 signature whose seal's certList holds INTEGER 1 and UTF8String
                        "signer-01"
"""
import os
import struct
import sys
import zlib

from tongsuopy.crypto import hashes, serialization
from tongsuopy.crypto.asymciphers import ec

HERE = os.path.dirname(os.path.abspath(__file__))
KEYS = os.path.join(HERE, "..", "keys")
sys.path.insert(0, os.path.join(HERE, "..", "py"))
from der import bits, gtime, ia5, integer, octets, oid, pem_to_der, seq, utc, utf8  # noqa: E402
OID_SM2_SM3 = "1.2.156.10197.1.501"


def sm3(data):
    h = hashes.Hash(hashes.SM3())
    h.update(data)
    return h.finalize()


def png_1x1():
    def chunk(kind, data):
        c = kind + data
        return struct.pack(">I", len(data)) + c + struct.pack(">I", zlib.crc32(c) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    idat = zlib.compress(b"\x00\xff\x00\x00\xff")
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def load():
    with open(os.path.join(KEYS, "key.pem"), "rb") as f:
        key = serialization.load_pem_private_key(f.read(), password=None)
    with open(os.path.join(KEYS, "leaf-cert.pem"), "rb") as f:
        cert = pem_to_der(f.read().decode())
    return key, cert


def sign(key, data):
    return key.sign(data, ec.ECDSA(hashes.SM3()))


def picture():
    return seq(ia5("PNG"), octets(png_1x1()), integer(40), integer(40))


def v1_seal(key, cert, cert_list):
    info = seq(
        seq(ia5("ES"), integer(1), ia5("vendor-v1")),
        ia5("es-vendor-v1"),
        seq(integer(1), utf8("厂商测试章 v1"), cert_list, utc("261128000000Z"), utc("261128000000Z"), utc("300101000000Z")),
        picture(),
    )
    cert_el, alg_el = octets(cert), oid(OID_SM2_SM3)
    # GM/T 0031-2014: the maker signs SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }.
    sig = sign(key, seq(info, cert_el, alg_el))
    return seq(info, seq(cert_el, alg_el, bits(sig)))


def v4_seal(key, cert, cert_list, es_id):
    info = seq(
        seq(ia5("ES"), integer(4), ia5("vendor-v4")),
        ia5(es_id),
        seq(integer(1), utf8("厂商测试章 v4"), integer(1), cert_list, gtime("20261128000000Z"),
            gtime("20261128000000Z"), gtime("20300101000000Z")),
        picture(),
    )
    return seq(info, octets(cert), oid(OID_SM2_SM3), bits(sign(key, info)))


def v1_signature(key, cert, seal, data):
    tbs = seq(integer(1), seal, bits(b"2026-12-01T00:00:00Z"), bits(sm3(data)), ia5("data.txt"),
              octets(cert), oid(OID_SM2_SM3))
    return seq(tbs, bits(sign(key, tbs)))


def v4_signature(key, cert, seal, data):
    tbs = seq(integer(4), seal, gtime("20261201000000Z"), bits(sm3(data)), ia5("data.txt"))
    return seq(tbs, octets(cert), oid(OID_SM2_SM3), bits(sign(key, tbs)))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    key, cert = load()
    data = b"vendor seal test data\n"
    files = {"data.txt": data}
    v1 = v1_seal(key, cert, seq(ia5("1")))
    files["v1-ia5-certlist.esl"] = v1
    files["v1-ia5-certlist.ses"] = v1_signature(key, cert, v1, data)
    mixed = v4_seal(key, cert, seq(ia5("1"), octets(cert)), "es-vendor-mixed")
    files["v4-mixed-certlist.ses"] = v4_signature(key, cert, mixed, data)
    ints = v4_seal(key, cert, seq(integer(1), utf8("signer-01")), "es-vendor-int")
    files["v4-int-certlist.ses"] = v4_signature(key, cert, ints, data)
    for name, body in files.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(body)


if __name__ == "__main__":
    main()
