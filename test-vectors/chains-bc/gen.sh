#!/usr/bin/env bash
# Makes a fresh set of Bouncy Castle SM2 chains, CRLs and cases.json: gen.sh [OUTDIR]
# (OUTDIR defaults to this directory). Needs Java 17 + Debian's libbcprov-java libbcpkix-java
# libbcutil-java (ESEAL_BC_JARS overrides /usr/share/java). When openssl is present it also checks
# the fresh set with `openssl verify` as an independent second opinion.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
jars=${ESEAL_BC_JARS:-/usr/share/java}
cp="$jars/bcprov.jar:$jars/bcpkix.jar:$jars/bcutil.jar"
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -nowarn -encoding UTF-8 -cp "$cp" -d "$classes" "$here/../java/ChainGen.java"
mkdir -p "$out"
java -cp "$classes:$cp" ChainGen "$out"
if command -v openssl >/dev/null 2>&1; then
  bash "$here/openssl-check.sh" "$out"
fi
