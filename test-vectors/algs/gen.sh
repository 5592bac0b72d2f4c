#!/usr/bin/env bash
# Regenerates the RSA / ECDSA vectors of tests/cms_algs.rs and tests/chains_algs.rs with OpenSSL 3
# (`openssl req`, `openssl ca`, `openssl cms`): for each family a root CA, an intermediate CA, a
# signer and a revoked signer, CRLs of both CAs, and detached CMS signatures over data.bin.
#   families: rsa   (RSA 2048, sha256WithRSAEncryption certificates)
#             pss   (RSA 3072, RSASSA-PSS SHA-256 certificates and CRLs)
#             ec256 (P-256, ecdsa-with-SHA256)   ec384 (P-384, ecdsa-with-SHA384)
#             weak  (RSA 1024 signer under the rsa intermediate)
# Usage: gen.sh [out_dir]   (default: this folder). Keys are throw-away test keys.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "${1:-$here}" && cd "${1:-$here}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
start=20260101000000Z
end=20360101000000Z
printf 'eseal algs test data: contract signed abroad\n' > "$out/data.bin"

conf() { # $1 = ca dir
  cat > "$1/ca.cnf" <<CNF
[ca]
default_ca = d
[d]
dir = $1
database = $1/index.txt
new_certs_dir = $1
serial = $1/serial
crlnumber = $1/crlnumber
policy = p
unique_subject = no
copy_extensions = none
default_crl_days = 3650
default_md = sha256
[p]
commonName = supplied
organizationName = optional
countryName = optional
[v3_ca]
basicConstraints = critical,CA:true
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical,CA:false
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[req]
distinguished_name = dn
prompt = no
[dn]
CN = x
CNF
  : > "$1/index.txt"; echo 1000 > "$1/serial"; echo 01 > "$1/crlnumber"
}

key() { # $1 = file, $2 = family
  case "$2" in
    rsa) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" ;;
    pss) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out "$1" ;;
    weak) openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$1" ;;
    ec256) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" ;;
    ec384) openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$1" ;;
  esac
}

sigopts() { # $1 = family -> md and signature options for openssl ca
  case "$1" in
    pss) echo "-md sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32" ;;
    ec384) echo "-md sha384" ;;
    *) echo "-md sha256" ;;
  esac
}

# OpenSSL's chatter goes to a log, shown when a step fails.
exec 3>&2 2>"$work/log"
trap 'cat "$work/log" >&3' ERR
for fam in rsa pss ec256 ec384; do
  d="$work/$fam"; mkdir -p "$d/root" "$d/inter"
  conf "$d/root"; conf "$d/inter"
  so=$(sigopts "$fam")
  key "$d/root.key" "$fam"; key "$d/inter.key" "$fam"; key "$d/signer.key" "$fam"; key "$d/revoked.key" "$fam"
  # shellcheck disable=SC2086
  openssl req -new -key "$d/root.key" -subj "/C=CN/O=eseal test/CN=$fam Root CA" -out "$d/root.csr" -config "$d/root/ca.cnf"
  openssl ca -batch -selfsign -config "$d/root/ca.cnf" -keyfile "$d/root.key" -in "$d/root.csr" \
    -startdate $start -enddate $end -extensions v3_ca $so -notext -out "$d/root.pem"
  openssl req -new -key "$d/inter.key" -subj "/C=CN/O=eseal test/CN=$fam Intermediate CA" -out "$d/inter.csr" -config "$d/root/ca.cnf"
  openssl ca -batch -config "$d/root/ca.cnf" -cert "$d/root.pem" -keyfile "$d/root.key" -in "$d/inter.csr" \
    -startdate $start -enddate $end -extensions v3_ca $so -notext -out "$d/inter.pem"
  for who in signer revoked; do
    openssl req -new -key "$d/$who.key" -subj "/C=CN/O=eseal test/CN=$fam $who" -out "$d/$who.csr" -config "$d/inter/ca.cnf"
    openssl ca -batch -config "$d/inter/ca.cnf" -cert "$d/inter.pem" -keyfile "$d/inter.key" -in "$d/$who.csr" \
      -startdate $start -enddate $end -extensions v3_leaf $so -notext -out "$d/$who.pem"
  done
  openssl ca -batch -config "$d/inter/ca.cnf" -cert "$d/inter.pem" -keyfile "$d/inter.key" \
    -revoke "$d/revoked.pem" -crl_reason keyCompromise
  openssl ca -batch -config "$d/inter/ca.cnf" -cert "$d/inter.pem" -keyfile "$d/inter.key" -gencrl $so -out "$d/inter_crl.pem"
  openssl ca -batch -config "$d/root/ca.cnf" -cert "$d/root.pem" -keyfile "$d/root.key" -gencrl $so -out "$d/root_crl.pem"
  for f in root inter signer revoked inter_crl root_crl; do cp "$d/$f.pem" "$out/${fam}_$f.pem"; done
  cp "$d/signer.key" "$out/${fam}_signer.key"; cp "$d/revoked.key" "$out/${fam}_revoked.key"
done

# A 1024-bit RSA signer under the rsa intermediate (weak key: warn).
d="$work/rsa"
key "$d/weak.key" weak
openssl req -new -key "$d/weak.key" -subj "/C=CN/O=eseal test/CN=rsa weak signer" -out "$d/weak.csr" -config "$d/inter/ca.cnf"
openssl ca -batch -config "$d/inter/ca.cnf" -cert "$d/inter.pem" -keyfile "$d/inter.key" -in "$d/weak.csr" \
  -startdate $start -enddate $end -extensions v3_leaf -md sha256 -notext -out "$out/rsa_weak.pem"

# Detached CMS signatures over data.bin (signed attributes, signer + intermediate certificates).
cms() { # $1 = out name, $2 = family, $3 = md, rest = extra options
  local name=$1 fam=$2 md=$3; shift 3
  local signer="$out/${fam}_signer.pem" key="$out/${fam}_signer.key"
  if [ "$fam" = weak ]; then signer="$out/rsa_weak.pem"; key="$work/rsa/weak.key"; fam=rsa; fi
  openssl cms -sign -binary -md "$md" -in "$out/data.bin" -signer "$signer" -inkey "$key" \
    -certfile "$out/${fam}_inter.pem" -outform DER -out "$out/$name.p7s" "$@"
}
cms rsa_sha256 rsa sha256
cms rsa_sha384 rsa sha384
cms rsa_pss_sha256 rsa sha256 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:32
cms pss_pss_sha384 pss sha384 -keyopt rsa_padding_mode:pss -keyopt rsa_pss_saltlen:48
cms rsa_sha512 rsa sha512
cms ec256_sha256 ec256 sha256
cms ec256_sha512 ec256 sha512
cms ec384_sha384 ec384 sha384
cms weak_sha256 weak sha256
cms rsa_sha1 rsa sha1
openssl version > "$out/openssl-version.txt"
