#!/usr/bin/env bash
# Generates SM2 certificate chains, CRLs and cases.json with OpenSSL 3.0 (independent of eseal).
#
#   test-vectors/chains/gen.sh [OUTDIR]     (default: the directory of this script)
#
# Every certificate and CRL is signed SM2-with-SM3 with the default user ID
# (-sigopt distid:1234567812345678), except the one case that deliberately uses the empty ID
# (OpenSSL's default). Validity dates are fixed (openssl ca -startdate/-enddate); revocation
# dates are written into the CA database (index.txt) before `openssl ca -gencrl`, so the CRLs
# say when a certificate was revoked regardless of when this script runs. Keys are fresh on
# every run: outputs differ byte-wise between runs, verdicts do not.
#
# cases.json schema: {"cases":[{"name","cert","trust":[..],"intermediates":[..],"crls":[..],
#   "at":RFC3339,"verdict":"valid|invalid|indeterminate","check":id|null,"status":s|null}]}
# with paths relative to cases.json; check/status name the one check expected not to pass.
# Optional "purpose": "signing" (default when absent), "timestamping" or "any"; optional "now"
# (RFC 3339; default: the current time, or "at" when that is later).
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
OUT="${1:-$HERE}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

ID=(-sigopt distid:1234567812345678)
VID=(-vfyopt distid:1234567812345678)

