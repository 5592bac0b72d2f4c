"""Shared I/O of the Python peer tools (tongsuopy_peer.py, gmssl_peer.py).

Manifest: {"vectors": [{"peer", "comment", "public_key_hex", "id_hex", "msg_hex" | "msg_pattern_len",
"sig_hex", "encoding": "der"|"raw", "valid"}]} (see test-vectors/sm2/README.md).
Verify lists: one line per signature, tab separated: ENCODING PUBHEX IDHEX MSG SIGHEX, where IDHEX
"-" is the empty ID and MSG is hex:HEX, pattern:LEN or file:PATH.
"""

import json
import os

DEFAULT_ID = b"1234567812345678"
PATTERN_LEN = 1 << 20


def pattern(n):
    """The msg_pattern_len message: byte i is i % 251."""
    block = bytes(range(251))
    return (block * (n // 251 + 1))[:n]


def message(spec):
    if spec.startswith("hex:"):
        return bytes.fromhex(spec[4:])
    if spec.startswith("pattern:"):
        return pattern(int(spec[8:]))
    if spec.startswith("file:"):
        with open(spec[5:], "rb") as f:
            return f.read()
    raise ValueError("bad message spec " + spec)


def read_list(path):
    """Yields (encoding, public key bytes, id bytes, message bytes, signature bytes)."""
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            enc, pub, idh, msg, sig = line.split("\t")
            yield enc, bytes.fromhex(pub), b"" if idh == "-" else bytes.fromhex(idh), message(msg), bytes.fromhex(sig)


class Manifest:
    def __init__(self, peer, generator):
        self.peer = peer
        self.generator = generator
        self.vectors = []

    def add(self, comment, pub, ident, msg, sig, encoding, valid):
        v = {"peer": self.peer, "comment": comment, "public_key_hex": pub.hex(), "id_hex": ident.hex()}
        if len(msg) >= 4096 and msg == pattern(len(msg)):
            v["msg_pattern_len"] = len(msg)
        else:
            v["msg_hex"] = msg.hex()
        v.update({"sig_hex": sig.hex(), "encoding": encoding, "valid": valid})
        self.vectors.append(v)

    def write(self, outdir):
        os.makedirs(outdir, exist_ok=True)
        with open(os.path.join(outdir, "vectors.json"), "w") as f:
            f.write('{"generator": %s,\n "vectors": [\n' % json.dumps(self.generator))
            f.write(",\n".join("    " + json.dumps(v) for v in self.vectors))
            f.write("\n]}\n")
