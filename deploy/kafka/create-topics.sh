#!/usr/bin/env bash
# Creates the wire contract's topics (rsynth.tasks, .results, .progress, .control, .tasks.dlq) if missing.
#   deploy/kafka/create-topics.sh [--bootstrap localhost:9092] [--partitions 6] [--replication 1]
# Partitions bound how many service instances of one consumer group share the work.
# Runs CreateTopics.java (Kafka's Admin client) with the broker's class path.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

BOOTSTRAP=localhost:9092
PARTITIONS=6
REPLICATION=1
while [ $# -gt 0 ]; do
  case "$1" in
    --bootstrap) BOOTSTRAP="$2"; shift 2 ;;
    --partitions) PARTITIONS="$2"; shift 2 ;;
    --replication) REPLICATION="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
JAVA="$(pick_java 17)"
ensure_lib
exec "$JAVA" -Dlog4j2.configurationFile="$KAFKA_DEPLOY_DIR/log4j2.properties" -Dkafka.logs.dir="$STATE/logs" \
  -cp "$LIB/*" "$KAFKA_DEPLOY_DIR/CreateTopics.java" "$BOOTSTRAP" "$PARTITIONS" "$REPLICATION"
