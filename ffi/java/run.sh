#!/usr/bin/env bash
# Builds the binding's jar (ffi/java/build.sh: Java 8 bytecode, libeseal.so inside) and runs its
# tests with plain java against that jar, Debian's JNA and Bouncy Castle. No -Djna.library.path
# and no LD_LIBRARY_PATH: the test checks that libeseal was extracted from the jar.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jna=${ESEAL_JNA_JAR:-/usr/share/java/jna.jar}
bc=${ESEAL_BC_JAR:-/usr/share/java/bcprov.jar}
for tool in javac java jar; do
    if ! command -v "$tool" >/dev/null; then
        if [ -n "${CI:-}" ]; then echo "$tool not found" >&2; exit 1; fi
        echo "skipped: $tool not found"; exit 0
    fi
done
if [ ! -f "$jna" ]; then
    if [ -n "${CI:-}" ]; then echo "JNA not found: $jna (libjna-java)" >&2; exit 1; fi
    echo "skipped: JNA not found"; exit 0
fi
jar=$(bash "$root/ffi/java/build.sh")
jar --list --file "$jar" | grep -cx 'linux-x86-64/libeseal.so' >/dev/null
out="$root/target/ffi-java"
rm -rf "$out/test-classes"
mkdir -p "$out/test-classes"
cp=("$jna" "$jar")
[ -f "$bc" ] && cp+=("$bc")
cpath=$(IFS=:; echo "${cp[*]}")
javac --release 8 -Xlint:all -Xlint:-options -Xlint:-path -Werror -encoding UTF-8 -cp "$cpath" -d "$out/test-classes" \
    "$root"/ffi/java/test/io/github/eseal/*.java
env -u LD_LIBRARY_PATH java -Djna.nosys=true -Deseal.test.classpathLibrary=true -cp "$cpath:$out/test-classes" \
    io.github.eseal.EsealTest "$root"
# The third-party corpus (test-vectors/third-party/*/manifest.json) through the binding.
env -u LD_LIBRARY_PATH java -Djna.nosys=true -cp "$cpath:$out/test-classes" io.github.eseal.ThirdPartyTest "$root"
env -u LD_LIBRARY_PATH java -Djna.nosys=true -cp "$cpath:$out/test-classes" io.github.eseal.LicenceTest "$root"
