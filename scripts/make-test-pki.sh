#!/usr/bin/env bash
# Makes a throw-away PKI with the openssl command-line tool, for the demo and
# the tests: nothing here is ever trusted outside the folder it is written to.
#
#   make-test-pki.sh OUTDIR
#
# OUTDIR/
#   root.pem root.key               "EM Test Root CA" (self-signed, CA)
#   ca.pem ca.key                   "EM Test Code Signing CA", issued by root (CA)
#   signer.pem signer.key           "EM Test Publisher", issued by ca, EKU codeSigning
#   chain.pem                       ca.pem (the intermediate to embed when signing)
#   ec-signer.pem ec-signer.key     like signer, with an EC P-256 key
#   rogue-root.pem rogue-root.key   "EM Rogue Root CA", trusted by nobody
#   rogue-signer.pem rogue-signer.key  issued by rogue-root, EKU codeSigning
#   root.crl ca.crl                 empty CRLs of root and ca (nothing revoked)
set -euo pipefail
out=${1:?usage: make-test-pki.sh OUTDIR}
mkdir -p "$out"
cd "$out"
days=${EM_PKI_DAYS:-3650}

cat > ext.cnf <<'CNF'
[ca_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[signer_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[crl_ext]
authorityKeyIdentifier = keyid:always
CNF

rsa_key() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null; }
ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

self_signed() {  # name key subject
  openssl req -new -x509 -key "$2" -out "$1.pem" -subj "$3" -days "$days" -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
}

issue() {  # name key subject issuer extensions
  openssl req -new -key "$2" -subj "$3" -out "$1.csr"
  openssl x509 -req -in "$1.csr" -CA "$4.pem" -CAkey "$4.key" -CAcreateserial \
    -out "$1.pem" -days "$days" -sha256 -extfile ext.cnf -extensions "$5" 2>/dev/null
  rm -f "$1.csr"
}

empty_crl() {  # ca
  mkdir -p "crl-$1"
  : > "crl-$1/index.txt"
  echo 01 > "crl-$1/crlnumber"
  cat > "crl-$1/ca.cnf" <<CNF
[ca]
default_ca = this
[this]
database = crl-$1/index.txt
crlnumber = crl-$1/crlnumber
default_md = sha256
default_crl_days = 30
crl_extensions = crl_ext
[crl_ext]
authorityKeyIdentifier = keyid:always
CNF
  openssl ca -gencrl -config "crl-$1/ca.cnf" -keyfile "$1.key" -cert "$1.pem" -out "$1.crl" 2>/dev/null
}

rsa_key root.key
self_signed root root.key "/O=EM Test/CN=EM Test Root CA"
rsa_key ca.key
issue ca ca.key "/O=EM Test/CN=EM Test Code Signing CA" root ca_ext
rsa_key signer.key
issue signer signer.key "/O=EM Test/CN=EM Test Publisher" ca signer_ext
ec_key ec-signer.key
issue ec-signer ec-signer.key "/O=EM Test/CN=EM Test EC Publisher" ca signer_ext
cp ca.pem chain.pem

rsa_key rogue-root.key
self_signed rogue-root rogue-root.key "/O=EM Rogue/CN=EM Rogue Root CA"
rsa_key rogue-signer.key
issue rogue-signer rogue-signer.key "/O=EM Rogue/CN=EM Rogue Publisher" rogue-root signer_ext

empty_crl root
empty_crl ca
echo "test PKI written to $out"
