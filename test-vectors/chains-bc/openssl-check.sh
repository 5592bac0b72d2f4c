#!/usr/bin/env bash
# A second opinion on a chains-bc set from OpenSSL 3: openssl-check.sh DIR
# OpenSSL 3.0's `openssl verify` fails on multi-level SM2 chains (an "EVP lib" error after the
# first SM2 signature it checks), so each link is checked on its own: -partial_chain with the issuer
# as the only trusted certificate, -vfyopt distid:1234567812345678, at the reference time.
# CRLs are not checked here: OpenSSL 3.0 verifies SM2 CRL signatures (crl -CAfile, verify
# -crl_check) without a way to pass the ID, so they fail for any CRL signed with the default ID.
set -euo pipefail
d=${1:?usage: openssl-check.sh DIR}
at=$(date -d 2026-06-01T00:00:00Z +%s)
fail=0
link() { # expect(ok|fail) cert issuer [extra openssl verify options...]
  local want=$1 cert=$2 issuer=$3
  shift 3
  if openssl verify -attime "$at" -partial_chain "$@" -CAfile "$d/$issuer" "$d/$cert" >/dev/null 2>&1; then got=ok; else got=fail; fi
  if [ "$got" != "$want" ]; then
    echo "openssl-check: $cert <- $issuer ($*): expected $want, got $got" >&2
    fail=1
  fi
}
ID=(-vfyopt distid:1234567812345678)
link ok inter.pem root.pem "${ID[@]}"
link ok leaf.pem inter.pem "${ID[@]}"
link ok leaf-revoked.pem inter.pem "${ID[@]}"
link ok leaf-revoked-later.pem inter.pem "${ID[@]}"
link ok leaf-keyenc.pem inter.pem "${ID[@]}"
link fail leaf-under-noca.pem inter-noca.pem "${ID[@]}"  # OpenSSL, too, refuses a CA:FALSE issuer
link ok inter-pathlen0.pem root.pem "${ID[@]}"
link ok inter-sub.pem inter-pathlen0.pem "${ID[@]}"
link ok leaf-pathlen.pem inter-sub.pem "${ID[@]}"
link ok inter-noca.pem root.pem "${ID[@]}"
link fail leaf-badsig.pem inter.pem "${ID[@]}"
link fail leaf-emptyid.pem inter.pem "${ID[@]}"
link ok leaf-emptyid.pem inter.pem          # no distid: OpenSSL's empty ID, which BC used
link fail leaf.pem inter.pem                # and the normal leaf fails with the empty ID
link fail leaf-expired.pem inter.pem "${ID[@]}"
link fail leaf-notyet.pem inter.pem "${ID[@]}"
link fail leaf-unknown.pem root.pem "${ID[@]}"
exit $fail
