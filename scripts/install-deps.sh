#!/usr/bin/env bash
# Installs every Debian 12 package EM Service needs to build, test and run.
# Idempotent: runs apt-get update and install only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libcaf-dev                      # C++ Actor Framework 0.17.6
  libboost-dev libboost-filesystem-dev libboost-system-dev   # Beast, Asio, DLL
  libssl-dev openssl              # OpenSSL 3 and its command-line tool (test PKI, demo)
  librapidxml-dev                 # the mitigation model parser
  libspdlog-dev libfmt-dev        # the service log
  catch2                          # Catch2 v2 tests
  libxmlsec1-dev libxml2-dev xmlsec1   # XML signatures, and the xmlsec1 tool for tests
  libsqlite3-dev sqlite3          # the embedded store
  libtomlplusplus-dev             # the configuration file
  libcli11-dev                    # command lines
  nlohmann-json3-dev              # --json output
  clang libclang-rt-14-dev        # scripts/fuzz.sh: libFuzzer, ASan and UBSan runtimes
  libsystemd-dev                  # sd_notify, journald events
  libpcre2-dev                    # the URL Rewrite rule evaluator (emctl test-request, nginx plugin)
  libbenchmark-dev                # bench/ (Google Benchmark)
  etcd-server etcd-client         # the fleet store's tests start real etcd members
  nginx libnginx-mod-http-js      # the nginx plugin's tests start a real nginx
  curl                            # the demo's requests through nginx; measure.sh's ETags
  wrk                             # scripts/measure.sh load generator
  lintian fakeroot dpkg-dev scdoc # packaging: the .deb, its checks, man pages
  systemd man-db                  # systemd-analyze rates the unit; man -w finds the installed pages
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
  sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
# nginx and etcd-server are installed for the tests, which start their own
# instances on free ports: keep the packages from starting system-wide ones.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\n# installed by EM Service install-deps.sh for one apt run\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod 755 "$policy"
  trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
