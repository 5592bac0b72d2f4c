#!/usr/bin/env bash
# Regenerates this directory's vectors.json with Bouncy Castle: gen.sh [OUTDIR]
# (Java 17 + Debian's libbcprov-java libbcpkix-java libbcutil-java; ESEAL_BC_JARS overrides /usr/share/java).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
jars=${ESEAL_BC_JARS:-/usr/share/java}
cp="$jars/bcprov.jar:$jars/bcpkix.jar:$jars/bcutil.jar"
classes=$(mktemp -d)
trap 'rm -rf "$classes"' EXIT
javac -nowarn -cp "$cp" -d "$classes" "$here/../../java/Sm2Peer.java"
java -cp "$classes:$cp" Sm2Peer gen "$out"
