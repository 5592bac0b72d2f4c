#!/usr/bin/env python3
"""Derives the damaged PDFs of this folder from files committed elsewhere in test-vectors/
(standard library only; deterministic: the same inputs give the same bytes).

usage: python3 gen.py [OUTDIR]      (default: this folder)

- isa_no_xref_redefine.pdf: ../../pdf/attacks/original.pdf plus an update appended without any
  xref, after 6000 bytes of padding (so a reader's tail window no longer finds the signed
  revision's startxref and it rebuilds the xref by scanning): object 9, the page's shown content
  stream, redefined with another amount.
- cut_*.pdf: sealed PDFs cut short (the signed bytes, or the signature's /Contents, missing).
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else HERE


def read(rel):
    with open(os.path.join(HERE, rel), "rb") as f:
        return f.read()


def write(name, data):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)


def byte_ranges(pdf):
    """Every /ByteRange [a b c d] of `pdf`, in file order."""
    pat = rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]"
    return [tuple(map(int, m.groups())) for m in re.finditer(pat, pdf)]


def no_xref_redefine():
    orig = read("../../pdf/attacks/original.pdf")
    shown = re.search(rb"(\d+) 0 obj\s*<</Length \d+>>\s*stream\s*q 72 500 cm /Overlay Do", orig)
    num = int(shown.group(1))
    body = b"BT /F1 18 Tf 72 520 Td (Amount: 900 EUR) Tj ET\n"
    tail = b"%" + b" " * 6000
    tail += b"\n%d 0 obj\n<< /Length %d >>\nstream\n" % (num, len(body))
    tail += body + b"\nendstream\nendobj\n"
    write("isa_no_xref_redefine.pdf", orig + tail)


def cuts():
    sealed = read("../pyhanko/sealed.pdf")
    (_, l1, s2, l2), = byte_ranges(sealed)
    # Inside the seal's /Contents hex string (the signature dictionary is incomplete).
    write("cut_in_contents.pdf", sealed[: l1 + 100])
    # Inside the second signed range (the form that names the signature is lost too).
    write("cut_in_signed_range.pdf", sealed[: s2 + l2 // 2])
    # The last 10 bytes (the signature is still found; its ByteRange runs past the end).
    write("cut_at_end.pdf", sealed[:-10])
    # A countersigned file cut inside the second signature's /Contents (pyHanko writes
    # /ByteRange after /Contents, so none is left): the first revision is intact and read
    # through its own xref; the cut tail is junk that no reader uses.
    counter = read("../pyhanko/countersigned.pdf")
    (_, l1, s2, l2) = byte_ranges(counter)[-1]
    write("cut_countersignature.pdf", counter[: l1 + 50])
    # The same cut inside the countersignature's second signed range (its ByteRange is there).
    write("cut_countersignature_signed_range.pdf", counter[: s2 + l2 // 2])


if __name__ == "__main__":
    no_xref_redefine()
    cuts()
