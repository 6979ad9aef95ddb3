#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, with ASan and UBSan) into build-fuzz/
# and runs each one for a bounded time from the committed seeds
# (tests/fuzz/seeds). Stops with exit 1 at the first crash, leak or timeout;
# the input that caused it is left in build-fuzz/artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET [TARGET…]]     default: 60 s, every target
#   EM_FUZZ_JOBS=N    targets fuzzed at once (default: the number of cores)
#
# Targets: fuzz_document_parser, fuzz_verifier, fuzz_url_rewrite_rule,
# fuzz_document_limits. Each run prints libFuzzer's final line (executions,
# cov: edges, ft: features) and keeps the corpus it grew in
# build-fuzz/corpus/<target> for the next run.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${EM_FUZZ_BUILD_DIR:-$root/build-fuzz}
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(fuzz_document_parser fuzz_verifier fuzz_url_rewrite_rule
  fuzz_document_limits)

"$root/scripts/install-deps.sh"
if [ ! -f "$build/build.ninja" ]; then
  # EM_FUZZ_TESTS=ON also configures the test suite here (see tests/fuzz/CMakeLists.txt).
  CC=clang CXX=clang++ cmake -S "$root/tests/fuzz" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEM_FUZZ_TESTS="${EM_FUZZ_TESTS:-OFF}"
elif [ -n "${EM_FUZZ_TESTS:-}" ]; then
  cmake "$build" -DEM_FUZZ_TESTS="$EM_FUZZ_TESTS"
fi
cmake --build "$build" -j "${EM_JOBS:-$(nproc)}" --target "${targets[@]}"

seeds_of() {
  case "$1" in
    fuzz_document_parser) echo "$root/tests/fuzz/seeds/parser" ;;
    fuzz_verifier) echo "$root/tests/fuzz/seeds/verifier" ;;
    fuzz_url_rewrite_rule) echo "$root/tests/fuzz/seeds/rules" ;;
    fuzz_document_limits) echo "$root/tests/fuzz/seeds/limits" ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}

# Every sanitizer finding stops the run; ubsan.supp lists known, reported ones.
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:suppressions=$root/tests/fuzz/ubsan.supp"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
mkdir -p "$build/artifacts"
# Each libFuzzer run uses one core: run EM_FUZZ_JOBS of them at once (default:
# the machine's cores), so CI's smoke run costs one slot of SECONDS per pair.
run_target() {
  local t=$1 seeds corpus log status=0
  seeds=$(seeds_of "$t")
  corpus="$build/corpus/$t"
  log="$build/$t.log"
  mkdir -p "$corpus"
  # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a memory blow-up is a crash.
  "$build/$t" "$corpus" "$seeds" -max_total_time="$seconds" -dict="$root/tests/fuzz/xml.dict" \
    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$build/artifacts/$t-" > "$log" 2>&1 || status=$?
  return $status
}
report() {
  local t=$1 status=$2 log="$build/$1.log"
  echo "fuzz: $t"
  grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true
  grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' "$log" || true
  if [ "$status" -ne 0 ]; then
    echo "fuzz: $t FAILED (exit $status); last lines of $log:" >&2
    tail -40 "$log" >&2
    return 1
  fi
}
jobs=${EM_FUZZ_JOBS:-$(nproc)}
failed=0
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  batch=("${targets[@]:i:jobs}")
  pids=()
  for t in "${batch[@]}"; do
    seeds_of "$t" > /dev/null
    echo "fuzz: $t for ${seconds}s (log: $build/$t.log)"
    run_target "$t" &
    pids+=($!)
  done
  for k in "${!batch[@]}"; do
    status=0
    wait "${pids[$k]}" || status=$?
    report "${batch[$k]}" "$status" || failed=1
  done
  [ $failed -eq 0 ] || exit 1
done
