#!/usr/bin/env bash
# Decode and prefill speed of coach's local engine against llama.cpp's own llama-bench, on the same synthetic
# Llama-3.2-1B-shaped files, with the same thread count, in one run. See docs/BENCHMARKS.md.
#
#   scripts/bench/engine-vs-llamacpp.sh [--models q4_0,q8_0,q4_k] [--threads 2] [--reps 5] [--llamacpp-only]
#                                       [--wait-idle [MINUTES]]
#
# Steps:
#   1. builds llama-bench offline (scripts/bench/setup-llamacpp.sh; about 5 minutes the first time, then skipped)
#      and the memory-bandwidth probe (scripts/bench/membw.c), which measures the read bandwidth before and
#      after the engines run;
#   2. writes the models into target/bench-models/ (BenchModels; skipped for files already of the right size);
#   3. builds coach (./mvnw -q -B -o package -DskipTests) unless --llamacpp-only;
#   4. per model, back to back: llama-bench -m F -t T -p 128 -n 32 -r R -o json, then
#      coach model bench F -t T -p 128 -n 32 -r R --json, each under /usr/bin/time -v for its peak resident memory;
#   5. prints a Markdown table (also target/bench/table.md); the raw JSON and logs stay in target/bench/.
# Before the engines it also measures the JVM's float multiply-add peak (FmaPeak) on 1 and T threads, for the
# second table: how fast prompts could be read if every multiply-add ran at that peak.
#
# Environment:
#   COACH_BENCH_CMD   runs this instead of "java ... -jar target/coach.jar" (the script appends
#                     "model bench FILE -t T -p 128 -n 32 -r R --json"); for trying the script with a stand-in
#   COACH_JAVA_OPTS   extra JVM options for coach, as the installed launcher accepts them
#
# The machine should be otherwise idle: other processes on the same cores change both sides' numbers (llama.cpp's
# threads spin while they wait for each other, so a busy machine can slow its decoding tenfold). --wait-idle waits
# before each measurement until the CPUs were at least 90% idle for 5 seconds (giving up after MINUTES, default
# 30), and measures again (up to 3 times) when other processes took more than 5% of the CPUs during a run. How busy
# the CPUs were before and during each run is recorded next to the results.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

die() { printf 'engine-vs-llamacpp.sh: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

models="q4_0,q8_0,q4_k"
threads=2
reps=5
pp=128
tg=32
coach=1
wait_minutes=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --models) models="$2"; shift 2 ;;
    --threads|-t) threads="$2"; shift 2 ;;
    --reps|-r) reps="$2"; shift 2 ;;
    --llamacpp-only) coach=0; shift ;;
    --wait-idle)
      if [[ "${2:-}" =~ ^[0-9]+$ ]]; then wait_minutes="$2"; shift 2; else wait_minutes=30; shift; fi ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) die "unknown option '$1' (try --help)" ;;
  esac
done
[[ "$threads" =~ ^[1-9][0-9]*$ ]] || die "--threads must be a positive number, not '$threads'"
[[ "$reps" =~ ^[1-9][0-9]*$ ]] || die "--reps must be a positive number, not '$reps'"
IFS=',' read -r -a types <<< "$models"
for t in "${types[@]}"; do
  [[ "$t" =~ ^(q4_0|q8_0|q4_k)$ ]] || die "unknown model '$t': the models are q4_0, q8_0 and q4_k"
done

command -v node >/dev/null || die "node is needed (for the table); install Node.js 20 or later"
timer=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -v true 2>/dev/null; then
  timer=/usr/bin/time
else
  say "note: GNU time (/usr/bin/time -v) is not installed; peak memory is sampled from /proc instead (Debian/Ubuntu: sudo apt-get install time)"
fi

# a JDK 25, found the way install.sh finds it
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\).*/\1/p' | head -n1; }
find_jdk() {
  local c v
  for c in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" /usr/lib/jvm/*25*; do
    if [[ -n "$c" && -x "$c/bin/java" ]]; then
      v="$(java_major "$c/bin/java")"
      if [[ -n "$v" && "$v" -ge 25 ]]; then echo "$c"; return; fi
    fi
  done
}
JAVA_HOME="$(find_jdk || true)"
[[ -n "$JAVA_HOME" ]] || die "no JDK 25 found (looked at \$JAVA_HOME, java on PATH and /usr/lib/jvm/*25*); see install.sh for how to get one"
export JAVA_HOME

