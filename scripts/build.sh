#!/usr/bin/env bash
# Configures (once) and builds EM Service out of source in build/.
#   scripts/build.sh [extra cmake -D options]
#   EM_BUILD_TARGETS="em_programs" scripts/build.sh   only these targets
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_BUILD_DIR:-$root/build}
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@"
elif [ $# -gt 0 ]; then
  cmake "$build" "$@"
fi
targets=()
for t in ${EM_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j "${EM_JOBS:-$(nproc)}" "${targets[@]}"
