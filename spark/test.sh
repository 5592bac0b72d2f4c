#!/usr/bin/env bash
# CI test of the Spark job in local mode (spark-submit --master local[2] from the PySpark
# install): a mixed corpus of ESEAL_SPARK_N files (default 5,000; spark/corpus.sh) verified by
# the job and by `eseal verify --format jsonl` must agree path by path (verdict, failing and
# indeterminate checks, error, whole report) and in the printed summary; the Parquet table is
# read back with pyarrow and its schema checked (spark/check_table.py). The same run also takes a
# text file of paths naming missing files: those are rows with an error.
# Needs target/release/libeseal.so and the examples eseal and gen_corpus (built here).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
ESEAL_TOOLS="${ESEAL_TOOLS:-$root/.tools}"
export ESEAL_SAMPLES="${ESEAL_SAMPLES:-$(cd "$root/.." && pwd)/shared/samples}"
n="${ESEAL_SPARK_N:-5000}"
py="$ESEAL_TOOLS/spark-py"
spark_submit="$py/pyspark/bin/spark-submit"
if [ ! -x "$spark_submit" ] || ! PYTHONPATH="$py" python3 -c 'import pyarrow' 2>/dev/null; then
    if [ -n "${CI:-}" ]; then echo "PySpark/pyarrow missing in $py (.ci/setup.d/spark.sh)" >&2; exit 1; fi
    echo "skipped: PySpark not installed (bash .ci/setup.d/spark.sh)"; exit 0
fi
export SPARK_HOME="$py/pyspark" PYTHONPATH="$py${PYTHONPATH:+:$PYTHONPATH}"
cargo build --release --quiet -p eseal-ffi
cargo build --release --quiet --example eseal --example gen_corpus
jar=$(bash spark/build.sh)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
at=2026-06-01T00:00:00Z
bash spark/corpus.sh "$work/corpus" "$n"
c="$work/corpus"
target/release/examples/eseal verify --format jsonl --no-progress --at "$at" --trust "$c/trust.pem" \
    --crl "$c/crl/ca0.crl" -o "$work/cli.jsonl" "$c/files" 2>"$work/cli-summary.txt" || true
cat "$work/cli-summary.txt"

submit() {
    "$spark_submit" --master 'local[2]' --conf spark.ui.enabled=false --driver-memory 2g \
        --conf "spark.driver.extraJavaOptions=-Djava.io.tmpdir=$work/tmp" \
        --class io.github.eseal.spark.VerifyArchive "$jar" \
        --trust "file://$c/trust.pem" --crl "file://$c/crl/ca0.crl" --at "$at" "$@" 2>"$work/spark.log" || {
        tail -50 "$work/spark.log" >&2
        return 1
    }
}
mkdir -p "$work/tmp"
# One run: the certificate folders by a glob, the documents by their folder, and a text file of
# paths naming two files that do not exist: their rows carry the error, the job succeeds.
printf '%s\n' "$c/files/missing.der" "$c/files/docs/gone.pdf" >"$work/list.txt"
submit --input "file://$c/files/d[0-9]*" --input "file://$c/files/docs" --paths "file://$work/list.txt" \
    --output "file://$work/out" | tee "$work/spark.txt"
python3 spark/check_table.py "$work/out" "$work/cli.jsonl" "$work/cli-summary.txt" "$work/spark.txt" \
    "$c/files/missing.der" "$c/files/docs/gone.pdf"
