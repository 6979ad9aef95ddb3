#!/usr/bin/env bash
# The EM Service demo: installs what is missing, builds the programs and
# plugins it runs (not the tests), makes a throw-away PKI and a signed PING1
# document, runs one check cycle of emsd on the embedded SQLite store, and
# shows the result as an administrator sees it.
#
# Preparation shows one line per stage; what the tools print goes to
# $build/demo-build.log, named (with its end) when a stage fails. To add a
# stage, add a `stage "what it does" command…` line below.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_BUILD_DIR:-$root/build}
mkdir -p "$build"
log="$build/demo-build.log"
: >"$log"

# The first build is about 130 steps: 9 minutes of CPU with nothing cached
# (measured for issue 17), so about 5 minutes on an idle 2-core machine;
# seconds once ccache holds the objects or the programs are built.
echo "EM Service demo. The first build takes about 5 minutes on 2 idle cores (seconds"
echo "when already built or cached); the build's output goes to $log."

# One line per stage: "[2] Building … 57/118" counting up on a terminal,
# then "done in 95 s"; Ninja's and the tools' own output goes to the log.
progress() {
  local prefix=$1 line
  while IFS= read -r line; do
    printf '%s\n' "$line" >>"$log"
    if [ -t 1 ] && [[ $line =~ ^\[([0-9]+)/([0-9]+)\] ]]; then
      printf '\r%s %s/%s' "$prefix" "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
    fi
  done
  return 0
}

stages=0
stage() {
  local title=$1 start=$SECONDS status=0
  shift
  stages=$((stages + 1))
  local prefix="[$stages] $title …"
  printf '%s' "$prefix"
  printf '\n== [%d] %s: %s\n' "$stages" "$title" "$*" >>"$log"
  "$@" 2>&1 | progress "$prefix" || status=$?
  [ -t 1 ] && printf '\r\033[K%s' "$prefix"
  if [ "$status" -ne 0 ]; then
    printf ' FAILED (exit %d). The end of the log:\n' "$status"
    tail -n 25 "$log"
    printf 'The whole log: %s\n' "$log"
    exit "$status"
  fi
  printf ' done in %d s\n' $((SECONDS - start))
}

stage "Debian packages (scripts/install-deps.sh)" "$root/scripts/install-deps.sh"
stage "Building emsd, emctl, emfeed and the plugins (CMake, Ninja, ccache)" \
  env EM_BUILD_TARGETS=em_programs "$root/scripts/build.sh"

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
enable = ["ping"]

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

# ---------------------------------------------------------------------------
# The real job: a mitigation that stops an exploit at the nginx in front of
# Exchange (README: "Protecting Exchange behind nginx").
free_port() {
  local p
  for p in $(seq "$1" $(($1 + 100))); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "demo: no free port from $1" >&2; exit 1
}
front=$(free_port 18443)
back=$(free_port $((front + 1)))
ngx="$demo/nginx"
mkdir -p "$ngx/temp" "$demo/emservice-exchange"
stop_nginx() { [ -f "$ngx/nginx.pid" ] && nginx -p "$ngx" -c "$ngx/nginx.conf" -s quit 2>/dev/null || true; }
trap stop_nginx EXIT

