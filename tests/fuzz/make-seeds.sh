#!/usr/bin/env bash
# Regenerates the fuzzers' fixed trust material and seed corpus with the
# openssl and xmlsec1 command-line tools. Run by hand; the output is committed
# so every fuzz run starts from the same seeds. The keys are thrown away: the
# root certificate here is trusted by the fuzz targets and nothing else.
#
#   tests/fuzz/make-seeds.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cat > ca.cnf <<'CNF'
[ca]
default_ca = this
[this]
database = index.txt
new_certs_dir = .
serial = serial
crlnumber = crlnumber
default_md = sha256
policy = any
copy_extensions = none
[any]
commonName = supplied
organizationName = optional
[root_ext]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[signer_ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = codeSigning
authorityKeyIdentifier = keyid:always
CNF
: > index.txt
echo 1000 > serial
echo 01 > crlnumber

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out root.key 2>/dev/null
openssl req -new -key root.key -subj "/O=EM Fuzz/CN=EM Fuzz Root" -out root.csr
openssl ca -batch -config ca.cnf -selfsign -keyfile root.key -in root.csr -out root.pem \
  -startdate 20200101000000Z -enddate 20991231000000Z -extensions root_ext -notext 2>/dev/null
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out signer.key 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec-signer.key 2>/dev/null
for s in signer ec-signer; do
  openssl req -new -key $s.key -subj "/O=EM Fuzz/CN=EM Fuzz $s" -out $s.csr
  openssl ca -batch -config ca.cnf -cert root.pem -keyfile root.key -in $s.csr -out $s.pem \
    -startdate 20200101000000Z -enddate 20991231000000Z -extensions signer_ext -notext 2>/dev/null
done
openssl ca -batch -config ca.cnf -gencrl -cert root.pem -keyfile root.key -out root.crl \
  -crl_lastupdate 20200101000000Z -crl_nextupdate 20991231000000Z 2>/dev/null

cp root.pem root.crl "$here/data/"

# The parser's seeds: unsigned documents, good and with every kind of bad Config.
p="$here/seeds/parser"
cat > "$p/ping1.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4" sequence="42" expires="2031-12-31T00:00:00Z">
  <Config id="PING1" desc="EEMS Heartbeat probe.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping."><Value>DoNothing</Value></Action>
    </ActionList>
  </Config>
</EOCS>
XML
cat > "$p/m1.xml" <<'XML'
<EOCS version="1.0.4" sequence="7"><Config id="M1" desc="URL Rewrite"><Applicability><Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/><Range product="Exchange2016" min="15.1"/></Applicability><ActionList><Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block"><Value><rule name="EEMS M1.1" stopProcessing="true"><match url=".*"/><conditions><add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)"/></conditions><action type="AbortRequest"/></rule></Value></Action><Action type="DisableService" scope="Server"><Value><Service name="MSExchangeUM" mask="false"/></Value></Action><Action type="DisableAppPool"><Value><AppPool name="MSExchangeECPAppPool"/></Value></Action></ActionList><Rollback>Remove the rule.</Rollback></Config></EOCS>
XML
cat > "$p/invalid-configs.xml" <<'XML'
<EOCS version="1.0.4"><Config id="bad id" desc="x"><ActionList><Action type="DoNothing"/></ActionList></Config><Config id="A" x="1"><ActionList><Action type="DoNothing"/></ActionList></Config><Config id="B"><Applicability><Range product="Exchange2019" min="15.2" max="15.1"/></Applicability><ActionList><Action type="DoNothing"/></ActionList></Config><Config id="C"><ActionList><Action scope="Server"/></ActionList></Config><Config id="D"><ActionList/></Config><Config id="D"><ActionList><Action type="DoNothing" scope="Planet"/></ActionList></Config><Config id="E"><Applicability><Range min="1.2.3.4.5"/></Applicability></Config></EOCS>
XML
cat > "$p/entities.xml" <<'XML'
<EOCS version="&amp;&#x41;&#65;"><Config id="E1" desc="&lt;&gt;&quot;&apos;"><ActionList><Action type="DoNothing"><Value><![CDATA[<x>]]><!-- c --><?pi x?>&#x1F600;</Value></Action></ActionList></Config></EOCS>
XML
printf '<EOCS sequence="18446744073709551616" expires="yesterday"/>' > "$p/bad-root.xml"

# The verifier's seeds: signed documents (xmlsec1) and a few near misses.
v="$here/seeds/verifier"
sig() {  # method
  cat <<XML
<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="$1"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/><Transform Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature>
XML
}
for doc in ping1 m1; do
  for s in signer ec-signer; do
    method=http://www.w3.org/2001/04/xmldsig-more#rsa-sha256
    [ $s = ec-signer ] && method=http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256
    sed "s|</EOCS>|$(sig $method | sed 's/[&|]/\\&/g')</EOCS>|" "$p/$doc.xml" > template.xml
    xmlsec1 --sign --privkey-pem $s.key,$s.pem --output "$v/$doc-$s.xml" template.xml
  done
done
sed 's|<EOCS|<!DOCTYPE EOCS [<!ENTITY e "x">]><EOCS|' "$v/ping1-signer.xml" > "$v/dtd.xml"
sed 's|URI=""|URI="#x"|' "$v/m1-signer.xml" > "$v/reference-uri.xml"
sed 's|xmlenc#sha256|xmldsig#sha1|' "$v/m1-ec-signer.xml" > "$v/sha1.xml"

# Issue 12: the shapes of its review, small, derived from the signed seeds
# (canonicalisation and attribute bombs, NUL after the root, attributes in a
# namespace on ds: elements, PEM text as an X509Certificate).
derive_issue_12_seeds() {  # verifier-seeds-folder limits-seeds-folder
  local v=$1 l=$2 decls="" elements="" attrs=""
  for i in $(seq 1 200); do decls="$decls xmlns:a$i=\"urn:a$i\""; done
  for i in $(seq 1 50); do elements="$elements<e/>"; done
  for i in $(seq 1 40); do attrs="$attrs a$i=\"\""; done
  sed "s|<EOCS |<EOCS$decls |; s|</Config>|$elements</Config>|" "$v/ping1-signer.xml" > "$v/c14n-bomb.xml"
  sed "s|</KeyInfo>|</KeyInfo><Object$decls>$elements</Object>|" "$v/ping1-signer.xml" \
    > "$v/c14n-bomb-in-object.xml"
  printf '<EOCS%s/>' "$attrs" > "$v/attribute-bomb.xml"
  { cat "$v/ping1-signer.xml"; printf '\0<Config id="EVIL"/>'; } > "$v/nul-after-root.xml"
  sed 's|<Reference URI=""|<Reference x:URI="#evil" URI=""|' "$v/m1-signer.xml" > "$v/x-uri.xml"
  sed 's|<Reference URI=""|<Reference xml:space="preserve" URI=""|' "$v/m1-signer.xml" \
    > "$v/xml-space.xml"
  sed 's|</KeyInfo>|</KeyInfo><Object><CounterSignature xmlns="http://schemas.microsoft.com/xmldsig/timestamp/2003">MIIB</CounterSignature></Object>|' \
    "$v/ping1-signer.xml" > "$v/countersignature.xml"
  local der pem
  der=$(perl -0ne 'print $1 if /<X509Certificate>([^<]*)</' "$v/ping1-signer.xml" | tr -d '\n')
  pem=$(printf '%s' "$der" | base64 -d | openssl x509 -inform DER | base64 -w0)
  perl -0pe "s|<X509Certificate>[^<]*<|<X509Certificate>$pem<|" "$v/ping1-signer.xml" \
    > "$v/pem-in-x509certificate.xml"
  # The limit pass's own seeds: what it must tokenise as libxml2 does.
  cp "$v/ping1-signer.xml" "$v/countersignature.xml" "$v/x-uri.xml" "$l/"
  printf '\xEF\xBB\xBF<?xml version="1.0" encoding="utf-8"?>\n<!-- c --><?pi x?>\n<EOCS a=">" b="'"'"'"><![CDATA[<x>]]>&amp;&#x41;<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:Object><CounterSignature xmlns="http://schemas.microsoft.com/xmldsig/timestamp/2003"/></ds:Object></ds:Signature></EOCS>\n' \
    > "$l/tokens.xml"
  printf '<EOCS a="1" b="2" c="3" d="4"><a><b><c><d><e><f><g>text</g></f></e></d></c></b></a></EOCS>' \
    > "$l/at-limits.xml"
  printf '<EOCS xml:lang="en"><x:y/><Signature xmlns="urn:other"/></EOCS>' > "$l/refused.xml"
}
mkdir -p "$here/seeds/limits"
derive_issue_12_seeds "$v" "$here/seeds/limits"
echo "fuzz seeds written to $here"
