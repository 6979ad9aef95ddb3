#!/usr/bin/env bash
# Prints EM Service's figures on this machine (docs/PERFORMANCE.md shows a run):
#   1. publish -> MitigationsApplied shows it, with [schedule] long_poll = true
#      (median and p90 of EM_MEASURE_ROUNDS rounds, 20 by default);
#   2. an idle emsd and its plugin worker over EM_MEASURE_IDLE seconds (60):
#      CPU ticks, wake-ups (context switches), threads, RSS;
#   3. RSS over EM_MEASURE_CYCLES check cycles (1000);
#   4. emfeed serve beside nginx, both on one worker thread, serving the same
#      signed file over HTTPS with an ETag, in the same run: 304 throughput
#      (wrk, EM_MEASURE_WRK_ROUNDS rounds, 3, of EM_MEASURE_WRK seconds each,
#      10), and EM_MEASURE_CLIENTS (10000) connections at once, given up to
#      EM_MEASURE_CONNECT seconds (180) to connect: long-poll requests held by
#      emfeed, 304s asked of nginx.
#
#   scripts/measure.sh [propagation] [idle] [cycles] [serve]   (default: all)
#
# Uses the build in build/ (EM_BUILD_DIR), which must exist (scripts/build.sh);
# everything else (PKI, documents, configuration, store, logs, nginx's prefix)
# goes to a temporary folder removed at exit. Needs openssl, curl, nginx and wrk
# (scripts/install-deps.sh). Run it on a quiet machine: it says the load.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_BUILD_DIR:-$root/build}
rounds=${EM_MEASURE_ROUNDS:-20}
idle_seconds=${EM_MEASURE_IDLE:-60}
cycles=${EM_MEASURE_CYCLES:-1000}
wrk_seconds=${EM_MEASURE_WRK:-10}
clients=${EM_MEASURE_CLIENTS:-10000}
connect_limit=${EM_MEASURE_CONNECT:-180}
wrk_rounds=${EM_MEASURE_WRK_ROUNDS:-3}
sections=${*:-propagation idle cycles serve}

emsd=$build/tools/emsd/emsd
emctl=$build/tools/emctl/emctl
emfeed=$build/tools/emfeed/emfeed
for p in "$emsd" "$emctl" "$emfeed"; do
  [ -x "$p" ] || { echo "measure: $p is not built (scripts/build.sh)" >&2; exit 1; }
