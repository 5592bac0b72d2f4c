#!/usr/bin/env bash
# Tools for the OFD tests: Python 3 with tongsuopy (SM2) and gmssl (SM3 when the system's
# cryptography lacks it) in $ESEAL_TOOLS/py for tests/ofd_python.rs (test-vectors/ofd/verify_ofd.py),
# and a JDK with Bouncy Castle for tests/ofd_cms.rs (test-vectors/ofd/BcOfdCms.java).
# Idempotent and quiet; runs as root on a fresh Debian machine.
set -euo pipefail
ESEAL_TOOLS=${ESEAL_TOOLS:-$PWD/.tools}
export DEBIAN_FRONTEND=noninteractive PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
python3 -m pip --version >/dev/null 2>&1 || need+=(python3-pip)
command -v javac >/dev/null 2>&1 || need+=(default-jdk-headless)
for j in bcprov bcpkix bcutil; do
  [ -f "/usr/share/java/$j.jar" ] || need+=("lib$j-java")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if ! PYTHONPATH="$ESEAL_TOOLS/py" python3 -c 'import tongsuopy.crypto.asymciphers.ec, gmssl.sm3' >/dev/null 2>&1; then
  mkdir -p "$ESEAL_TOOLS/py"
  python3 -m pip install -q --no-warn-script-location --only-binary tongsuopy,cffi \
    --target "$ESEAL_TOOLS/py" tongsuopy==1.0.1 gmssl==3.2.2
fi
