#!/usr/bin/env bash
# Regenerates this directory's vectors.json with gmssl (pure Python), with the 1 MiB message:
# gen.sh [OUTDIR]  (gmssl installed by .ci/setup.d/interop.sh into $ESEAL_TOOLS/py; takes ~30 s).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${ESEAL_TOOLS:-$here/../../../.tools}
PYTHONPATH="$tools/py" python3 "$here/../../py/gmssl_peer.py" gen "${1:-$here}" --full
