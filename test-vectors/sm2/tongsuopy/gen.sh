#!/usr/bin/env bash
# Regenerates this directory's vectors.json with tongsuopy: gen.sh [OUTDIR]
# (tongsuopy installed by .ci/setup.d/interop.sh into $ESEAL_TOOLS/py).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${ESEAL_TOOLS:-$here/../../../.tools}
PYTHONPATH="$tools/py" python3 "$here/../../py/tongsuopy_peer.py" gen "${1:-$here}"
