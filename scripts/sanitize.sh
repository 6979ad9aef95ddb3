#!/usr/bin/env bash
# Builds the test suite with AddressSanitizer and UndefinedBehaviorSanitizer in
# build-asan/ (a build of its own: -fsanitize=address,undefined everywhere) and
# runs it with ctest. Any sanitizer report fails the test that caused it.
#
#   scripts/sanitize.sh [ctest arguments…]           the whole suite
#   EM_SANITIZE_TARGETS="trust_test model_test" scripts/sanitize.sh -R '^(trust|model)_test:'
#                                                     only those programs, and only their tests
#
# EM_ASAN_BUILD_DIR moves the build; an existing build there is used as it is
# configured (CI points it at build-fuzz, made by `EM_FUZZ_TESTS=ON
# scripts/fuzz.sh`: clang, ASan and UBSan too). EM_JOBS caps the parallelism.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${EM_JOBS:-$(nproc)}

"$root/scripts/install-deps.sh"
flags="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
if [ ! -f "$build/build.ninja" ]; then
  # -O1: the sanitizers' own advice, fast enough and with exact stacks.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DCMAKE_C_FLAGS="$flags -O1" -DCMAKE_CXX_FLAGS="$flags -O1" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
    -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=address,undefined"
fi
if [ -n "${EM_SANITIZE_TARGETS:-}" ]; then
  # shellcheck disable=SC2086  # a list of target names
  cmake --build "$build" -j "$jobs" --target $EM_SANITIZE_TARGETS
else
  cmake --build "$build" -j "$jobs"
fi

# Leaks count as errors; a report stops the program (and so fails its test).
export ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
cd "$build"
ctest --output-on-failure -j "$jobs" "$@"
