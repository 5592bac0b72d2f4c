#!/usr/bin/env bash
# Generates the SM2 key-file test vectors with OpenSSL 3.0 and Bouncy Castle (Java 17).
# Usage: gen.sh [out-dir]   (default: this directory). Every file holds the same key, the one in
# key.pem; the passwords are in README.md. Needs: openssl (3.x, legacy provider for -legacy),
# javac/java and Debian's libbcprov-java libbcpkix-java libbcutil-java.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=$(mkdir -p "${1:-$HERE}" && cd "${1:-$HERE}" && pwd)
PW=eseal-test
UPW='密码-pässwörd'
BCCP=/usr/share/java/bcprov.jar:/usr/share/java/bcpkix.jar:/usr/share/java/bcutil.jar
DISTID=distid:1234567812345678
cd "$OUT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# The key: PKCS#8 PEM and DER, plain.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out key.pem
openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der
# A second key, to check that a different key is told apart.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out other-key.pem

# PKCS#8 encrypted (PBES2 unless noted).
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -out pkcs8-default.pem          # AES-256-CBC, HMAC-SHA256
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v2 sm4-cbc -out pkcs8-sm4-sha256.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v2 sm4-cbc -v2prf hmacWithSHA1 -out pkcs8-sm4-sha1.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v2 aes-128-cbc -v2prf hmacWithSHA1 -out pkcs8-aes128-sha1.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v2 aes-256-cbc -v2prf hmacWithSHA256 -outform DER -out pkcs8-aes256-sha256.der
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v2 des3 -out pkcs8-des3-sha256.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v1 PBE-SHA1-3DES -out pkcs8-pbe-sha1-3des.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -v1 PBE-SHA1-RC2-40 -provider legacy -provider default -out pkcs8-pbe-sha1-rc2-40.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$UPW" -v2 sm4-cbc -out pkcs8-sm4-utf8pw.pem
openssl pkcs8 -topk8 -in key.pem -passout "pass:$PW" -scrypt -out pkcs8-scrypt.pem     # not supported: must say so

# SEC1 ECPrivateKey: with curve and public key, without public key, without curve (the inner
# key of the PKCS#8, cut out at its fixed offset 27).
openssl ec -in key.pem -out sec1.pem 2>/dev/null
openssl ec -in key.pem -outform DER -out sec1.der 2>/dev/null
openssl ec -in key.pem -no_public -out sec1-nopub.pem 2>/dev/null
openssl asn1parse -inform DER -in key.der -strparse 27 -noout -out sec1-noparams.der
# The label other tools write (OpenSSL 3.0 writes "SM2 PRIVATE KEY" for SM2).
sed 's/SM2 PRIVATE KEY/EC PRIVATE KEY/' sec1.pem > sec1-ec-label.pem
# Legacy encrypted PEM (Proc-Type/DEK-Info, EVP_BytesToKey-MD5).
openssl ec -in key.pem -aes256 -passout "pass:$PW" -out sec1-enc-aes256.pem 2>/dev/null
openssl ec -in key.pem -sm4-cbc -passout "pass:$PW" -out sec1-enc-sm4.pem 2>/dev/null
openssl ec -in key.pem -des3 -passout "pass:$PW" -out sec1-enc-des3.pem 2>/dev/null
# ecparam -genkey style: an EC PARAMETERS block before the key.
{ openssl ecparam -name SM2; cat sec1.pem; } > sec1-with-params-block.pem

# Certificates: a CA and a leaf for key.pem, signed SM3withSM2 with the default distinguishing ID.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:SM2 -out "$T/ca.key"
openssl req -new -x509 -key "$T/ca.key" -sm3 -sigopt "$DISTID" -subj "/CN=eseal OpenSSL test CA" \
    -days 3650 -out "$T/ca.pem"
openssl req -new -key key.pem -sm3 -sigopt "$DISTID" -subj "/CN=eseal OpenSSL test leaf" -out "$T/leaf.csr"
openssl x509 -req -in "$T/leaf.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -sm3 \
    -sigopt "$DISTID" -vfyopt "$DISTID" -days 3650 -out "$T/leaf.pem" 2>/dev/null
cp "$T/leaf.pem" leaf-cert.pem
cp "$T/ca.pem" ca-cert.pem

# PKCS#12 (the CA certificate first in the file, so leaf-first ordering is really tested).
P12="openssl pkcs12 -export -inkey key.pem -in $T/leaf.pem -certfile $T/ca.pem -name eseal"
$P12 -passout "pass:$PW" -out p12-default.p12                                   # PBES2 AES-256 + SHA-256 MAC
$P12 -passout "pass:$PW" -legacy -out p12-legacy.p12                            # 3DES key, RC2-40 certs, SHA-1 MAC
$P12 -passout "pass:$PW" -keypbe SM4-CBC -certpbe SM4-CBC -macalg SM3 -out p12-sm4-sm3mac.p12
$P12 -passout "pass:$PW" -keypbe NONE -certpbe NONE -out p12-plain.p12          # keyBag, MAC only
$P12 -passout "pass:$PW" -nomac -out p12-nomac.p12                              # no MAC: password checked by decryption
$P12 -passout "pass:$UPW" -out p12-utf8pw.p12
$P12 -passout "pass:" -out p12-emptypw.p12
# What `openssl pkcs12 -nodes` prints: Bag Attributes text, certificates and the key as PEM.
openssl pkcs12 -in p12-default.p12 -passin "pass:$PW" -nodes -out p12-dump.pem

# Bouncy Castle (Java): PKCS#12 keystore (BER) and an encrypted PKCS#8.
javac -d "$T" -cp "$BCCP" "$HERE/BcP12.java"
java -cp "$T:$BCCP" BcP12 key.der "$OUT" "$PW"
