#!/usr/bin/env bash
# SM2 signatures made by OpenSSL 3 (`openssl dgst -sm3 -sign` and `openssl pkeyutl -sign -rawin`),
# written as a vector manifest: test-vectors/sm2/openssl/gen.sh [OUTDIR]  (writes OUTDIR/vectors.json;
# OUTDIR defaults to this directory).
# OpenSSL 3 uses an EMPTY SM2 ID unless given -sigopt/-pkeyopt distid:...; the vectors include
# signatures made without it, which must verify with the empty ID and fail with the default ID.
# Needs only openssl and coreutils.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ver=$(openssl version | awk '{print $1" "$2}')
DEF=1234567812345678
DEFHEX=31323334353637383132333435363738

hexof() { od -An -tx1 -v "$1" | tr -d ' \n'; }
asciihex() { printf '%s' "$1" | od -An -tx1 -v | tr -d ' \n'; }

# Messages: empty, "abc", "message digest", 1000 random bytes, 1 MiB where byte i = i % 251.
: > "$work/m0"
printf abc > "$work/m1"
printf 'message digest' > "$work/m2"
head -c 1000 /dev/urandom > "$work/m3"
printf "$(printf '\\%03o' $(seq 0 250))" > "$work/blk"
cp "$work/blk" "$work/big"
while [ "$(stat -c %s "$work/big")" -lt 1048576 ]; do cat "$work/big" "$work/big" > "$work/big2"; mv "$work/big2" "$work/big"; done
head -c 1048576 "$work/big" > "$work/m4"
printf abd > "$work/abd"
names=("empty message" "abc" "message digest" "1000 random bytes" "1 MiB pattern")

first=1
emit() { # comment pubhex idhex msgfile sigfile encoding valid
  local msgfield
  if [ "$(stat -c %s "$4")" -eq 1048576 ]; then msgfield="\"msg_pattern_len\": 1048576"
  else msgfield="\"msg_hex\": \"$(hexof "$4")\""; fi
  [ $first = 1 ] || printf ',\n' >> "$work/v"
  first=0
  printf '    {"peer": "%s", "comment": "%s", "public_key_hex": "%s", "id_hex": "%s", %s, "sig_hex": "%s", "encoding": "%s", "valid": %s}' \
    "$ver" "$1" "$2" "$3" "$msgfield" "$(hexof "$5")" "$6" "$7" >> "$work/v"
}

for n in 1 2; do
  key="$work/k$n.pem"
  openssl genpkey -algorithm SM2 -out "$key" 2>/dev/null
  pub=$(openssl pkey -in "$key" -pubout -outform DER | od -An -tx1 -v | tr -d ' \n' | tail -c 130)
  for i in 0 1 2 3 4; do
    m="$work/m$i"
    openssl dgst -sm3 -sign "$key" -sigopt distid:$DEF -out "$work/s" "$m"
    emit "key $n: dgst -sm3 -sign -sigopt distid:$DEF, ${names[$i]}" "$pub" $DEFHEX "$m" "$work/s" der true
    if [ $i -lt 4 ]; then
      openssl pkeyutl -sign -inkey "$key" -rawin -digest sm3 -pkeyopt distid:$DEF -in "$m" -out "$work/s"
      emit "key $n: pkeyutl -sign -rawin -digest sm3 -pkeyopt distid:$DEF, ${names[$i]}" "$pub" $DEFHEX "$m" "$work/s" der true
    fi
  done
  openssl dgst -sm3 -sign "$key" -sigopt distid:ALICE123@YAHOO.COM -out "$work/s" "$work/m2"
  emit "key $n: dgst -sigopt distid:ALICE123@YAHOO.COM" "$pub" "$(asciihex ALICE123@YAHOO.COM)" "$work/m2" "$work/s" der true
  openssl pkeyutl -sign -inkey "$key" -rawin -digest sm3 -pkeyopt hexdistid:00ff01fe -in "$work/m1" -out "$work/s"
  emit "key $n: pkeyutl -pkeyopt hexdistid:00ff01fe" "$pub" 00ff01fe "$work/m1" "$work/s" der true
  openssl dgst -sm3 -sign "$key" -out "$work/s" "$work/m1"
  emit "key $n: dgst -sm3 -sign WITHOUT distid (OpenSSL's empty ID), checked with the empty ID" "$pub" "" "$work/m1" "$work/s" der true
  emit "key $n: INVALID: dgst -sm3 -sign WITHOUT distid, checked with the default ID" "$pub" $DEFHEX "$work/m1" "$work/s" der false
  openssl dgst -sm3 -sign "$key" -sigopt distid:$DEF -out "$work/s" "$work/m1"
  emit "key $n: INVALID: signature over abc checked against abd" "$pub" $DEFHEX "$work/abd" "$work/s" der false
  emit "key $n: INVALID: default-ID signature checked with the empty ID" "$pub" "" "$work/m1" "$work/s" der false
done
{ printf '{"generator": "test-vectors/sm2/openssl/gen.sh",\n "vectors": [\n'; cat "$work/v"; printf '\n]}\n'; } > "$out/vectors.json"
