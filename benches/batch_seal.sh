#!/usr/bin/env bash
# Sealing many small documents: `eseal sign-pdf --batch` against the single-file rate (issue 15
# part 4: the batch must reach >= 80% of cores x single-file rate).
#
#   bash benches/batch_seal.sh                       # 1,000 one-page PDFs, 3 rounds
#   N=200 ROUNDS=1 KIND=ofd bash benches/batch_seal.sh
#
# Every round measures, side by side, on the same inputs (the demo's one-page contract, copied
# N times) with the demo's seal and encrypted key:
#   single   SINGLE (default 100) sequential `eseal sign-pdf IN -o OUT` runs: files/s of the
#            tool used one file at a time (process start, key decryption, seal parsing included);
#   inproc   `--batch LIST --jobs 1` over SINGLE*3 files: one file at a time inside one process
#            (the stricter reference: no per-process cost);
#   batch    `--batch DIR` over all N files with --jobs J for each J in JOBS (default: cores,
#            2 x cores, 4 x cores, and the default).
# and prints batch / (cores x single) and batch / (cores x inproc). `uptime` is printed before
# each round: the machine may be shared. Outputs are verified at the end of each round.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-1000}
ROUNDS=${ROUNDS:-3}
SINGLE=${SINGLE:-100}
KIND=${KIND:-pdf}
cores=$(nproc)
JOBS=${JOBS:-"$cores $((2 * cores)) $((4 * cores)) default"}

cargo build --release --example eseal -q
E=$PWD/target/release/examples/eseal
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

"$E" demo --dir "$W/demo" >/dev/null
export ESEAL_BENCH_PW=eseal-demo
mkdir "$W/in"
for i in $(seq "$N"); do cp "$W/demo/contract.$KIND" "$W/in/doc$i.$KIND"; done
: >"$W/list"
for i in $(seq $((SINGLE * 3))); do echo "$W/in/doc$i.$KIND" >>"$W/list"; done
common=(--seal "$W/demo/demo.esl" --cert "$W/demo/signer.pem" --key "$W/demo/signer.key"
        --password-env ESEAL_BENCH_PW)

now() { date +%s.%N; }
rate() { awk -v n="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.1f", n / (b - a) }'; }
pct() { awk -v r="$1" -v c="$cores" -v s="$2" 'BEGIN { printf "%.0f%%", 100 * r / (c * s) }'; }

# Runs a batch, checks that every document was sealed, prints the rate.
batch() {
    local src=$1 jobs=$2 count=$3 out=$W/out
    rm -rf "$out"
    local args=(--batch "$src" -o "$out" --no-progress)
    [ "$jobs" != default ] && args+=(--jobs "$jobs")
    local t0 t1
    t0=$(now)
    "$E" sign-"$KIND" "${common[@]}" "${args[@]}" 2>"$W/batch.log"
    t1=$(now)
    grep -q "sealed $count, skipped 0 (already sealed), failed 0 " "$W/batch.log" \
        || { cat "$W/batch.log" >&2; exit 1; }
    rate "$count" "$t0" "$t1"
}

echo "== $cores cores, $N one-page ${KIND^^} documents, $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
    echo "== round $r: load $(uptime | sed 's/.*load average: //')"
    rm -rf "$W/single" && mkdir "$W/single"
    t0=$(now)
    for i in $(seq "$SINGLE"); do
        "$E" sign-"$KIND" "${common[@]}" "$W/in/doc$i.$KIND" -o "$W/single/doc$i.$KIND" >/dev/null
    done
    t1=$(now)
    single=$(rate "$SINGLE" "$t0" "$t1")
    inproc=$(batch "$W/list" 1 $((SINGLE * 3)))
    echo "   single-file runs   $single files/s"
    echo "   --batch --jobs 1   $inproc files/s"
    for j in $JOBS; do
        b=$(batch "$W/in" "$j" "$N")
        printf '   --batch jobs=%-7s %s files/s   vs cores x single: %s   vs cores x inproc: %s\n' \
            "$j" "$b" "$(pct "$b" "$single")" "$(pct "$b" "$inproc")"
    done
    # The last batch's outputs verify.
    "$E" verify --trust "$W/demo/root.pem" --format csv "$W/out" >"$W/verify.csv" 2>"$W/verify.log" \
        || { tail -n 3 "$W/verify.log" >&2; exit 1; }
    echo "   verified: $(tail -n 1 "$W/verify.log")"
done
echo "== load after: $(uptime | sed 's/.*load average: //')"
