# Shared by the broker scripts (sourced, not run).
# RSYNTH_KAFKA_STATE: where lib/, data/, logs/, server.properties, broker.pid live
#   (default: <repo>/.rsynth/kafka-broker, which .gitignore covers; NOT .rsynth/kafka, which is the
#   data directory of the service's embedded broker: the two must never share a directory).

KAFKA_DEPLOY_DIR="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd -P "$KAFKA_DEPLOY_DIR/../.." && pwd)"
STATE="${RSYNTH_KAFKA_STATE:-$REPO_ROOT/.rsynth/kafka-broker}"
LIB="$STATE/lib"
PID_FILE="$STATE/broker.pid"
KAFKA_VERSION=4.4.0

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 \
    | awk -F'= ' '/java.specification.version/ { split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit }'
}

# The first Java >= $1 of: $RSYNTH_JAVA, $JAVA_HOME, Temurin 25, java on PATH.
pick_java() {
  local min="$1" c major
  local candidates=()
  [ -n "${RSYNTH_JAVA:-}" ] && candidates+=("$RSYNTH_JAVA")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  candidates+=(/usr/lib/jvm/temurin-25-jdk-amd64/bin/java)
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major="$(java_major "$c")"
    if [ -n "$major" ] && [ "$major" -ge "$min" ]; then
      echo "$c"
      return 0
    fi
  done
  echo "no Java >= $min found (set RSYNTH_JAVA or JAVA_HOME)" >&2
  return 1
}

# Resolves kafka_2.13 and its dependencies from Maven into $LIB, once.
ensure_lib() {
  if [ -f "$LIB/kafka_2.13-$KAFKA_VERSION.jar" ]; then
    return 0
  fi
  echo "resolving kafka_2.13 $KAFKA_VERSION and its dependencies into $LIB ..." >&2
  mkdir -p "$LIB"
  mvn -q -f "$KAFKA_DEPLOY_DIR/pom.xml" dependency:copy-dependencies -DoutputDirectory="$LIB" >&2
}

broker_pid() {  # prints the pid of a running broker started by us, or nothing
  if [ -f "$PID_FILE" ]; then
    local pid
    pid="$(cat "$PID_FILE")"
    if kill -0 "$pid" 2>/dev/null; then
      echo "$pid"
    fi
  fi
}
