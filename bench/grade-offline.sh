#!/usr/bin/env bash
# Times `coach grade` with the offline grader on the first 100 answers of the development set,
# three runs, model load included. Needs the installed launcher (./install.sh) or COACH=path.
set -euo pipefail
cd "$(dirname "$0")/.."
COACH="${COACH:-$HOME/.local/bin/coach}"
IN="$(mktemp)"
head -n 100 src/test/resources/grading/dev.jsonl > "$IN"
echo "command: $COACH grade --input <first 100 lines of src/test/resources/grading/dev.jsonl> --backend offline --format jsonl"
echo "machine: $(nproc) cores; launcher $(grep -m1 "^JAVA=" "$COACH" || echo "?")"
for i in 1 2 3; do
  /usr/bin/time -f "run $i: %e s wall, %M KB peak RSS" "$COACH" grade --input "$IN" --backend offline --format jsonl > /dev/null
done
rm -f "$IN"
