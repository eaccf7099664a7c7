#!/usr/bin/env bash
# Regenerates the tokenizer references in src/test/resources/engine/tokens/*.json:
#   1. builds the fixture vocabularies (VocabFixtures, test sources) as vocabulary-only GGUF files in a temp dir,
#      together with the decoded corpus (src/test/resources/engine/tokens/corpus.txt),
#   2. runs llama.cpp's tokenizer on every corpus text through tokens.mjs (node-llama-cpp, offline),
#   3. writes one JSON per vocabulary next to the corpus.
# Run after changing the corpus or the fixture generator; commit the JSON. Needs JDK 25 and node (setup.sh once).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/src/test/resources/engine/tokens"
"$here/setup.sh"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$here/java-main.sh" dev.coach.engine.tokenizer.VocabFixtures "$tmp"
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true NODE_LLAMA_CPP_GPU=false
for v in "$tmp"/*.gguf; do
  name="$(basename "$v" .gguf)"
  node "$here/tokens.mjs" "$v" "$tmp/corpus.json" "$out/$name.json"
done
echo "wrote $(ls "$out"/*.json | wc -l) reference files to $out" >&2
