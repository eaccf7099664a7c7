#!/usr/bin/env bash
# Builds llama.cpp's own benchmark tool, llama-bench, without touching the network, for
# scripts/bench/engine-vs-llamacpp.sh.
#
# The source is the git bundle that the npm package node-llama-cpp 3.22.1 carries
# (node_modules/node-llama-cpp/llama/gitRelease.bundle): exactly the llama.cpp release whose prebuilt
# binaries scripts/engine-reference uses for the correctness references. The bundle is cloned into
# target/llamacpp/src, configured as a static Release build tuned for this CPU (GGML_NATIVE), and only
# the llama-bench target is compiled. Every CMake option that could download something is off, and
# FetchContent is told it is disconnected, so a stray fetch fails instead of reaching out.
#
#   scripts/bench/setup-llamacpp.sh          builds once; later runs print the binary's path and stop
#   FORCE=1 scripts/bench/setup-llamacpp.sh  rebuilds from a fresh clone
#   (an interrupted build resumes on the next run)
#
# Output: target/llamacpp/bin/llama-bench (and target/llamacpp/BUILD-INFO: commit, compiler, flags).
# Takes about 5 minutes on 2 cores. Needs git, cmake (3.14 or later), a C/C++ compiler and make or ninja.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
out="$root/target/llamacpp"
bin="$out/bin/llama-bench"
bundle="$root/scripts/engine-reference/node_modules/node-llama-cpp/llama/gitRelease.bundle"

die() { printf 'setup-llamacpp.sh: %s\n' "$*" >&2; exit 1; }

if [[ -z "${FORCE:-}" && -x "$bin" && -f "$out/BUILD-INFO" ]]; then
  echo "$bin"
  exit 0
fi

if [[ ! -f "$bundle" ]]; then
  "$root/scripts/engine-reference/setup.sh" || die "could not install node-llama-cpp (see above)"
fi
[[ -f "$bundle" ]] || die "the llama.cpp source bundle is missing: $bundle
It comes with the npm package node-llama-cpp 3.22.1; run scripts/engine-reference/setup.sh and try again."
for tool in git cmake cc c++; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed; it is needed to build llama-bench (Debian/Ubuntu: sudo apt-get install git cmake build-essential)"
done

# FORCE starts from scratch; otherwise an interrupted build resumes where it stopped
[[ -n "${FORCE:-}" ]] && rm -rf "$out"
mkdir -p "$out/bin"
if [[ ! -d "$out/src/.git" ]]; then
  echo "cloning the llama.cpp source from $bundle ..." >&2
  rm -rf "$out/src"
  git -c advice.detachedHead=false clone -q "$bundle" "$out/src" || die "git could not clone $bundle"
fi
commit="$(git -C "$out/src" rev-parse HEAD)"

echo "configuring (log: $out/configure.log) ..." >&2
cmake -S "$out/src" -B "$out/build" \
  -DCMAKE_BUILD_TYPE=Release \
  -DBUILD_SHARED_LIBS=OFF \
  -DGGML_NATIVE=ON \
  -DGGML_CCACHE=OFF \
  -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_APP=OFF \
  -DLLAMA_BUILD_UI=OFF -DLLAMA_USE_PREBUILT_UI=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_BORINGSSL=OFF -DLLAMA_BUILD_LIBRESSL=OFF \
  -DLLAMA_LLGUIDANCE=OFF \
  -DGGML_CPU_KLEIDIAI=OFF -DGGML_OPENMP_FETCH=OFF -DGGML_ZENDNN=OFF \
  -DFETCHCONTENT_FULLY_DISCONNECTED=ON \
  > "$out/configure.log" 2>&1 || { tail -n 40 "$out/configure.log" >&2; die "cmake could not configure llama.cpp; the full log is $out/configure.log"; }

echo "building llama-bench with $(nproc) jobs (log: $out/build.log; about 5 minutes on 2 cores) ..." >&2
cmake --build "$out/build" --config Release --target llama-bench -j "$(nproc)" > "$out/build.log" 2>&1 \
  || { tail -n 40 "$out/build.log" >&2; die "the llama-bench build failed; the full log is $out/build.log"; }

cp "$out/build/bin/llama-bench" "$bin"
{
  echo "llama.cpp commit: $commit"
  echo "source: $bundle"
  echo "node-llama-cpp release: $(tr -d ' \n' < "$(dirname "$bundle")/llama.cpp.info.json")"
  echo "compiler: $(c++ --version | head -n1)"
  echo "cmake: $(cmake --version | head -n1)"
  grep -E '^(GGML_NATIVE|GGML_OPENMP|GGML_LLAMAFILE|GGML_CPU_REPACK|BUILD_SHARED_LIBS|CMAKE_BUILD_TYPE):' "$out/build/CMakeCache.txt" || true
  echo "built: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$out/BUILD-INFO"
echo "$bin"
