#!/usr/bin/env bash
# Stops the broker started by start-broker.sh (SIGTERM, a controlled shutdown; SIGKILL after 30 s).
#   deploy/kafka/stop-broker.sh [--wipe]     --wipe also deletes its data (topics, offsets, cluster id)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

WIPE=0
[ "${1:-}" = "--wipe" ] && WIPE=1

pid="$(broker_pid)"
if [ -z "$pid" ]; then
  echo "no broker running (no live pid in $PID_FILE)"
else
  kill -TERM "$pid"
  for _ in $(seq 1 300); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "broker $pid still running after 30 s; killing it" >&2
    kill -KILL "$pid"
  fi
  echo "broker stopped (pid $pid)"
fi
rm -f "$PID_FILE"
if [ "$WIPE" = 1 ]; then
  rm -rf "$STATE/data" "$STATE/cluster.id" "$STATE/server.properties"
  echo "data wiped ($STATE/data)"
fi
