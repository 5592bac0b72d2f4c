#!/usr/bin/env bash
# Regenerates this directory's vectors.json with sm-crypto: gen.sh [OUTDIR]
# (sm-crypto installed by .ci/setup.d/interop.sh into $ESEAL_TOOLS/node).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=${ESEAL_TOOLS:-$here/../../../.tools}
NODE_PATH="$tools/node/node_modules" node "$here/../../js/smcrypto_peer.js" gen "${1:-$here}"
