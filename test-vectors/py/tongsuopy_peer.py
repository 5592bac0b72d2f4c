"""SM2 signatures made and checked by tongsuopy (Python binding of the Tongsuo C library).

  python3 tongsuopy_peer.py gen OUTDIR     writes OUTDIR/vectors.json
  python3 tongsuopy_peer.py verify LIST    prints true/false/skip per line of LIST (see vecio.py)

tongsuopy's API (EVP_DigestSign with SM3 on an SM2 key) signs with Tongsuo's default ID
1234567812345678 and writes DER; it has no way to pass another ID or read raw r||s, so those are
"skip" when verifying.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vecio  # noqa: E402

from tongsuopy.crypto import hashes, serialization  # noqa: E402
from tongsuopy.crypto.asymciphers import ec  # noqa: E402
from tongsuopy.crypto.exceptions import InvalidSignature  # noqa: E402

try:
    from tongsuopy.__about__ import __version__ as VERSION
except Exception:  # pragma: no cover
    VERSION = "?"

ALG = ec.ECDSA(hashes.SM3())


def pub_bytes(key):
    return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)


def gen(outdir):
    m = vecio.Manifest("tongsuopy " + VERSION, "test-vectors/py/tongsuopy_peer.py gen")
    msgs = [(b"", "empty message"), (b"abc", "abc"), (b"message digest", "message digest"),
            (os.urandom(1000), "1000 random bytes"), (vecio.pattern(vecio.PATTERN_LEN), "1 MiB pattern")]
    for n in range(2):
        key = ec.generate_private_key(ec.SM2())
        pub = pub_bytes(key)
        tag = "key %d: " % (n + 1)
        for msg, name in msgs:
            m.add(tag + "sign(SM3) default ID, DER, " + name, pub, vecio.DEFAULT_ID, msg, key.sign(msg, ALG), "der", True)
        sig = key.sign(b"abc", ALG)
        m.add(tag + "INVALID: signature over abc checked against abd", pub, vecio.DEFAULT_ID, b"abd", sig, "der", False)
        m.add(tag + "INVALID: default-ID signature checked with the empty ID", pub, b"", b"abc", sig, "der", False)
        bad = bytearray(sig)
        bad[-1] ^= 1
        m.add(tag + "INVALID: last bit of s flipped", pub, vecio.DEFAULT_ID, b"abc", bytes(bad), "der", False)
    m.write(outdir)


def verify(path):
    out = []
    for enc, pub, ident, msg, sig in vecio.read_list(path):
        if enc != "der" or ident != vecio.DEFAULT_ID:
            out.append("skip")
            continue
        try:
            pk = ec.EllipticCurvePublicKey.from_encoded_point(ec.SM2(), pub)
            pk.verify(sig, msg, ALG)
            out.append("true")
        except (InvalidSignature, ValueError):
            out.append("false")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "verify":
        verify(sys.argv[2])
    else:
        sys.exit("usage: tongsuopy_peer.py gen OUTDIR | verify LIST")
