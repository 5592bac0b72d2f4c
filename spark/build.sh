#!/usr/bin/env bash
# Builds the Spark application jar with the JDK's own tools, against the Spark jars of the
# PySpark package (.ci/setup.d/spark.sh installs it into $ESEAL_TOOLS/spark-py):
#   target/spark/eseal-spark-VERSION.jar
# One self-contained jar to hand to spark-submit: the job (io.github.eseal.spark, Java 8
# bytecode), the Java binding with linux-x86-64/libeseal.so (ffi/java/build.sh), and JNA with
# its native dispatch library at com/sun/jna/linux-x86-64/ (Debian's libjna-java/libjna-jni), so
# executors need nothing installed but a JVM. Spark, Hadoop and Jackson come from the cluster.
# Prints the jar's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
ESEAL_TOOLS="${ESEAL_TOOLS:-$root/.tools}"
spark_jars="${ESEAL_SPARK_JARS:-$ESEAL_TOOLS/spark-py/pyspark/jars}"
jna=${ESEAL_JNA_JAR:-/usr/share/java/jna.jar}
jnidispatch=${ESEAL_JNIDISPATCH:-/usr/lib/x86_64-linux-gnu/jni/libjnidispatch.system.so}
[ -d "$spark_jars" ] || { echo "Spark jars not found in $spark_jars (run .ci/setup.d/spark.sh)" >&2; exit 1; }
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/ffi/Cargo.toml" | head -1)
binding=$(bash "$root/ffi/java/build.sh")
out="$root/target/spark"
classes="$out/classes"
rm -rf "$classes"
mkdir -p "$classes/com/sun/jna/linux-x86-64"
javac --release 8 -Xlint:all -Xlint:-options -Xlint:-path -Xlint:-serial -Werror -encoding UTF-8 \
    -cp "$spark_jars/*:$binding:$jna" -d "$classes" "$root"/spark/src/io/github/eseal/spark/*.java
(cd "$classes" && jar --extract --file "$binding" && jar --extract --file "$jna")
rm -rf "$classes/META-INF"
if [ -f "$jnidispatch" ]; then
    cp "$jnidispatch" "$classes/com/sun/jna/linux-x86-64/libjnidispatch.so"
fi
printf 'Main-Class: io.github.eseal.spark.VerifyArchive\nImplementation-Title: eseal-spark\nImplementation-Version: %s\n' \
    "$version" >"$out/MANIFEST.MF"
jar="$out/eseal-spark-$version.jar"
rm -f "$jar"
jar --create --file "$jar" --manifest "$out/MANIFEST.MF" -C "$classes" .
echo "$jar"
