#!/usr/bin/env bash
# Starts a standalone single-node KRaft Kafka broker (kafka_2.13 4.4.0 from Maven Central) in the
# background and creates the rsynth.* topics. Idempotent: a running broker is left alone.
#
#   deploy/kafka/start-broker.sh [--port 9092] [--controller-port 9093] [--host localhost]
#                                [--partitions 6] [--no-topics] [--foreground]
#
# State (jars, data, logs, pid) lives in $RSYNTH_KAFKA_STATE (default <repo>/.rsynth/kafka-broker).
# Heap: KAFKA_HEAP_OPTS (default -Xms256m -Xmx1g). Stop with deploy/kafka/stop-broker.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PORT=9092
CONTROLLER_PORT=9093
HOST=localhost
PARTITIONS=6
TOPICS=1
FOREGROUND=0
while [ $# -gt 0 ]; do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --controller-port) CONTROLLER_PORT="$2"; shift 2 ;;
    --host) HOST="$2"; shift 2 ;;
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --no-topics) TOPICS=0; shift ;;
    --foreground) FOREGROUND=1; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

if pid="$(broker_pid)" && [ -n "$pid" ]; then
  echo "broker already running (pid $pid) — $(grep -m1 '^advertised.listeners' "$STATE/server.properties" | cut -d= -f2-)"
  exit 0
fi

JAVA="$(pick_java 17)"
ensure_lib
mkdir -p "$STATE/data" "$STATE/logs"

sed -e "s#@HOST@#$HOST#g" -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" \
    -e "s#@LOG_DIRS@#$STATE/data#g" "$KAFKA_DEPLOY_DIR/server.properties" > "$STATE/server.properties"

JVM_OPTS=(-Dlog4j2.configurationFile="$KAFKA_DEPLOY_DIR/log4j2.properties" -Dkafka.logs.dir="$STATE/logs"
          --enable-native-access=ALL-UNNAMED)
t0=$(date +%s.%N)
if [ ! -f "$STATE/data/meta.properties" ]; then
  [ -f "$STATE/cluster.id" ] || "$JAVA" "${JVM_OPTS[@]}" -cp "$LIB/*" kafka.tools.StorageTool random-uuid > "$STATE/cluster.id"
  echo "formatting $STATE/data (cluster $(cat "$STATE/cluster.id"))"
  "$JAVA" "${JVM_OPTS[@]}" -cp "$LIB/*" kafka.tools.StorageTool format --standalone \
      -t "$(cat "$STATE/cluster.id")" -c "$STATE/server.properties" > "$STATE/logs/format.out" 2>&1 \
    || { cat "$STATE/logs/format.out" >&2; exit 1; }
fi

# shellcheck disable=SC2086
CMD=("$JAVA" ${KAFKA_HEAP_OPTS:--Xms256m -Xmx1g} -XX:+UseG1GC "${JVM_OPTS[@]}" -cp "$LIB/*"
     kafka.Kafka "$STATE/server.properties")
if [ "$FOREGROUND" = 1 ]; then
  exec "${CMD[@]}"
fi

: > "$STATE/logs/server.log"
nohup "${CMD[@]}" > "$STATE/logs/broker.out" 2>&1 &
echo $! > "$PID_FILE"

# Ready = the broker logged that it started and the port accepts connections.
for _ in $(seq 1 600); do
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "broker exited during startup; see $STATE/logs/server.log and broker.out:" >&2
    tail -20 "$STATE/logs/broker.out" >&2
    rm -f "$PID_FILE"
    exit 1
  fi
  if grep -q "Kafka Server started" "$STATE/logs/server.log" 2>/dev/null \
     && (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
    t1=$(date +%s.%N)
    printf 'broker ready at %s:%s in %.1f s (pid %s, logs %s)\n' "$HOST" "$PORT" \
      "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')" "$(cat "$PID_FILE")" "$STATE/logs"
    if [ "$TOPICS" = 1 ]; then
      "$KAFKA_DEPLOY_DIR/create-topics.sh" --bootstrap "$HOST:$PORT" --partitions "$PARTITIONS"
    fi
    exit 0
  fi
  sleep 0.1
done
echo "broker not ready after 60 s; see $STATE/logs/server.log" >&2
exit 1
