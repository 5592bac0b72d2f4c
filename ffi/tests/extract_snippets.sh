#!/usr/bin/env bash
# Extracts the code blocks of a Markdown file that follow a `<!-- snippet: NAME -->` line into
# OUTDIR/NAME, so the tests compile exactly what the README shows.
# usage: extract_snippets.sh README.md OUTDIR
set -euo pipefail
readme=$1
outdir=$2
mkdir -p "$outdir"
awk -v dir="$outdir" '
  /^<!-- snippet: [^ ]+ -->$/ { name = $3; want = 1; next }
  want == 1 && /^```/ { inside = 1; want = 0; file = dir "/" name; printf "" > file; n++; next }
  inside && /^```$/ { inside = 0; close(file); next }
  inside { print >> file }
  END { if (inside) { print "unterminated snippet " name > "/dev/stderr"; exit 1 }
        if (n == 0) { print "no snippets found" > "/dev/stderr"; exit 1 } }
' "$readme"
