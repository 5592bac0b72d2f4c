#!/usr/bin/env bash
# Compiles the JNA binding as Java 8 source (javac --release 8) and runs its tests with plain
# java against target/release/libeseal.so, Debian's JNA and Bouncy Castle jars.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jna=${ESEAL_JNA_JAR:-/usr/share/java/jna.jar}
bc=${ESEAL_BC_JAR:-/usr/share/java/bcprov.jar}
for tool in javac java; do
    if ! command -v "$tool" >/dev/null; then
        if [ -n "${CI:-}" ]; then echo "$tool not found" >&2; exit 1; fi
        echo "skipped: $tool not found"; exit 0
    fi
done
if [ ! -f "$jna" ]; then
    if [ -n "${CI:-}" ]; then echo "JNA not found: $jna (libjna-java)" >&2; exit 1; fi
    echo "skipped: JNA not found"; exit 0
fi
[ -f "$root/target/release/libeseal.so" ] || { echo "missing target/release/libeseal.so" >&2; exit 1; }
out="$root/target/ffi-java"
rm -rf "$out"
mkdir -p "$out/classes" "$out/test-classes"
javac --release 8 -Xlint:all -Xlint:-options -Xlint:-path -Werror -encoding UTF-8 -cp "$jna" -d "$out/classes" \
    "$root"/ffi/java/src/eseal/*.java
cp=("$jna" "$out/classes")
[ -f "$bc" ] && cp+=("$bc")
cpath=$(IFS=:; echo "${cp[*]}")
javac --release 8 -Xlint:all -Xlint:-options -Xlint:-path -Werror -encoding UTF-8 -cp "$cpath" -d "$out/test-classes" \
    "$root"/ffi/java/test/eseal/*.java
java -Djna.library.path="$root/target/release" -Djna.nosys=true -cp "$cpath:$out/test-classes" \
    eseal.EsealTest "$root"
