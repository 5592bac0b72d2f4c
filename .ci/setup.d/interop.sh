#!/usr/bin/env bash
# Installs the independent implementations used by tests/interop_sm2.rs and
# test-vectors/chains-bc/gen.sh: OpenSSL 3, Java 17 + Bouncy Castle (Debian), tongsuopy and gmssl
# (PyPI, into $ESEAL_TOOLS/py), sm-crypto (npm, into $ESEAL_TOOLS/node). Idempotent and quiet;
# runs as root on a fresh Debian machine.
set -euo pipefail
ESEAL_TOOLS=${ESEAL_TOOLS:-$PWD/.tools}
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

need=()
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
for j in bcprov bcpkix bcutil; do
  [ -f "/usr/share/java/$j.jar" ] || need+=("lib$j-java")
done
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Python peers: tongsuopy ships a manylinux abi3 wheel (no build from source), gmssl is pure Python.
if ! PYTHONPATH="$ESEAL_TOOLS/py" python3 -c 'import tongsuopy.crypto.asymciphers.ec, gmssl.sm2' >/dev/null 2>&1; then
  rm -rf "$ESEAL_TOOLS/py"
  mkdir -p "$ESEAL_TOOLS/py"
  python3 -m pip install -q --no-warn-script-location --only-binary tongsuopy,cffi \
    --target "$ESEAL_TOOLS/py" tongsuopy==1.0.1 gmssl==3.2.2
fi

# JavaScript peer.
if ! NODE_PATH="$ESEAL_TOOLS/node/node_modules" node -e "require('sm-crypto')" >/dev/null 2>&1; then
  mkdir -p "$ESEAL_TOOLS/node"
  npm install -s --no-audit --no-fund --prefix "$ESEAL_TOOLS/node" sm-crypto@0.5.8 >/dev/null
fi
