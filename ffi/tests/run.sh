#!/usr/bin/env bash
# Builds the C tests of libeseal with gcc against target/release/libeseal.a and runs them
# under AddressSanitizer (+ UBSan) and under Valgrind (no leaks, no errors). Also compiles and
# runs the C snippet of ffi/README.md. Needs `cargo build --release -p eseal-ffi` first.
# usage: ffi/tests/run.sh [asan|valgrind|all]      (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
mode=${1:-all}
lib="$root/target/release/libeseal.a"
out="$root/target/ffi-tests"
[ -f "$lib" ] || { echo "missing $lib: run cargo build --release -p eseal-ffi" >&2; exit 1; }
mkdir -p "$out"
bash "$root/ffi/tests/extract_snippets.sh" "$root/ffi/README.md" "$out/snippets"

cflags=(-std=c11 -Wall -Wextra -Werror -g -O1 -I"$root/ffi/include" -I"$root/ffi/tests" -I"$out/snippets")
libs=("$lib" -lpthread -ldl -lm)
tests=(test_eseal test_seal test_ofd test_pdf test_placement test_licence test_rows test_threads test_sweep test_third_party readme_c)
sweep_rounds=${ESEAL_SWEEP_ROUNDS:-300}

args_for() {
    case $1 in
        test_sweep) echo "$root $sweep_rounds" ;;
        *) echo "$root" ;;
    esac
}

status=0
if [ "$mode" = asan ] || [ "$mode" = all ]; then
    command -v gcc >/dev/null || { echo "gcc not found" >&2; exit 1; }
    for t in "${tests[@]}"; do
        gcc "${cflags[@]}" -fsanitize=address,undefined -fno-omit-frame-pointer \
            -fno-sanitize-recover=undefined "$root/ffi/tests/$t.c" "${libs[@]}" -o "$out/$t.asan"
        echo "-- $t (AddressSanitizer)"
        # shellcheck disable=SC2046
        if ! ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1 \
            "$out/$t.asan" $(args_for "$t"); then
            echo "FAILED: $t under AddressSanitizer" >&2
            status=1
        fi
    done
fi
if [ "$mode" = valgrind ] || [ "$mode" = all ]; then
    if ! command -v valgrind >/dev/null; then
        if [ -n "${CI:-}" ]; then echo "valgrind not found" >&2; exit 1; fi
        echo "skipped: valgrind not found"
    else
        for t in "${tests[@]}"; do
            gcc "${cflags[@]}" "$root/ffi/tests/$t.c" "${libs[@]}" -o "$out/$t.plain"
            echo "-- $t (Valgrind)"
            # Valgrind is ~30x slower: the sweep runs fewer rounds there.
            a=$(args_for "$t")
            [ "$t" = test_sweep ] && a="$root $((sweep_rounds / 5))"
            # shellcheck disable=SC2086
            if ! valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect \
                --show-leak-kinds=definite,indirect --error-exitcode=1 \
                "$out/$t.plain" $a; then
                echo "FAILED: $t under Valgrind" >&2
                status=1
            fi
        done
    fi
fi
exit $status
