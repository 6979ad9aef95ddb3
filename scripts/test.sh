#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test (unit and end-to-end).
#   scripts/test.sh            all tests
#   scripts/test.sh -LE e2e    the quick run: skip the slow end-to-end tests
# Extra arguments go to ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/install-deps.sh"
"$root/scripts/build.sh"
cd "${EM_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j "${EM_JOBS:-$(nproc)}" "$@"
