#!/usr/bin/env bash
# Runs a main class from coach's test sources (the fixture generators) with the test classpath:
#   scripts/engine-reference/java-main.sh dev.coach.engine.SomeFixtures ARGS...
# Needs a JDK 25 (JAVA_HOME, or /usr/lib/jvm/*25*).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if [[ -z "${JAVA_HOME:-}" || ! -x "$JAVA_HOME/bin/java" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q '"25'; then
  for d in /usr/lib/jvm/*25*; do [[ -x "$d/bin/java" ]] && JAVA_HOME="$d" && break; done
fi
export JAVA_HOME
cd "$root"
if [[ ! -f target/test-classpath.txt || pom.xml -nt target/test-classpath.txt || -z "${SKIP_BUILD:-}" ]]; then
  ./mvnw -q -B -o test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test >&2
fi
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xlog:disable \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" "$@"
