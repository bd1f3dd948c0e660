# Sourced by the launchers: selects a JDK >= 21 (Temurin 25 where installed), since the default java may be 17.
if [ -z "${RSYNTH_JAVA_HOME:-}" ]; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-25-jdk-arm64 "${JAVA_HOME:-}"; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      version=$("$candidate/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
      if [ "${version:-0}" -ge 21 ]; then RSYNTH_JAVA_HOME="$candidate"; break; fi
    fi
  done
fi
if [ -z "${RSYNTH_JAVA_HOME:-}" ]; then
  echo "RobustSynth needs a JDK >= 21 (Temurin 25 recommended); set RSYNTH_JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME="$RSYNTH_JAVA_HOME"
export PATH="$JAVA_HOME/bin:$PATH"
