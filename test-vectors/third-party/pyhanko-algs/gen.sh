#!/usr/bin/env bash
# Regenerates the pyHanko-signed PDFs of this folder (see README.md) into $1 (default: here).
# Needs pyHanko and reportlab on PYTHONPATH (.ci/setup.d/pdf.sh installs them into
# $ESEAL_TOOLS/py) and the OpenSSL-made keys and chains of ../../algs (its gen.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
export PYTHONPATH="${ESEAL_TOOLS:-$here/../../../.tools}/py${PYTHONPATH:+:$PYTHONPATH}"
exec python3 "$here/gen.py" "$here/../../algs" "$out"