step "Exchange behind a local nginx: a stand-in backend on :$back, nginx in front on :$front"
cat > "$ngx/nginx.conf" <<CONF
load_module /usr/lib/nginx/modules/ngx_http_js_module.so;
pid $ngx/nginx.pid;
error_log $ngx/error.log;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path $ngx/temp/body; proxy_temp_path $ngx/temp/proxy;
  fastcgi_temp_path $ngx/temp/fastcgi; uwsgi_temp_path $ngx/temp/uwsgi; scgi_temp_path $ngx/temp/scgi;
  server {   # stands in for Exchange
    listen 127.0.0.1:$back;
    location / { return 200 "Exchange (stand-in) answered \$request_method \$request_uri\n"; }
  }
  server {   # the reverse proxy that publishes it
    listen 127.0.0.1:$front;
    include $demo/emservice-exchange/*.conf;   # the folder the nginx plugin writes into
    location / { proxy_pass http://127.0.0.1:$back; }
  }
}
CONF
sed -n '/the reverse proxy/,/^  }/p' "$ngx/nginx.conf"
nginx -p "$ngx" -c "$ngx/nginx.conf"
exploit="http://127.0.0.1:$front/autodiscover/autodiscover.json?@evil.com/PowerShell/?X-Rps-CAT=x"
request() {
  echo "\$ curl '$1'"
  curl -sS --path-as-is "$1" || echo "(refused: nginx closed the connection without a response)"
}

step "ProxyNotShell (CVE-2022-41040) reaches the backend"
request "$exploit"

step "The publisher signs PING1 and M1, the real ProxyNotShell mitigation (sequence 2)"
# PING1's document with M1 added before its end.
{ sed '/<\/EOCS>/d' "$demo/feed/ping1-unsigned.xml"; cat <<'XML'; } > "$demo/feed/m1-unsigned.xml"
  <Config id="M1" desc="Mitigation of CVE-2022-41040 via URL Rewrite configuration">
    <Applicability>
      <Range product="Exchange2019" min="15.2.221.12" max="15.2.986.30"/>
      <Range product="Exchange2019" min="15.2.1118.0" max="15.2.1118.15"/>
    </Applicability>
    <ActionList>
      <Action type="UrlRewrite" scope="Site" target="Default Web Site" desc="Block autodiscover PowerShell requests">
        <Value>
          <rule name="EEMS M1.1 PowerShell - inbound" stopProcessing="true">
            <match url=".*"/>
            <conditions>
              <add input="{UrlDecode:{REQUEST_URI}}" pattern="(?=.*autodiscover)(?=.*powershell)"/>
            </conditions>
            <action type="AbortRequest"/>
          </rule>
        </Value>
      </Action>
    </ActionList>
    <Rollback>Remove the rule "EEMS M1.1 PowerShell - inbound" from Default Web Site.</Rollback>
  </Config>
</EOCS>
XML
"$build/tools/emfeed/emfeed" sign --key "$demo/pki/signer.key" --cert "$demo/pki/signer.pem" \
  --chain "$demo/pki/chain.pem" --sequence 2 --expires "$expires" \
  "$demo/feed/m1-unsigned.xml" "$demo/feed/m1.xml"

step "The server enforces UrlRewrite through nginx ([plugins] enable, [plugins.nginx])"
sed -i -e "s#^url = .*#url = \"file://$demo/feed/m1.xml\"#" \
  -e 's#^enable = .*#enable = ["ping", "nginx"]#' "$demo/emsd.conf"
cat >> "$demo/emsd.conf" <<CONF

[plugins.nginx]
conf = "$ngx/nginx.conf"
sites = { "Default Web Site" = "$demo/emservice-exchange" }
reload_command = ["/usr/sbin/nginx", "-p", "$ngx", "-c", "$ngx/nginx.conf", "-s", "reload"]
CONF
grep -E '^(url|enable) ' "$demo/emsd.conf"
sed -n '/^\[plugins.nginx\]/,$p' "$demo/emsd.conf"

step "Before applying it: what would M1 do to that request? (emctl test-request --document)"
emctl test-request "$exploit" --document "$demo/feed/m1.xml" || true

step "One check cycle (emsd --once): M1 is verified and applied through the nginx plugin"
"$build/tools/emsd/emsd" --config "$demo/emsd.conf" --once

step "What the plugin wrote into nginx's folder (then nginx -t, then a reload)"
ls -1 "$demo/emservice-exchange"
cat "$demo/emservice-exchange/emservice-M1.1.conf"
sleep 1   # the reload is asynchronous: nginx's new workers take over

step "The same request is now refused; ordinary traffic still reaches the backend"
request "$exploit"
request "http://127.0.0.1:$front/autodiscover/autodiscover.json?@evil.com/%2570owershell"
request "http://127.0.0.1:$front/owa/"

step "Why: emctl test-request"
emctl test-request 'https://mail.contoso.com/autodiscover/autodiscover.json?@x/PowerShell' --expect blocked
emctl test-request 'https://mail.contoso.com/owa/' || true

step "emctl get-mitigations"
emctl get-mitigations
