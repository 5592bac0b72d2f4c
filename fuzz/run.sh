#!/usr/bin/env bash
# Runs fuzz targets with the limits the project promises: no crash, no input taking over 1 s,
# no allocation over 256 MiB. Usage:
#   fuzz/run.sh time SECONDS [TARGET...]   each target for SECONDS (the CI smoke run: 10)
#   fuzz/run.sh runs N [TARGET...]         each target for N executions (a campaign: 1000000)
# Targets run one after the other at the lowest priority (nice 19); default: all. Findings go to
# fuzz/artifacts/<target>/, the corpus grows in fuzz/corpus/<target>/, logs in fuzz/logs/.
# Exit status 1 when a target found something.
set -euo pipefail
cd "$(dirname "$0")"
mode=${1:?time or runs}
n=${2:?a number}
shift 2
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || mapfile -t targets < <(sed -n 's/^name = "\(.*\)"$/\1/p' Cargo.toml | grep -v '^eseal-fuzz$')
[ -d corpus ] || ./seeds.sh >/dev/null
bin=$(./build.sh "${targets[@]}" | tail -1)
case $mode in
    time) limit=(-max_total_time="$n") ;;
    runs) limit=(-runs="$n") ;;
    *) echo "mode: time or runs" >&2; exit 2 ;;
esac
mkdir -p logs
status=0
for t in "${targets[@]}"; do
    mkdir -p "artifacts/$t" "corpus/$t"
    log=logs/$t.log
    if nice -n 19 "$bin/$t" "${limit[@]}" -timeout=1 -rss_limit_mb=256 -malloc_limit_mb=256 \
        -max_len=262144 -len_control=100 -print_final_stats=1 \
        -artifact_prefix="artifacts/$t/" "corpus/$t" >"$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "$t: ok, $execs executions, $(ls "corpus/$t" | wc -l) corpus files"
    else
        status=1
        echo "$t: FOUND SOMETHING (see $log and artifacts/$t/)"
        grep -m5 -E "ERROR|panicked|SUMMARY|Test unit written" "$log" || true
    fi
done
exit $status