done
for t in openssl curl nginx wrk; do
  command -v "$t" >/dev/null || { echo "measure: $t is missing (scripts/install-deps.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/em-measure-XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# A TCP port nothing listens on at 127.0.0.1 (bash's /dev/tcp tries it).
free_port() {
  local p
  while :; do
    p=$(shuf -i 20000-60000 -n 1)
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
threads() { awk '/^Threads:/{print $2}' "/proc/$1/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Voluntary and involuntary context switches of every thread: each is a wake-up.
switches() { cat /proc/"$1"/task/*/status | awk '/ctxt_switches/{n += $2} END{print n}'; }
smaps() { awk '/^(Pss|Anonymous|Private_Clean|Private_Dirty):/{v[$1]+=$2} END{printf "PSS %d kB, anonymous %d kB, private %d kB", v["Pss:"], v["Anonymous:"], v["Private_Clean:"]+v["Private_Dirty:"]}' "/proc/$1/smaps_rollup"; }
# median and p90 of the numbers on stdin
stats() { sort -n | awk '{a[NR]=$1} END{m=a[int((NR+1)/2)]; p=a[int(NR*0.9+0.999)]; printf "median %d ms, p90 %d ms, min %d ms, max %d ms (n=%d)\n", m, p, a[1], a[NR], NR}'; }

section "Machine"
say "$(uname -srm); $(nproc) cores: $(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)"
say "memory: $(awk '/MemTotal/{printf "%d MB", $2/1024}' /proc/meminfo); load (1, 5, 15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
say "$(nginx -v 2>&1); $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2); $(openssl version)"

# -- material: signing PKI, TLS certificate for 127.0.0.1, documents ---------
"$root/scripts/make-test-pki.sh" "$work/pki" >/dev/null 2>&1
tls=$work/tls
mkdir -p "$tls"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=EM Measure TLS CA" -keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=127.0.0.1" \
  -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n' >"$tls/ext.cnf"
openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" \
  -CAcreateserial -days 2 -extfile "$tls/ext.cnf" -out "$tls/server.pem" 2>/dev/null

# document N: PING1 and probes P1..PN (each one DoNothing action), sequence N+1
document() {
  local n=$1 i
  printf '<?xml version="1.0" encoding="utf-8"?>\n<EOCS version="1.0.4">\n'
  for i in $(seq 0 "$n"); do
    local id=PING1
    [ "$i" -gt 0 ] && id=P$i
    printf '  <Config id="%s" desc="Probe %s">\n    <ActionList>\n' "$id" "$i"
    printf '      <Action type="DoNothing" scope="Server" desc="No change"><Value>DoNothing</Value></Action>\n'
    printf '    </ActionList>\n  </Config>\n'
  done
  printf '</EOCS>\n'
}
sign() {  # sign N OUT
  document "$1" >"$work/doc.xml"
  "$emfeed" sign --key "$work/pki/signer.key" --cert "$work/pki/signer.pem" \
    --chain "$work/pki/chain.pem" --sequence $(( $1 + 1 )) \
    --expires "$(date -u -d '+2 days' +%Y-%m-%dT%H:%M:%SZ)" "$work/doc.xml" "$2" >/dev/null
}
mkdir -p "$work/feed" "$work/signed"
sign 0 "$work/feed/feed.xml"

feed_port=$(free_port)
"$emfeed" serve --listen "127.0.0.1:$feed_port" --cert "$tls/server.pem" --key "$tls/server.key" \
  --document "$work/feed/feed.xml" >"$work/emfeed.log" 2>&1 &
pids+=($!)
feed_pid=$!
for _ in $(seq 100); do grep -q "Listening on" "$work/emfeed.log" && break; sleep 0.05; done
feed_url="https://127.0.0.1:$feed_port/getexchangemitigations"

cat >"$work/emsd.conf" <<CONF
[server]
name = "EX01"
product = "Exchange2019"
build = "15.2.1118.7"
[feed]
url = "$feed_url"
ca_file = "$tls/ca.pem"
[schedule]
initial_delay = "1h"
interval = "1h"
long_poll = true
[trust]
anchors = ["$work/pki/root.pem"]
eku = ["1.3.6.1.5.5.7.3.3"]
crl_files = ["$work/pki/root.crl", "$work/pki/ca.crl"]
revocation = "require"
[store]
path = "$work/state.db"
[log]
dir = "$work/logs"
[plugins]
dir = "$build/plugins"
enable = ["ping"]
[control]
socket = "$work/emsd.sock"
CONF
ctl() { "$emctl" --config "$work/emsd.conf" "$@"; }
"$emsd" --config "$work/emsd.conf" --once >/dev/null  # document 0 accepted: the long-poll names it
"$emsd" --config "$work/emsd.conf" >"$work/emsd.out" 2>&1 &
pids+=($!)
emsd_pid=$!
for _ in $(seq 200); do [ -S "$work/emsd.sock" ] && break; sleep 0.05; done
sleep 1
worker_pid=$(pgrep -P "$emsd_pid" | head -1)

applied() { ctl get-server EX01 --json | grep -q "\"$1\""; }

if [[ " $sections " == *" propagation "* ]]; then
  section "Publish -> applied (long_poll = true, schedule 1h; $rounds rounds)"
  for n in $(seq "$rounds"); do sign "$n" "$work/signed/$n.xml"; done
  : >"$work/latency"
  : >"$work/tstart"
  for n in $(seq "$rounds"); do
    start=$(now_ms)
    echo $(( start % 86400000 )) >>"$work/tstart"
    mv "$work/signed/$n.xml" "$work/feed/feed.xml"  # the publisher's atomic replace
    until applied "P$n.1"; do
      [ $(( $(now_ms) - start )) -gt 30000 ] && { say "round $n: not applied within 30 s"; break; }
      sleep 0.005
    done
    echo $(( $(now_ms) - start )) >>"$work/latency"
    sleep 1.2  # publishes a second or more apart: quicker ones in a row are backed off
  done
  say "publish -> emctl get-server shows it: $(stats <"$work/latency")"
  say "(each figure includes one emctl get-server, about $( { s=$(now_ms); ctl get-server EX01 --json >/dev/null; echo $(( $(now_ms) - s )); } ) ms here)"
  log=$work/logs/MitigationService.log
  say "cycles by long-poll: $(grep -c 'by long-poll' "$log"); scheduled fetches: $(grep -c 'Fetching mitigations from' "$log") (the --once)"
  # Where the time goes, from both logs' millisecond timestamps (one line of
  # each kind per round, in order): the feed notices the new file and answers
  # the held request; emsd has it; the signature, chain and CRLs are checked;
  # the policy has applied it through the plugin worker and written the store.
  ms_of() { sed -E 's/^[0-9-]+T([0-9]+):([0-9]+):([0-9.]+)Z.*/\1 \2 \3/' | awk '{printf "%d\n", ($1*3600 + $2*60 + $3) * 1000}'; }
  grep ' document changed' "$work/emfeed.log" | tail -n "$rounds" | ms_of >"$work/t0"
  grep 'The feed has a new document' "$log" | ms_of >"$work/t1"
  grep 'Verified the mitigation document' "$log" | tail -n "$rounds" | ms_of >"$work/t2"
  grep 'EventId=1006' "$log" | tail -n "$rounds" | ms_of >"$work/t3"
  step() { paste "$1" "$2" | awk '{print $2 - $1}' | stats; }
  say "  file replaced -> feed answers the held request: $(step "$work/tstart" "$work/t0")"
  say "  feed answers -> emsd has the document: $(step "$work/t0" "$work/t1")"
  say "  emsd has it -> verified:                $(step "$work/t1" "$work/t2")"
  say "  verified -> applied and recorded:       $(step "$work/t2" "$work/t3")"
fi

if [[ " $sections " == *" idle "* ]]; then
  section "Idle for $idle_seconds s (a long-poll held open, next check in 1h)"
  sleep 2
  t0=$(ticks "$emsd_pid"); w0=$(ticks "$worker_pid"); c0=$(switches "$emsd_pid"); cw0=$(switches "$worker_pid")
  sleep "$idle_seconds"
  t1=$(ticks "$emsd_pid"); w1=$(ticks "$worker_pid"); c1=$(switches "$emsd_pid"); cw1=$(switches "$worker_pid")
  say "emsd:   $((t1 - t0)) CPU ticks, $((c1 - c0)) wake-ups, $(threads "$emsd_pid") threads ($(cat /proc/"$emsd_pid"/task/*/comm | sort | uniq -c | awk '{printf "%s%s x%d", (NR>1?", ":""), $2, $1}')), RSS $(rss_kb "$emsd_pid") kB ($(smaps "$emsd_pid"))"
  say "worker: $((w1 - w0)) CPU ticks, $((cw1 - cw0)) wake-ups, $(threads "$worker_pid") threads, RSS $(rss_kb "$worker_pid") kB ($(smaps "$worker_pid"))"
fi

if [[ " $sections " == *" cycles "* ]]; then
  section "RSS over $cycles check cycles (emctl check-now: fetch (304), verify, decide, record)"
  step=$(( cycles / 10 ))
  [ "$step" -lt 1 ] && step=1
  line="RSS kB:"
  start=$(now_ms)
  for i in $(seq "$cycles"); do
    ctl check-now >/dev/null
    if [ $(( i % step )) -eq 0 ] || [ "$i" -eq 1 ]; then line="$line $i:$(rss_kb "$emsd_pid")"; fi
  done
  say "$line"
  say "worker RSS $(rss_kb "$worker_pid") kB; $(( ($(now_ms) - start) / cycles )) ms per check-now (emctl included)"
fi

if [[ " $sections " == *" serve "* ]]; then
  section "emfeed serve beside nginx: one worker thread each, HTTPS, the same file"
  kill "$emsd_pid" 2>/dev/null || true
  wait "$emsd_pid" 2>/dev/null || true
  ngx=$work/nginx
  mkdir -p "$ngx/tmp"
  nginx_port=$(free_port)
  cat >"$ngx/nginx.conf" <<CONF
daemon off;
master_process off;
worker_processes 1;
worker_rlimit_nofile 20000;
error_log $ngx/error.log;
pid $ngx/nginx.pid;
events { worker_connections 16384; }
http {
  access_log $ngx/access.log;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 300s;
  server {
    listen 127.0.0.1:$nginx_port ssl;
    ssl_certificate $tls/server.pem;
    ssl_certificate_key $tls/server.key;
    location = /getexchangemitigations {
      alias $work/feed/feed.xml;
      default_type application/xml;
    }
  }
}
CONF
  ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  nginx -p "$ngx" -e "$ngx/error.log" -c "$ngx/nginx.conf" &
  pids+=($!)
  nginx_pid=$!
  # emfeed again, with the same open files limit, its log kept as nginx's is
  kill "$feed_pid" 2>/dev/null || true
  wait "$feed_pid" 2>/dev/null || true
  "$emfeed" serve --listen "127.0.0.1:$feed_port" --cert "$tls/server.pem" --key "$tls/server.key" \
    --document "$work/feed/feed.xml" --max-connections 16384 >"$work/emfeed.log" 2>&1 &
  pids+=($!)
  feed_pid=$!
  sleep 1
  etag_of() { curl -s -o /dev/null -D - --cacert "$tls/ca.pem" "$1" | awk -F': ' 'tolower($1)=="etag"{print $2}' | tr -d '\r'; }
  feed_etag=$(etag_of "$feed_url")
  nginx_url="https://127.0.0.1:$nginx_port/getexchangemitigations"
  nginx_etag=$(etag_of "$nginx_url")
  say "document $(stat -c %s "$work/feed/feed.xml") bytes; ETags: emfeed $feed_etag, nginx $nginx_etag"
  status_of() { curl -s -o /dev/null -w '%{http_code}' --cacert "$tls/ca.pem" -H "If-None-Match: $2" "$1"; }
  say "If-None-Match answered: emfeed $(status_of "$feed_url" "$feed_etag"), nginx $(status_of "$nginx_url" "$nginx_etag")"
  rps() { awk '/Requests\/sec/{print $2}'; }
  # Requests per second, and the server's CPU time per request (a figure the
  # machine's other load disturbs less than the rate).
  bench304() {  # PID URL ETAG
    local c0 c1 out n
    c0=$(ticks "$1")
    out=$(wrk -t1 -c50 -d"${wrk_seconds}s" -H "If-None-Match: $3" "$2")
    c1=$(ticks "$1")
    n=$(awk '/requests in/{print $1}' <<<"$out")
    printf '%s/s (%d us CPU each)' "$(rps <<<"$out")" $(( (c1 - c0) * 10000 / (n > 0 ? n : 1) ))
  }
  for round in $(seq "$wrk_rounds"); do
    say "304s, 50 keep-alive connections, round $round: emfeed $(bench304 "$feed_pid" "$feed_url" "$feed_etag"), nginx $(bench304 "$nginx_pid" "$nginx_url" "$nginx_etag")"
  done
  say "RSS after the 304 runs: emfeed $(rss_kb "$feed_pid") kB, nginx $(rss_kb "$nginx_pid") kB"

  # $clients clients at once, given up to $connect_limit s to connect (the
  # kernel's listen backlog and the TLS handshakes take a while), then a few
  # seconds more: long-polls held by emfeed, 304s asked of nginx (which does
  # not long-poll). Connections are counted from the server's open
  # descriptors; emfeed is done when it is also quiet (every handshake made
  # and request read, nothing left to do but wait), and its held requests
  # are counted from its log as they leave when wrk stops.
  fds() { ls /proc/"$1"/fd | wc -l; }
  crowd() {  # PID hold|busy URL HEADER...
    local pid=$1 mode=$2 url=$3 base_rss base_fd peak=0 open=0 most=0 r w t start c0 c1 quiet
    shift 3
    base_rss=$(rss_kb "$pid"); base_fd=$(fds "$pid"); start=$(now_ms)
    local args=()
    for h in "$@"; do args+=(-H "$h"); done
    wrk -t2 -c"$clients" -d"$(( connect_limit + 10 ))s" --timeout 300s "${args[@]}" "$url" \
      >"$work/wrk-crowd.txt" 2>&1 &
    w=$!
    pids+=($w)
    sample() {
      open=$(( $(fds "$pid") - base_fd )); [ "$open" -gt "$most" ] && most=$open
      r=$(rss_kb "$pid"); [ "$r" -gt "$peak" ] && peak=$r
    }
    c1=$(ticks "$pid")
    for t in $(seq "$connect_limit"); do
      c0=$c1
      sleep 1
      sample
      c1=$(ticks "$pid")
      quiet=1; [ "$mode" = hold ] && [ "$c1" -ne "$c0" ] && quiet=0
      [ "$open" -ge "$clients" ] && [ "$quiet" = 1 ] && break
    done
    local connected=$(( ($(now_ms) - start) / 1000 ))
    for t in $(seq $(( wrk_seconds < 3 ? wrk_seconds : 3 ))); do sleep 1; sample; done
    local left0
    left0=$(grep -c 'left after a wait' "$work/emfeed.log" || true)
    kill "$w" 2>/dev/null || true
    wait "$w" 2>/dev/null || true
    local counted=$most what="connections open at once"
    if [ "$mode" = hold ]; then
      local n=-1 m=0
      while [ "$m" -ne "$n" ]; do  # the log is written in bursts: until it stops growing
        n=$m; sleep 1
        m=$(( $(grep -c 'left after a wait' "$work/emfeed.log" || true) - left0 ))
      done
      counted=$m what="requests held at once ($most connections)"
    fi
    printf '%d %s after %d s, RSS %d -> %d kB (%d kB each)' "$counted" "$what" "$connected" \
      "$base_rss" "$peak" $(( (peak - base_rss) / (counted > 0 ? counted : 1) ))
  }
  say "$clients clients at once:"
  say "  emfeed, long-polls (Prefer: wait=300): $(crowd "$feed_pid" hold "$feed_url" "If-None-Match: $feed_etag" "Prefer: wait=300")"
  say "    answered before the end of their wait: $(grep -c 'modified after a wait' "$work/emfeed.log" || true) (the document did not change)"
  say "  nginx, 304s on keep-alive:             $(crowd "$nginx_pid" busy "$nginx_url" "If-None-Match: $nginx_etag")"
fi
