#!/usr/bin/env bash
# Installs coach: finds a JDK 25, builds with the Maven wrapper (tests skipped), copies the program,
# its bank and prompts into a data directory, and writes a `coach` launcher. Safe to run again.
#
#   ./install.sh                 installs the launcher into ~/.local/bin, files into ~/.local/share/coach
#   PREFIX=/opt/coach ./install.sh   launcher into $PREFIX/bin, files into $PREFIX/share/coach
set -euo pipefail
cd "$(dirname "$0")"
SRC="$(pwd)"

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

java_major() { # prints the major version of the java binary $1, or nothing
  "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1
}

find_java() {
  local c v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    v="$(java_major "$JAVA_HOME/bin/java")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$JAVA_HOME"; return; fi
  fi
  if c="$(command -v java 2>/dev/null)"; then
    v="$(java_major "$c")"
    if [ -n "$v" ] && [ "$v" -ge 25 ]; then
      c="$(readlink -f "$c")"; echo "${c%/bin/java}"; return
    fi
  fi
  for c in /usr/lib/jvm/*25* /Library/Java/JavaVirtualMachines/*25*/Contents/Home; do
    if [ -x "$c/bin/java" ]; then
      v="$(java_major "$c/bin/java")"
      if [ -n "$v" ] && [ "$v" -ge 25 ]; then echo "$c"; return; fi
    fi
  done
}

JDK="$(find_java || true)"
if [ -z "$JDK" ]; then
  die "no JDK 25 found (looked at \$JAVA_HOME, 'java' on PATH and /usr/lib/jvm/*25*).
Install one, then run ./install.sh again:
  Debian/Ubuntu:  sudo apt-get install temurin-25-jdk   (from the Adoptium repository, https://adoptium.net/installation/linux)
  macOS:          brew install --cask temurin@25
  any system:     download a JDK 25 from https://adoptium.net and set JAVA_HOME to it"
fi
export JAVA_HOME="$JDK"
say "Using JDK: $JDK"

say "Building coach (tests skipped; run ./mvnw -B verify for the test suite)..."
./mvnw -B -q -DskipTests package >/tmp/coach-install-build.log 2>&1 || {
  tail -n 40 /tmp/coach-install-build.log >&2
  die "the build failed; the full log is in /tmp/coach-install-build.log"
}

PREFIX="${PREFIX:-$HOME/.local}"
BIN="$PREFIX/bin"
if [ "$PREFIX" = "$HOME/.local" ]; then DATA="${XDG_DATA_HOME:-$HOME/.local/share}/coach"; else DATA="$PREFIX/share/coach"; fi
mkdir -p "$BIN" "$(dirname "$DATA")"

# Stage everything next to the target, then swap it in, so a failed copy never leaves a half-installed coach.
STAGE="$(mktemp -d "$(dirname "$DATA")/.coach-install.XXXXXX")"
trap 'rm -rf "$STAGE"' EXIT
cp target/coach.jar "$STAGE/coach.jar"
cp -R target/lib "$STAGE/lib"
cp -R bank "$STAGE/bank"
if [ -d prompts ]; then cp -R prompts "$STAGE/prompts"; fi
if [ -d "$DATA" ]; then rm -rf "$DATA.old"; mv "$DATA" "$DATA.old"; fi
mv "$STAGE" "$DATA"
rm -rf "$DATA.old"
trap - EXIT

LAUNCHER="$BIN/coach"
TMP="$(mktemp "$BIN/.coach.XXXXXX")"
cat >"$TMP" <<LAUNCH
#!/bin/sh
# coach launcher, written by $SRC/install.sh
# The JVM's own start-up warnings (such as the incubator-module notice) go to /dev/null; coach's
# messages go to the real stderr, which the program reopens as file descriptor 3.
# Set COACH_JVM_WARNINGS=1 to see the JVM's warnings too.
JAVA="$JDK/bin/java"
HOME_DIR="$DATA"
# The serial collector with a 16 MB young generation: coach's live heap is small (tens of MB), and the default G1
# lets the garbage of the local engine's warm-up grow the heap to several hundred MB, which stays resident
# (docs/BENCHMARKS.md). A collector named in COACH_JAVA_OPTS replaces this choice. scripts/bench/engine-vs-llamacpp.sh
# starts coach with the same options; change both together.
GC_OPTS="-XX:+UseSerialGC -Xmn16m"
for o in \${COACH_JAVA_OPTS:-}; do
  case "\$o" in -XX:+Use*GC) GC_OPTS="" ;; esac
done
if [ -n "\${COACH_JVM_WARNINGS:-}" ]; then
  exec "\$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \$GC_OPTS \$COACH_JAVA_OPTS \\
    -Dcoach.home="\$HOME_DIR" -jar "\$HOME_DIR/coach.jar" "\$@"
fi
# -Xlog sends the JVM's own log lines (which default to stdout) to stderr, which is hidden here.
exec "\$JAVA" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \$GC_OPTS \$COACH_JAVA_OPTS \\
  -Xlog:disable -Xlog:all=warning:stderr \\
  -Dcoach.home="\$HOME_DIR" -Dcoach.stderr.fd=3 -jar "\$HOME_DIR/coach.jar" "\$@" 3>&2 2>/dev/null
LAUNCH
chmod 755 "$TMP"
mv "$TMP" "$LAUNCHER"

say "Preparing the offline grader (embeds the bank's rubric once; about 15 s the first time)..."
"$LAUNCHER" grade prepare || say "  (skipped: the offline grader will prepare itself on first use)"

say "Installed coach $(grep -m1 '<version>' pom.xml | sed 's/.*<version>\(.*\)<\/version>.*/\1/')"
say "  launcher: $LAUNCHER"
say "  files:    $DATA"
case ":$PATH:" in
  *":$BIN:"*) ;;
  *) say ""
     say "Note: $BIN is not on your PATH. Add it, e.g.:"
     say "  echo 'export PATH=\"$BIN:\$PATH\"' >> ~/.bashrc && export PATH=\"$BIN:\$PATH\"" ;;
esac
say ""
say "Try: coach bank stats"
