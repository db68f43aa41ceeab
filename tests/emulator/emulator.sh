#!/usr/bin/env bash
# Starts and stops the local AWS emulator (moto server plus idplane's extension) by hand.
#
#   emulator.sh start [PORT]  start in the background, write a pid file, print the endpoint line
#   emulator.sh stop          stop the background emulator
#   emulator.sh run [PORT]    run in the foreground (Ctrl-C stops it)
#   emulator.sh status        print the endpoint line if the background emulator runs
#
# PORT defaults to $IDPLANE_EMULATOR_PORT, else 0 (a free port). The pid file, the endpoint file and
# the log live in ${IDPLANE_EMULATOR_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/idplane}.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
state="${IDPLANE_EMULATOR_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/idplane}"
pidfile="$state/emulator.pid"
endpointfile="$state/emulator.endpoint"
logfile="$state/emulator.log"

running() { [[ -f "$pidfile" ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

cmd="${1:-}"
port="${2:-${IDPLANE_EMULATOR_PORT:-0}}"

case "$cmd" in
  start)
    if running; then
      cat "$endpointfile"
      exit 0
    fi
    venv="$("$here/setup.sh")"
    mkdir -p "$state"
    rm -f "$endpointfile"
    nohup "$venv/bin/python" "$here/run_server.py" --port "$port" </dev/null >"$endpointfile" 2>"$logfile" &
    echo $! >"$pidfile"
    for _ in $(seq 1 300); do
      if grep -q '^IDPLANE_EMULATOR_ENDPOINT=' "$endpointfile" 2>/dev/null; then
        cat "$endpointfile"
        exit 0
      fi
      if ! running; then
        echo "emulator.sh: the emulator exited during start; see $logfile" >&2
        tail -n 20 "$logfile" >&2 || true
        rm -f "$pidfile"
        exit 1
      fi
      sleep 0.1
    done
    echo "emulator.sh: no endpoint after 30s; see $logfile" >&2
    exit 1
    ;;
  stop)
    if running; then
      pid="$(cat "$pidfile")"
      kill "$pid"
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      echo "emulator.sh: stopped (pid $pid)" >&2
    else
      echo "emulator.sh: not running" >&2
    fi
    rm -f "$pidfile" "$endpointfile"
    ;;
  status)
    if running; then cat "$endpointfile"; else echo "emulator.sh: not running" >&2; exit 1; fi
    ;;
  run)
    venv="$("$here/setup.sh")"
    exec "$venv/bin/python" "$here/run_server.py" --port "$port" --verbose
    ;;
  *)
    echo "usage: $0 start [PORT] | stop | status | run [PORT]" >&2
    exit 2
    ;;
esac