cat > openssl.cnf <<'EOF'
[ ca ]
default_ca = CA_default
[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
default_md = sm3
default_crl_days = 36500
policy = policy_any
unique_subject = no
copy_extensions = none
email_in_dn = no
preserve = yes
[ policy_any ]
countryName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ v3_ca ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_ca_pathlen0 ]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_ca_nokeyid ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
[ v3_notca ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf_kenc ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_tsa ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf_unknown_crit ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
1.2.3.4.5.6.7 = critical,DER:05:00
EOF

# newca NAME: a CA database directory.
newca() {
    mkdir -p "ca_$1/newcerts"
    : > "ca_$1/index.txt"
    printf '1000\n' > "ca_$1/serial"
    printf '1000\n' > "ca_$1/crlnumber"
}

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$1.key" 2>/dev/null; }

csr() { # csr NAME SUBJ
    openssl req -new -config openssl.cnf -key "$1.key" -subj "$2" -sm3 "${ID[@]}" -out "$1.csr"
}

# issue CA NAME EXT START END [extra ca args...]: NAME.csr signed by CA (ca_CA, CA.pem, CA.key).
issue() {
    local ca=$1 name=$2 ext=$3 start=$4 end=$5
    shift 5
    (cd "ca_$ca" && openssl ca -batch -notext -config ../openssl.cnf -md sm3 \
        -cert "../$ca.pem" -keyfile "../$ca.key" -in "../$name.csr" -out "../$name.pem" \
        -extensions "$ext" -startdate "$start" -enddate "$end" "${VID[@]}" "$@" 2>/dev/null)
}

selfsign() { # selfsign NAME SUBJ START END
    key "$1"
    csr "$1" "$2"
    newca "$1"
    (cd "ca_$1" && openssl ca -batch -notext -config ../openssl.cnf -md sm3 -selfsign \
        -keyfile "../$1.key" -in "../$1.csr" -out "../$1.pem" -extensions v3_root \
        -startdate "$3" -enddate "$4" "${ID[@]}" "${VID[@]}" 2>/dev/null)
}

# ca_cert PARENT NAME SUBJ EXT: an intermediate CA NAME issued by PARENT, valid 2019–2049.
ca_cert() {
    key "$2"
    csr "$2" "$3"
    issue "$1" "$2" "$4" 190101000000Z 491231235959Z "${ID[@]}"
    newca "$2"
}

# leaf PARENT NAME CN [EXT [START [END [sigopts...]]]]
leaf() {
    local parent=$1 name=$2 cn=$3 ext=${4:-v3_leaf} start=${5:-250101000000Z} end=${6:-450101000000Z}
    shift 6 2>/dev/null || shift $#
    key "$name"
    csr "$name" "/C=CN/O=eseal test/CN=$cn"
    if [ $# -gt 0 ]; then
        issue "$parent" "$name" "$ext" "$start" "$end" "$@"
    else
        issue "$parent" "$name" "$ext" "$start" "$end" "${ID[@]}"
    fi
}

# revoke CA NAME DATE(YYMMDDHHMMSSZ) REASON: marks NAME revoked at DATE in CA's index.txt.
revoke() {
    local serial
    serial=$(openssl x509 -in "$2.pem" -noout -serial | cut -d= -f2)
    awk -v s="$serial" -v d="$3,$4" 'BEGIN{FS=OFS="\t"} $4==s {$1="R"; $3=d} {print}' \
        "ca_$1/index.txt" > "ca_$1/index.new"
    mv "ca_$1/index.new" "ca_$1/index.txt"
}

gencrl() { # gencrl CA OUT [extra args]
    local ca=$1 out=$2
    shift 2
    (cd "ca_$ca" && openssl ca -batch -config ../openssl.cnf -gencrl -md sm3 \
        -cert "../$ca.pem" -keyfile "../$ca.key" -out "../$out" "${ID[@]}" "$@" 2>/dev/null)
}

# --- the PKI -----------------------------------------------------------------------------
selfsign root "/C=CN/O=eseal test/CN=eseal Test Root CA" 190101000000Z 491231235959Z
ca_cert root inter "/C=CN/O=eseal test/CN=eseal Test Intermediate CA" v3_ca

leaf inter leaf "Valid Leaf"
leaf inter expired "Expired Leaf" v3_leaf 200101000000Z 220101000000Z
leaf inter notyet "Not Yet Valid Leaf" v3_leaf 300101000000Z 400101000000Z
leaf inter revoked "Revoked Leaf"
leaf inter revokedlater "Revoked Later Leaf"
leaf inter kenc "Key Encipherment Leaf" v3_leaf_kenc
leaf inter tsa "Time Stamping Authority" v3_tsa
leaf inter unknowncrit "Unknown Critical Extension Leaf" v3_leaf_unknown_crit
# Signed with the EMPTY user ID (OpenSSL's default when no distid is given): must fail.
leaf inter emptyid "Empty ID Leaf" v3_leaf 250101000000Z 450101000000Z -md sm3

# Bad signature: the last byte of the signature (inside s) flipped.
openssl x509 -in leaf.pem -outform DER -out leaf.der
python3 - <<'EOF' 2>/dev/null || perl -e 'local $/; open F,"<leaf.der"; binmode F; $d=<F>; substr($d,-1,1)=chr(ord(substr($d,-1,1))^1); open G,">badsig.der"; binmode G; print G $d;'
d = bytearray(open("leaf.der", "rb").read())
d[-1] ^= 1
open("badsig.der", "wb").write(d)
EOF
openssl x509 -inform DER -in badsig.der -out badsig.pem

# CA:FALSE intermediate that signs a leaf.
ca_cert root notca "/C=CN/O=eseal test/CN=eseal Not A CA" v3_notca
leaf notca notca_leaf "Leaf Under Non-CA"

# pathLen 0 intermediate with another intermediate below it.
ca_cert root pl0 "/C=CN/O=eseal test/CN=eseal PathLen0 CA" v3_ca_pathlen0
ca_cert pl0 pl0sub "/C=CN/O=eseal test/CN=eseal Sub CA Under PathLen0" v3_ca
leaf pl0sub pl_leaf "Leaf Too Deep"

# Unknown issuer: a second root not given as a trust anchor.
selfsign other "/C=CN/O=eseal test/CN=eseal Other Root CA" 190101000000Z 491231235959Z
leaf other other_leaf "Leaf Of Other Root"

# Two candidate issuers with the same name: a decoy (other key, no key identifiers) listed
# first, then the real one — path building must backtrack.
key decoy
csr decoy "/C=CN/O=eseal test/CN=eseal Test Intermediate CA"
issue root decoy v3_ca_nokeyid 190101000000Z 491231235959Z "${ID[@]}"
newca decoy
# (the decoy has no subjectKeyIdentifier, so AKI/SKI ordering cannot skip it: the candidates are
#  tried in the order given and the decoy's signature check fails first)

# A loop: X and Y cross-certify each other, neither reaches the trusted root.
selfsign loopx "/C=CN/O=eseal test/CN=eseal Loop X" 190101000000Z 491231235959Z
selfsign loopy "/C=CN/O=eseal test/CN=eseal Loop Y" 190101000000Z 491231235959Z
cp loopx.csr loopx_by_y.csr
cp loopy.csr loopy_by_x.csr
issue loopy loopx_by_y v3_ca 190101000000Z 491231235959Z "${ID[@]}"
issue loopx loopy_by_x v3_ca 190101000000Z 491231235959Z "${ID[@]}"
leaf loopx loop_leaf "Leaf In A Loop"

# --- CRLs ----------------------------------------------------------------------------------
revoke inter revoked 250601000000Z keyCompromise
revoke inter revokedlater 260301000000Z superseded
gencrl inter inter_crl.pem -crldays 36500
gencrl root root_crl.pem -crldays 36500
# A CRL with the intermediate's name but signed by the decoy's key: unusable.
gencrl decoy decoy_crl.pem -crldays 36500
# A CRL whose nextUpdate (one hour after it was made) is long before the reference time.
gencrl inter inter_crl_stale.pem -crlhours 1

for f in root inter leaf expired notyet revoked revokedlater kenc tsa unknowncrit emptyid badsig \
    notca notca_leaf pl0 pl0sub pl_leaf other other_leaf decoy loopx_by_y loopy_by_x loop_leaf; do
    openssl x509 -in "$f.pem" -out "$OUT/$f.pem"
done
cp inter_crl.pem root_crl.pem inter_crl_stale.pem decoy_crl.pem "$OUT/"

# Sanity: OpenSSL itself accepts each link of the valid chain with the default ID, and rejects
# the empty-ID one. (`openssl verify -vfyopt` applies the ID to the target certificate only, so
# links are checked one at a time.)
openssl verify "${VID[@]}" -attime 1767225600 -CAfile root.pem inter.pem >/dev/null
openssl verify "${VID[@]}" -attime 1767225600 -partial_chain -CAfile inter.pem leaf.pem >/dev/null
if openssl verify "${VID[@]}" -attime 1767225600 -partial_chain -CAfile inter.pem emptyid.pem \
    >/dev/null 2>&1; then
    echo "gen.sh: emptyid.pem unexpectedly verifies with the default ID" >&2
    exit 1
fi

# --- cases.json ----------------------------------------------------------------------------
case_json() { # name cert trust inters crls at verdict check status purpose
    local q='"'
    list() { local out="" x; for x in ${1//,/ }; do out="$out${out:+,}$q$x$q"; done; printf '[%s]' "$out"; }
    local check=null status=null
    [ "$8" != null ] && check="\"$8\""
    [ "$9" != null ] && status="\"$9\""
    printf '    {"name":"%s","cert":"%s","trust":%s,"intermediates":%s,"crls":%s,"at":"%s","verdict":"%s","check":%s,"status":%s,"purpose":"%s"}' \
        "$1" "$2" "$(list "$3")" "$(list "$4")" "$(list "$5")" "$6" "$7" "$check" "$status" "${10}"
}

AT=2026-01-01T00:00:00Z
CRLS="inter_crl.pem,root_crl.pem"
{
    echo '{"cases":['
    sep=""
    while read -r name cert trust inters crls at verdict check status purpose; do
        [ -z "$name" ] && continue
        [ "$trust" = - ] && trust=""
        [ "$inters" = - ] && inters=""
        [ "$crls" = - ] && crls=""
        [ "$crls" = CRLS ] && crls="$CRLS"
        printf '%s' "$sep"
        case_json "$name" "$cert" "$trust" "$inters" "$crls" "$at" "$verdict" "$check" "$status" \
            "${purpose:-signing}"
        sep=$',\n'
    done <<EOF
valid_chain_with_crls leaf.pem root.pem inter.pem CRLS $AT valid null null
valid_chain_no_crl leaf.pem root.pem inter.pem - $AT valid cert.revocation skip
expired_leaf expired.pem root.pem inter.pem CRLS $AT invalid cert.validity fail
expired_after_reference_time expired.pem root.pem inter.pem CRLS 2021-06-01T00:00:00Z valid cert.validity warn
not_yet_valid notyet.pem root.pem inter.pem CRLS $AT invalid cert.validity fail
revoked revoked.pem root.pem inter.pem CRLS $AT invalid cert.revocation fail
revoked_after_reference_time revokedlater.pem root.pem inter.pem CRLS $AT valid cert.revocation warn
wrong_key_usage kenc.pem root.pem inter.pem CRLS $AT invalid cert.key_usage fail
unknown_critical_extension unknowncrit.pem root.pem inter.pem CRLS $AT invalid cert.chain fail
intermediate_not_ca notca_leaf.pem root.pem notca.pem - $AT invalid cert.chain fail
path_len_exceeded pl_leaf.pem root.pem pl0.pem,pl0sub.pem - $AT invalid cert.chain fail
bad_signature badsig.pem root.pem inter.pem CRLS $AT invalid cert.chain fail
unknown_issuer other_leaf.pem root.pem inter.pem - $AT indeterminate cert.chain indeterminate
missing_intermediate leaf.pem root.pem - - $AT indeterminate cert.chain indeterminate
empty_trust_store leaf.pem - inter.pem - $AT indeterminate cert.chain indeterminate
empty_user_id emptyid.pem root.pem inter.pem CRLS $AT invalid cert.chain fail
anchor_itself root.pem root.pem - - $AT valid null null any
anchor_itself_for_signing root.pem root.pem - - $AT invalid cert.key_usage fail signing
time_stamping_purpose tsa.pem root.pem inter.pem CRLS $AT valid null null timestamping
time_stamping_without_eku leaf.pem root.pem inter.pem CRLS $AT invalid cert.key_usage fail timestamping
stale_crl leaf.pem root.pem inter.pem inter_crl_stale.pem 2040-01-01T00:00:00Z indeterminate cert.revocation indeterminate
crl_signed_by_other_key leaf.pem root.pem inter.pem decoy_crl.pem $AT indeterminate cert.revocation indeterminate
backtrack_same_name_issuers leaf.pem root.pem decoy.pem,inter.pem - $AT valid cert.revocation skip
issuer_loop loop_leaf.pem root.pem loopx_by_y.pem,loopy_by_x.pem - $AT indeterminate cert.chain indeterminate
EOF
    printf '\n]}\n'
} > "$OUT/cases.json"
