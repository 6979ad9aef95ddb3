#!/usr/bin/env bash
# The EM Service demo: installs what is missing, builds, makes a throw-away
# PKI and a signed PING1 document, runs one check cycle of emsd on the embedded
# SQLite store, and shows the result as an administrator sees it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_BUILD_DIR:-$root/build}
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"

demo="$build/demo"
rm -rf "$demo"
mkdir -p "$demo/feed"
step() { printf '\n== %s\n' "$*"; }

step "A throw-away publisher PKI (openssl)"
"$root/scripts/make-test-pki.sh" "$demo/pki" >/dev/null
openssl x509 -in "$demo/pki/signer.pem" -noout -subject -issuer

step "The publisher signs a PING1 document (emfeed sign)"
cat > "$demo/feed/ping1-unsigned.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<EOCS version="1.0.4">
  <Config id="PING1" desc="EEMS Heartbeat probe. Does not modify any exchange settings.">
    <ActionList>
      <Action type="DoNothing" scope="Server" desc="Ping mitigation action. Does not modify any exchange settings.">
        <Value>DoNothing</Value>
      </Action>
    </ActionList>
  </Config>
</EOCS>
XML
expires=$(date -u -d '+30 days' +%Y-%m-%dT%H:%M:%SZ)
"$build/tools/emfeed/emfeed" sign --key "$demo/pki/signer.key" --cert "$demo/pki/signer.pem" \
  --chain "$demo/pki/chain.pem" --sequence 1 --expires "$expires" \
  "$demo/feed/ping1-unsigned.xml" "$demo/feed/ping1.xml"
echo "signed: $demo/feed/ping1.xml (sequence 1, expires $expires)"

step "The server's configuration ($demo/emsd.conf)"
cat > "$demo/emsd.conf" <<CONF
[server]
name = "EX01"
product = "Exchange2019"
build = "15.2.1118.7"

[feed]
url = "file://$demo/feed/ping1.xml"

[trust]
anchors = ["pki/root.pem"]
issuer = "CN=EM Test Code Signing CA,O=EM Test"
eku = ["1.3.6.1.5.5.7.3.3"]
crl_files = ["pki/root.crl", "pki/ca.crl"]
revocation = "require"

[store]
path = "state.db"

[log]
dir = "logs"

[plugins]
dir = "$build/plugins"

[control]
socket = "run/EX01.sock"
CONF
cat "$demo/emsd.conf"

emctl() { "$build/tools/emctl/emctl" --config "$demo/emsd.conf" "$@"; }

step "The administrator checks the document offline (emctl verify)"
emctl verify "$demo/feed/ping1.xml"

step "One check cycle (emsd --once)"
"$build/tools/emsd/emsd" --config "$demo/emsd.conf" --once

step "The service log ($demo/logs/MitigationService.log)"
cat "$demo/logs/MitigationService.log"

step "emctl get-server"
emctl get-server

step "emctl get-server --property Name,MitigationsApplied"
emctl get-server --property Name,MitigationsApplied
