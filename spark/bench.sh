#!/usr/bin/env bash
# Benchmark (not a test): files per second of the Spark job's verification stage in local[2]
# (timed around the action that verifies; JVM and Spark start-up excluded, printed apart)
# against `eseal verify --jobs 2` on the same mixed corpus (spark/corpus.sh), in interleaved
# rounds. Prints each round, the medians and the ratio Spark / CLI, and the CPU time a file of
# both (the CLI's user + system time; the Spark JVM's CPU time during the stage), which a busy
# machine distorts less than the rates.
#
# usage: spark/bench.sh [N_FILES (default 20000)] [ROUNDS (default 3)]
# The corpus is kept in ${ESEAL_BENCH_DIR:-target/spark-bench} and reused when its size matches.
# ESEAL_BENCH_BASELINE_JAR=path/to/other/eseal-spark.jar adds that jar's job to every round (to
# compare two versions of the job side by side).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
n=${1:-20000}
rounds=${2:-3}
ESEAL_TOOLS="${ESEAL_TOOLS:-$root/.tools}"
export ESEAL_SAMPLES="${ESEAL_SAMPLES:-$(cd "$root/.." && pwd)/shared/samples}"
export SPARK_HOME="$ESEAL_TOOLS/spark-py/pyspark"
[ -x "$SPARK_HOME/bin/spark-submit" ] || { echo "PySpark missing: bash .ci/setup.d/spark.sh" >&2; exit 1; }
cargo build --release --quiet -p eseal-ffi
cargo build --release --quiet --example eseal --example gen_corpus
jar=$(bash spark/build.sh)
dir=${ESEAL_BENCH_DIR:-$root/target/spark-bench}
if [ ! -f "$dir/paths.txt" ] || [ "$(wc -l <"$dir/paths.txt")" -lt "$n" ] || [ "$(wc -l <"$dir/paths.txt")" -gt $((n + 100)) ]; then
    bash spark/corpus.sh "$dir" "$n"
fi
files=$(wc -l <"$dir/paths.txt")
at=2026-06-01T00:00:00Z
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "corpus: $files files in $dir; load before: $(uptime | sed 's/.*load average: //')"
# One spark-submit of JAR: sets spark_rate, spark_cpu, startup and total (seconds in all).
spark_round() {
    local t0 t1 spark
    t0=$(date +%s.%N)
    rm -rf "$out/run"
    spark=$("$SPARK_HOME/bin/spark-submit" --master 'local[2]' --conf spark.ui.enabled=false --driver-memory 2g \
        --class io.github.eseal.spark.VerifyArchive "$1" --input "file://$dir/files" \
        --trust "file://$dir/trust.pem" --crl "file://$dir/crl/ca0.crl" --at "$at" \
        --output "file://$out/run" 2>"$out/spark.log")
    t1=$(date +%s.%N)
    spark_rate=$(sed -n 's/^summary:.*(\([0-9.]*\) files\/s).*/\1/p' <<<"$spark")
    startup=$(sed -n 's/.*Spark start-up \([0-9.]*\) s.*/\1/p' <<<"$spark")
    spark_cpu=$(sed -n 's/.*, \([0-9.]*\) ms a file).*/\1/p' <<<"$spark")
    total=$(echo "$t1 - $t0" | bc)
}
cli_rates=()
spark_rates=()
base_rates=()
startups=()
cli_cpus=()
spark_cpus=()
for ((r = 1; r <= rounds; r++)); do
    /usr/bin/time -o "$out/time" -f '%U %S' target/release/examples/eseal verify --jobs 2 --format jsonl \
        --no-progress --at "$at" --trust "$dir/trust.pem" --crl "$dir/crl/ca0.crl" -o /dev/null "$dir/files" \
        2>"$out/cli.txt" >/dev/null || true
    cli_rate=$(sed -n 's/^summary:.*(\([0-9.]*\) files\/s).*/\1/p' "$out/cli.txt")
    cli_cpu=$(tail -1 "$out/time" | awk -v n="$files" '{printf "%.3f", 1000 * ($1 + $2) / n}')
    spark_round "$jar"
    if [ -n "${ESEAL_BENCH_BASELINE_JAR:-}" ]; then
        keep=("$spark_rate" "$spark_cpu" "$startup" "$total")
        spark_round "$ESEAL_BENCH_BASELINE_JAR"
        printf 'round %d: baseline jar %8.1f files/s (%s ms CPU a file)\n' "$r" "$spark_rate" "$spark_cpu"
        base_rates+=("$spark_rate")
        spark_rate=${keep[0]} spark_cpu=${keep[1]} startup=${keep[2]} total=${keep[3]}
    fi
    printf 'round %d: eseal verify --jobs 2 %8.1f files/s (%s ms CPU a file) | Spark local[2] %8.1f files/s (%s ms CPU a file; start-up %s s, spark-submit %.1f s in all)\n' \
        "$r" "$cli_rate" "$cli_cpu" "$spark_rate" "$spark_cpu" "$startup" "$total"
    cli_rates+=("$cli_rate")
    spark_rates+=("$spark_rate")
    startups+=("$startup")
    cli_cpus+=("$cli_cpu")
    spark_cpus+=("$spark_cpu")
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
c=$(median "${cli_rates[@]}")
s=$(median "${spark_rates[@]}")
echo "median: eseal verify --jobs 2 $c files/s; Spark local[2] verification stage $s files/s" \
    "($(awk -v s="$s" -v c="$c" 'BEGIN {printf "%.0f", 100 * s / c}')% of the CLI); Spark start-up $(median "${startups[@]}") s"
cc=$(median "${cli_cpus[@]}")
sc=$(median "${spark_cpus[@]}")
if [ ${#base_rates[@]} -gt 0 ]; then
    echo "median: baseline jar $(median "${base_rates[@]}") files/s"
fi
echo "median CPU a file: eseal verify $cc ms; Spark verification stage $sc ms (on idle cores Spark's rate would be" \
    "$(awk -v s="$sc" -v c="$cc" 'BEGIN {printf "%.0f", 100 * c / s}')% of the CLI's; the JVM's CPU time includes its JIT warm-up)"
echo "load after: $(uptime | sed 's/.*load average: //')"