out="$root/target/bench"
mkdir -p "$out"
rm -f "$out"/llama-bench-*.json "$out"/coach-*.json "$out"/membw*.json "$out"/fmapeak.json "$out"/*.rss "$out"/*.load

# ---------------------------------------------------------------------------------------------- 1. tools
llama_bench="$("$root/scripts/bench/setup-llamacpp.sh")" || die "could not build llama-bench (see above)"
membw="$out/membw"
if [[ ! -x "$membw" || "$root/scripts/bench/membw.c" -nt "$membw" ]]; then
  cc -O2 -march=native -pthread "$root/scripts/bench/membw.c" -o "$membw" \
    || die "could not compile scripts/bench/membw.c (needs a C compiler: sudo apt-get install build-essential)"
fi

# ---------------------------------------------------------------------------------------------- 2. models
say "writing the benchmark models into target/bench-models (skipped when present; ~1 minute each otherwise) ..."
"$root/scripts/engine-reference/java-main.sh" dev.coach.engine.model.BenchModels "$root/target/bench-models" "${types[@]}" \
  > "$out/models.tsv" 2> "$out/models.log" || { tail -n 30 "$out/models.log" >&2; die "could not write the models; the log is $out/models.log"; }

# ---------------------------------------------------------------------------------------------- 3. coach
coach_cmd=()
if [[ "$coach" == 1 ]]; then
  if [[ -n "${COACH_BENCH_CMD:-}" ]]; then
    read -r -a coach_cmd <<< "$COACH_BENCH_CMD"
  else
    say "building coach (./mvnw -q -B -o package -DskipTests) ..."
    ./mvnw -q -B -o package -DskipTests > "$out/coach-build.log" 2>&1 \
      || { tail -n 30 "$out/coach-build.log" >&2; die "the coach build failed; the log is $out/coach-build.log (if a dependency is missing, build once without -o: ./mvnw -B package -DskipTests)"; }
    # the launcher's JVM options (install.sh, including its collector unless COACH_JAVA_OPTS names one; change both
    # together), with the JVM's own log lines kept off stdout
    gc_opts="-XX:+UseSerialGC -Xmn16m"
    for o in ${COACH_JAVA_OPTS:-}; do
      case "$o" in -XX:+Use*GC) gc_opts="" ;; esac
    done
    # shellcheck disable=SC2206
    coach_cmd=("$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED $gc_opts ${COACH_JAVA_OPTS:-}
               -Xlog:disable -Xlog:all=warning:stderr -Dcoach.home="$root" -Dcoach.stderr.fd=3 -jar "$root/target/coach.jar")
  fi
fi

# ---------------------------------------------------------------------------------------------- measuring
# busy: the fraction of CPU time (all CPUs) spent not idle over the next 5 seconds, as a percentage
busy() {
  local a b
  read -r -a a < <(head -n1 /proc/stat)
  sleep 5
  read -r -a b < <(head -n1 /proc/stat)
  local total=0 idle i
  for i in 1 2 3 4 5 6 7 8; do total=$((total + b[i] - a[i])); done
  idle=$((b[4] - a[4] + b[5] - a[5]))
  echo $(( total > 0 ? 100 * (total - idle) / total : 0 ))
}

# settle: with --wait-idle, waits until the CPUs are at least 90% idle; records how busy they were in $1
settle() {
  local b
  b="$(busy)"
  if [[ "$wait_minutes" -gt 0 ]]; then
    local until=$((SECONDS + 60 * wait_minutes))
    while [[ "$b" -gt 10 && "$SECONDS" -lt "$until" ]]; do
      say "  waiting for the CPUs to be idle (now ${b}% busy) ..."
      sleep 10
      b="$(busy)"
    done
    [[ "$b" -le 10 ]] || say "  still ${b}% busy after $wait_minutes minutes; measuring anyway"
  fi
  echo "before: $b% busy, load $(cut -d' ' -f1 /proc/loadavg)" > "$1"
}

# busy_ticks: CPU time spent not idle since boot, all CPUs, in clock ticks
busy_ticks() {
  local c
  read -r -a c < <(head -n1 /proc/stat)
  echo $((c[1] + c[2] + c[3] + c[6] + c[7] + c[8]))
}

# once NAME CMD...: one measured run. stdout to $out/NAME.json, stderr (and coach's fd 3) to $out/NAME.log, peak
# RSS in bytes to $out/NAME.rss; appends to $out/NAME.load how much CPU other processes used during the run (the
# machine's busy time minus the run's own user+system time, as a share of all CPUs over the run), and prints that
# share in percent (or nothing when it cannot be known).
once() {
  local name="$1"; shift
  local rc=0 t0 b0
  t0="$(date +%s.%N)"; b0="$(busy_ticks)"
  if [[ -n "$timer" ]]; then
    "$timer" -v -o "$out/$name.time" "$@" > "$out/$name.json" 2> "$out/$name.log" 3>> "$out/$name.log" || rc=$?
    local kb
    kb="$(sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/\1/p' "$out/$name.time")"
    [[ -n "$kb" ]] && echo $((kb * 1024)) > "$out/$name.rss"
  else
    "$@" > "$out/$name.json" 2> "$out/$name.log" 3>> "$out/$name.log" &
    local pid=$! hwm="" h
    while kill -0 "$pid" 2>/dev/null; do
      h="$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)"
      [[ -n "$h" ]] && hwm="$h"
      sleep 0.05
    done
    wait "$pid" || rc=$?
    [[ -n "$hwm" ]] && echo $((hwm * 1024)) > "$out/$name.rss"
  fi
  local other=""
  if [[ -n "$timer" && -f "$out/$name.time" ]]; then
    other="$(awk -v t0="$t0" -v t1="$(date +%s.%N)" -v ticks=$(( $(busy_ticks) - b0 )) -v hz="$(getconf CLK_TCK)" -v cpus="$(nproc)" '
      /User time \(seconds\)/ { own += $NF } /System time \(seconds\)/ { own += $NF }
      END { if (t1 - t0 < 2) exit; o = (ticks / hz - own) / ((t1 - t0) * cpus); if (o < 0) o = 0; printf "%.0f", 100 * o }' "$out/$name.time")"
    # (runs under 2 seconds are too short for clock ticks of 10 ms to say anything)
    [[ -n "$other" ]] && echo "other processes used ${other}% of the CPUs during the run" >> "$out/$name.load"
  fi
  echo "$other"
  return "$rc"
}

# run NAME CMD...: settles (see --wait-idle), then measures once; with --wait-idle, a run during which other
# processes took more than 5% of the CPUs is measured again, up to 3 times in all
run() {
  local name="$1"; shift
  local attempt other rc
  for attempt in 1 2 3; do
    settle "$out/$name.load"
    rc=0
    other="$(once "$name" "$@")" || rc=$?
    [[ "$rc" == 0 ]] || return "$rc"
    if [[ "$wait_minutes" -gt 0 && -n "$other" && "$other" -gt 5 && "$attempt" -lt 3 ]]; then
      say "  other processes took ${other}% of the CPUs during that run; measuring again"
      continue
    fi
    return 0
  done
}

# read bandwidth before and after the engines (the table takes the median of both sets of passes)
bandwidth() {
  settle "$out/membw-$1.load"
  "$membw" 1024 "$threads" 9 > "$out/membw-$1.json" || die "the bandwidth probe failed"
}
bandwidth before

# the most float multiply-adds per second the JVM's Vector API gets from these cores (FmaPeak): no kernel that turns
# weights into floats can multiply faster, so it bounds what coach's prompt reading could ever reach
fma_peak() {
  settle "$out/fmapeak.load"
  local counts=(1)
  [[ "$threads" == 1 ]] || counts+=("$threads")
  SKIP_BUILD=1 "$root/scripts/engine-reference/java-main.sh" dev.coach.engine.tensor.FmaPeak "${counts[@]}" \
    > "$out/fmapeak.json" 2> "$out/fmapeak.log" || { tail -n 20 "$out/fmapeak.log" >&2; die "the FMA peak probe failed; the log is $out/fmapeak.log"; }
}
if [[ "$coach" == 1 ]]; then
  say "measuring the JVM's float multiply-add peak (FmaPeak, 1 and $threads threads) ..."
  fma_peak
fi

failed=0
while IFS=$'\t' read -r file size per_token path _macs; do
  t="${file#llama1b-}"; t="${t%.gguf}"
  say "$file: llama-bench (-t $threads -p $pp -n $tg -r $reps) ..."
  if ! run "llama-bench-$t" "$llama_bench" -m "$path" -t "$threads" -p "$pp" -n "$tg" -r "$reps" -o json; then
    tail -n 20 "$out/llama-bench-$t.log" >&2
    say "llama-bench failed on $file; its log is $out/llama-bench-$t.log"
    failed=1
  fi
  if [[ "$coach" == 1 ]]; then
    say "$file: coach model bench (-t $threads -p $pp -n $tg -r $reps) ..."
    if ! run "coach-$t" "${coach_cmd[@]}" model bench "$path" -t "$threads" -p "$pp" -n "$tg" -r "$reps" --json; then
      tail -n 20 "$out/coach-$t.log" >&2
      say "coach model bench failed on $file; its log is $out/coach-$t.log"
      failed=1
    fi
  fi
done < "$out/models.tsv"
bandwidth after

# ---------------------------------------------------------------------------------------------- 5. table
{
  echo "{"
  echo "  \"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\","
  echo "  \"cpu\": \"$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1 | sed 's/"/\\"/g')\","
  echo "  \"cpus\": $(nproc),"
  echo "  \"threads\": $threads, \"pp\": $pp, \"tg\": $tg, \"reps\": $reps,"
  echo "  \"coach_commit\": \"$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)\","
  echo "  \"java\": \"$("$JAVA_HOME/bin/java" -version 2>&1 | head -n1 | sed 's/"/\\"/g')\","
  echo "  \"llamacpp\": \"$(sed -n 's/^llama.cpp commit: //p' "$root/target/llamacpp/BUILD-INFO")\""
  echo "}"
} > "$out/context.json"
node "$root/scripts/bench/table.mjs" "$out" | tee "$out/table.md"
[[ "$failed" == 0 ]] || die "some runs failed (see above); their rows are incomplete"
