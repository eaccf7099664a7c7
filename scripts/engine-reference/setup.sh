#!/usr/bin/env bash
# Installs the llama.cpp reference (node-llama-cpp 3.22.1 with its prebuilt linux-x64 CPU binaries) next to this
# script. Only the npm registry is contacted: .npmrc skips optional GPU packages and install scripts, so nothing
# is built or downloaded from elsewhere. Safe to run twice.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
if [[ ! -d node_modules/node-llama-cpp ]]; then
  echo "installing node-llama-cpp 3.22.1 into $here/node_modules ..." >&2
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --no-audit --no-fund >&2
fi
