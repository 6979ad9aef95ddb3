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
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
