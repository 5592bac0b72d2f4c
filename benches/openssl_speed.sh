#!/usr/bin/env bash
# SM2 verification/signing and SM3 speed: OpenSSL (`openssl speed`) beside eseal's criterion
# bench (benches/sm2.rs, which also measures RustCrypto `sm2`), then the ratios.
#
#   bash benches/openssl_speed.sh            # from the repository root
#
# Both run in the same invocation, and OpenSSL with -elapsed (wall clock, like criterion; by
# default it divides by CPU user time), so that the machine load is comparable; `uptime` is printed
# before and after. Criterion's per-iteration medians are read from target/criterion.
set -euo pipefail
cd "$(dirname "$0")/.."

secs=${OPENSSL_SECONDS:-3}
echo "== load before: $(uptime)"

ossl_verify=""
ossl_sign=""
ossl_sm3=""
if command -v openssl >/dev/null 2>&1; then
    echo "== $(openssl version)"
    sm2_out=$(openssl speed -elapsed -seconds "$secs" sm2 2>/dev/null || true)
    echo "$sm2_out" | grep -Ei 'sign|verify|sm2' | tail -n 3
    # Table line: " 256 bits SM2 (CurveSM2)   0.0001s   0.0003s   8000.0   3000.0"
    line=$(echo "$sm2_out" | grep -E 'SM2 \(' | tail -n 1 || true)
    if [ -n "$line" ]; then
        ossl_sign=$(echo "$line" | awk '{print $(NF-1)}')
        ossl_verify=$(echo "$line" | awk '{print $NF}')
    fi
    sm3_out=$(openssl speed -elapsed -seconds "$secs" -evp sm3 2>/dev/null || true)
    echo "$sm3_out" | tail -n 2
    # Last column is the largest block size, in kB/s ("123456.78k").
    sm3_line=$(echo "$sm3_out" | grep -Ei '^sm3' | tail -n 1 || true)
    if [ -n "$sm3_line" ]; then
        ossl_sm3=$(echo "$sm3_line" | awk '{v=$NF; sub(/k$/,"",v); printf "%.1f", v/1024}')
    fi
else
    echo "== openssl not found: only the criterion figures"
fi

echo "== criterion: cargo bench --bench sm2"
cargo bench --bench sm2 -- --warm-up-time 1 --measurement-time "$secs" 2>&1 \
    | grep -E '^(sm2|sm3)/|time:|thrpt:' || true

median_ns() {
    python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['median']['point_estimate'])" \
        "target/criterion/$1/new/estimates.json"
}
rc=$(median_ns "sm2/verify_rustcrypto_sm2")
ours=$(median_ns "sm2/verify_eseal")
pre=$(median_ns "sm2/verify_eseal_precomputed")
sign=$(median_ns "sm2/sign_eseal")
sm3=$(median_ns "sm3/1MiB")

echo "== load after: $(uptime)"
python3 - "$rc" "$ours" "$pre" "$sign" "$sm3" "${ossl_verify:-0}" "${ossl_sign:-0}" "${ossl_sm3:-0}" <<'PY'
import sys
rc, ours, pre, sign, sm3 = (float(x) for x in sys.argv[1:6])
ov, osg, osm3 = (float(x) for x in sys.argv[6:9])
per_s = lambda ns: 1e9 / ns
print(f"RustCrypto sm2 verify_prehash : {per_s(rc):10.0f} verifies/s")
print(f"eseal verify_prehash          : {per_s(ours):10.0f} verifies/s  ({rc / ours:.2f}x RustCrypto" +
      (f", {per_s(ours) / ov:.2f}x OpenSSL)" if ov else ")"))
print(f"eseal PrecomputedPublicKey    : {per_s(pre):10.0f} verifies/s  ({rc / pre:.2f}x RustCrypto" +
      (f", {per_s(pre) / ov:.2f}x OpenSSL)" if ov else ")"))
if ov:
    print(f"OpenSSL sm2 verify            : {ov:10.0f} verifies/s")
print(f"eseal sign_digest             : {per_s(sign):10.0f} signs/s" +
      (f"  (OpenSSL {osg:.0f} signs/s)" if osg else ""))
print(f"eseal SM3 (1 MiB)             : {(1 << 20) / sm3 * 1e9 / (1 << 20):10.1f} MiB/s" +
      (f"  (OpenSSL evp sm3, largest block: {osm3:.1f} MiB/s)" if osm3 else ""))
PY
