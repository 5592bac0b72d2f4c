#!/usr/bin/env bash
# Builds the Java binding's jar with the JDK's own tools (javac, jar; no download):
#   target/ffi-java/eseal-java-VERSION.jar
# holding the classes of io.github.eseal (Java 8 bytecode), target/release/libeseal.so at
# linux-x86-64/libeseal.so (JNA's resource layout: Native.load finds it on the classpath and
# extracts it, no -Djna.library.path) and pom.xml under META-INF/maven. JNA itself is not inside:
# it is the pom's dependency (Debian: /usr/share/java/jna.jar).
#
# usage: ffi/java/build.sh        (after cargo build --release -p eseal-ffi)
# Prints the jar's path. ESEAL_JNA_JAR overrides the JNA jar compiled against.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jna=${ESEAL_JNA_JAR:-/usr/share/java/jna.jar}
lib="$root/target/release/libeseal.so"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/ffi/Cargo.toml" | head -1)
[ -f "$lib" ] || { echo "missing $lib: cargo build --release -p eseal-ffi" >&2; exit 1; }
[ -f "$jna" ] || { echo "JNA not found: $jna (Debian: libjna-java)" >&2; exit 1; }
out="$root/target/ffi-java"
classes="$out/jar-classes"
rm -rf "$classes"
mkdir -p "$classes/linux-x86-64" "$classes/META-INF/maven/io.github.eseal/eseal-java"
javac --release 8 -Xlint:all -Xlint:-options -Xlint:-path -Werror -encoding UTF-8 -cp "$jna" -d "$classes" \
    "$root"/ffi/java/src/io/github/eseal/*.java
# The release profile keeps line tables (debug = 1); the jar carries the library without them.
objcopy --strip-debug "$lib" "$classes/linux-x86-64/libeseal.so" 2>/dev/null || cp "$lib" "$classes/linux-x86-64/libeseal.so"
pom_version=$(sed -n 's|^  <version>\(.*\)</version>|\1|p' "$root/ffi/java/pom.xml" | head -1)
[ "$pom_version" = "$version" ] || { echo "ffi/java/pom.xml has version $pom_version, ffi/Cargo.toml $version" >&2; exit 1; }
cp "$root/ffi/java/pom.xml" "$classes/META-INF/maven/io.github.eseal/eseal-java/pom.xml"
printf 'groupId=io.github.eseal\nartifactId=eseal-java\nversion=%s\n' "$version" \
    >"$classes/META-INF/maven/io.github.eseal/eseal-java/pom.properties"
cat >"$out/MANIFEST.MF" <<MF
Implementation-Title: eseal-java
Implementation-Version: $version
Automatic-Module-Name: io.github.eseal
MF
jar="$out/eseal-java-$version.jar"
rm -f "$jar"
jar --create --file "$jar" --manifest "$out/MANIFEST.MF" -C "$classes" .
echo "$jar"
