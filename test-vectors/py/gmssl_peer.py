"""SM2 signatures made and checked by gmssl (pure-Python SM2/SM3, PyPI "gmssl").

  python3 gmssl_peer.py gen OUTDIR [--full]   writes OUTDIR/vectors.json; the long message is
                                               1 MiB with --full (the committed set), else 64 KiB
  python3 gmssl_peer.py verify LIST    prints true/false per line of LIST (see vecio.py)

How gmssl is used, and its quirks:
- gmssl has no key generation: d is drawn with `secrets`, and P = d*G is computed with gmssl's own
  point multiplication (CryptSM2._kg).
- CryptSM2(public_key=...) strips a leading "04" with str.lstrip("04"), which also eats any leading
  '0'/'4' digits of x; we pass the key without the prefix and set `public_key` again afterwards.
- sign_with_sm3/verify_with_sm3 always use the default ID 1234567812345678 (hard-coded in _sm3_z);
  for any other ID this script computes e = SM3(Z_A || M) with gmssl's SM3 and calls sign/verify
  on e (the SM2 arithmetic is still gmssl's).
- asn1=True gives DER, asn1=False raw r||s (as hex strings).
"""

import os
import secrets
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecio  # noqa: E402

from gmssl import sm2, sm3, func  # noqa: E402

T = sm2.default_ecc_table
N = int(T["n"], 16)
# Pure-Python SM3 takes about 12 s per MiB here: live runs use a 64 KiB long message.
SHORT_BIG = 64 * 1024


def crypt(d_hex, pub, asn1):
    c = sm2.CryptSM2(private_key=d_hex, public_key=pub[1:].hex(), asn1=asn1)
    c.public_key = pub[1:].hex()  # undo the lstrip("04") damage, whatever x starts with
    return c


def z_e(pub, ident, msg):
    """e = SM3(Z_A || M) with gmssl's SM3, for any ID."""
    entl = (len(ident) * 8).to_bytes(2, "big")
    z = entl + ident + bytes.fromhex(T["a"] + T["b"] + T["g"]) + pub[1:]
    za = bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(z)))
    return bytes.fromhex(sm3.sm3_hash(func.bytes_to_list(za + msg)))


def nonce():
    return "%064x" % (secrets.randbelow(N - 1) + 1)


def sign(d_hex, pub, ident, msg, asn1):
    c = crypt(d_hex, pub, asn1)
    while True:
        if ident == vecio.DEFAULT_ID:
            s = c.sign_with_sm3(msg, nonce())
        else:
            s = c.sign(z_e(pub, ident, msg), nonce())
        if s is not None:
            return bytes.fromhex(s)


def gen(outdir, full):
    m = vecio.Manifest("gmssl (PyPI) 3.2.2", "test-vectors/py/gmssl_peer.py gen" + (" --full" if full else ""))
    big = vecio.pattern(vecio.PATTERN_LEN if full else SHORT_BIG)
    big_name = "%d-byte pattern" % len(big)
    msgs = [(b"", "empty message"), (b"abc", "abc"), (b"message digest", "message digest"),
            (os.urandom(1000), "1000 random bytes")]
    alice = b"ALICE123@YAHOO.COM"
    for n in range(2):
        d = secrets.randbelow(N - 1) + 1
        d_hex = "%064x" % d
        pub = b"\x04" + bytes.fromhex(sm2.CryptSM2(d_hex, "00" * 64)._kg(d, T["g"]))
        tag = "key %d: " % (n + 1)
        for msg, name in msgs:
            m.add(tag + "sign_with_sm3 (default ID), raw, " + name, pub, vecio.DEFAULT_ID, msg,
                  sign(d_hex, pub, vecio.DEFAULT_ID, msg, False), "raw", True)
            m.add(tag + "sign_with_sm3 (default ID), asn1=True DER, " + name, pub, vecio.DEFAULT_ID, msg,
                  sign(d_hex, pub, vecio.DEFAULT_ID, msg, True), "der", True)
        enc = "raw" if n == 0 else "der"
        m.add(tag + "sign_with_sm3 (default ID), %s, %s" % (enc, big_name), pub, vecio.DEFAULT_ID, big,
              sign(d_hex, pub, vecio.DEFAULT_ID, big, enc == "der"), enc, True)
        m.add(tag + "sign over e with ID ALICE123@YAHOO.COM, DER", pub, alice, b"message digest",
              sign(d_hex, pub, alice, b"message digest", True), "der", True)
        empty = sign(d_hex, pub, b"", b"abc", False)
        m.add(tag + "sign over e with the empty ID, raw, checked with the empty ID", pub, b"", b"abc", empty, "raw", True)
        m.add(tag + "INVALID: empty-ID signature checked with the default ID", pub, vecio.DEFAULT_ID, b"abc", empty,
              "raw", False)
        m.add(tag + "INVALID: signature over abc checked against abd", pub, vecio.DEFAULT_ID, b"abd",
              sign(d_hex, pub, vecio.DEFAULT_ID, b"abc", True), "der", False)
    m.write(outdir)


def verify(path):
    out = []
    for enc, pub, ident, msg, sig in vecio.read_list(path):
        try:
            if len(pub) != 65 or pub[0] != 4:
                raise ValueError("not an uncompressed point")
            c = crypt("00" * 32, pub, enc == "der")
            if enc == "raw" and len(sig) != 64:
                raise ValueError("raw signature must be 64 bytes")
            if ident == vecio.DEFAULT_ID:
                ok = c.verify_with_sm3(sig.hex(), msg)
            else:
                ok = c.verify(sig.hex(), z_e(pub, ident, msg))
            out.append("true" if ok else "false")
        except Exception:
            out.append("false")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) in (3, 4) and sys.argv[1] == "gen":
        gen(sys.argv[2], sys.argv[3:] == ["--full"])
    elif len(sys.argv) == 3 and sys.argv[1] == "verify":
        verify(sys.argv[2])
    else:
        sys.exit("usage: gmssl_peer.py gen OUTDIR [--full] | verify LIST")
