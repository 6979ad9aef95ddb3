#!/bin/bash
# A stand-in for systemctl on test hosts without systemd. Each unit's state
# is kept in files in the folder "state" beside this script:
#   <unit>.unit     the unit exists; its content is the command it runs
#   <unit>.enabled  "enabled" or "disabled"
#   <unit>.masked   present while the unit is masked
#   <unit>.pid      the process started by "start"
# Every call is appended to state/calls.log. Exit codes and messages follow
# systemctl's: is-active 0/3, is-enabled 0/1, 5 for a unit that is not loaded.
set -u
state="$(dirname "$(readlink -f "$0")")/state"
verb="${1:-}"
unit="${2:-}"
unit="${unit%.service}"
if [ -z "$verb" ] || [ -z "$unit" ] || [ "$#" -ne 2 ]; then
  echo "usage: systemctl VERB UNIT" >&2
  exit 2
fi
echo "$verb $unit" >> "$state/calls.log"

if [ ! -f "$state/$unit.unit" ]; then
  case "$verb" in
    is-active) echo inactive; exit 3 ;;
    is-enabled) echo "Failed to get unit file state for $unit.service: No such file or directory" >&2; exit 1 ;;
    *) echo "Failed to $verb $unit.service: Unit $unit.service not loaded." >&2; exit 5 ;;
  esac
fi

# Alive and not a zombie (a stopped daemon may wait for a reaper).
running() {
  [ -f "$state/$unit.pid" ] || return 1
  local pid
  pid="$(cat "$state/$unit.pid")"
  [ -r "/proc/$pid/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status"
}
masked() { [ -f "$state/$unit.masked" ]; }

case "$verb" in
  is-active)
    if running; then echo active; exit 0; else echo inactive; exit 3; fi ;;
  is-enabled)
    if masked; then echo masked; exit 1; fi
    s="$(cat "$state/$unit.enabled" 2>/dev/null || echo disabled)"
    echo "$s"
    [ "$s" = enabled ] ;;
  start)
    if masked; then echo "Failed to start $unit.service: Unit $unit.service is masked." >&2; exit 1; fi
    if ! running; then
      # shellcheck disable=SC2046
      setsid $(cat "$state/$unit.unit") </dev/null >/dev/null 2>&1 &
      echo $! > "$state/$unit.pid"
    fi ;;
  stop)
    if running; then
      pid="$(cat "$state/$unit.pid")"
      kill "$pid"
      for _ in $(seq 50); do running || break; sleep 0.1; done
      if running; then echo "Job for $unit.service failed: the process did not stop." >&2; exit 1; fi
    fi
    rm -f "$state/$unit.pid" ;;
  enable)
    if masked; then echo "Failed to enable unit: Unit file /etc/systemd/system/$unit.service is masked." >&2; exit 1; fi
    echo enabled > "$state/$unit.enabled" ;;
  disable)
    echo disabled > "$state/$unit.enabled" ;;
  mask)
    touch "$state/$unit.masked" ;;
  unmask)
    rm -f "$state/$unit.masked" ;;
  *)
    echo "Unknown command verb $verb." >&2
    exit 1 ;;
esac
