#!/usr/bin/env bash
# Regenerates the engine's reference logits: writes every fixture model (dev.coach.engine.model.FixtureModels,
# test sources) into target/engine-fixtures/, runs llama.cpp on each (logits.mjs) and writes
# src/test/resources/engine/reference/NAME.json. Run it after any change to the fixture generator, then commit
# the JSON files; FixtureModelsTest fails until the references match the generator's bytes again.
#   scripts/engine-reference/regen-logits.sh            # all fixtures
#   scripts/engine-reference/regen-logits.sh NAME...     # only these
# Needs JDK 25 and the llama.cpp reference (scripts/engine-reference/setup.sh; offline once installed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/src/test/resources/engine/reference"
models="$root/target/engine-fixtures"
export NODE_LLAMA_CPP_SKIP_DOWNLOAD=true NODE_LLAMA_CPP_GPU=false
if [[ ! -d "$here/node_modules/node-llama-cpp" ]]; then
  echo "the llama.cpp reference is not installed: run $here/setup.sh first" >&2
  exit 1
fi
rm -rf "$models"
"$here/java-main.sh" dev.coach.engine.model.FixtureModels "$models" "$@" >"$models.list"
mkdir -p "$out"
while IFS=$'\t' read -r name size sha file; do
  node "$here/logits.mjs" -m "$file" -o "$out/$name.json"
  node -e '
    const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const top = d.logits.map((r) => Math.max(...r));
    console.log(`${d.model}\t${d.architecture}\t${d.bytes} bytes\ttop logits ${Math.min(...top).toFixed(2)}..${Math.max(...top).toFixed(2)}` +
      `\tmin margin ${Math.min(...d.margins).toFixed(3)}\twarnings: ${d.llama_warnings.length ? d.llama_warnings.join(" | ") : "none"}`);
  ' "$out/$name.json"
done <"$models.list"
rm -f "$models.list"
du -ch "$out"/*.json | tail -1
