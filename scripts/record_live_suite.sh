#!/usr/bin/env bash
# Records the live configurations of Fixtures/suites/receipts.json (large-only, two-model)
# from the local model servers (scripts/models.sh of the models branch: the 1.5B on 8081,
# the 0.5B on 8082), one case at a time and both configurations per case, so that whatever
# is complete when time runs out covers the same cases in both. Cassettes land in
# Cassettes/suites/receipts/<configuration>/<case>.json (origin: live); cases already
# recorded are replayed, not asked again (--record missing).
#   scripts/record_live_suite.sh [CASE...]     (default: the configurations' live subset)
set -euo pipefail
cd "$(dirname "$0")/.."
suite=Fixtures/suites/receipts.json
bin="${ORCH_EVAL:-.build/debug/orch-eval}"
[ -x "$bin" ] || swift build --product orch-eval
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    mapfile -t cases < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("\n".join(next(c for c in s["configurations"] if c["name"]=="two-model")["cases"]))' "$suite")
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for id in "${cases[@]}"; do
    # The same suite with both live configurations narrowed to this one case.
    python3 - "$suite" "$id" "$tmp/suite.json" <<'PY'
import json, sys
suite = json.load(open(sys.argv[1]))
for c in suite["configurations"]:
    if c["name"] in ("large-only", "two-model"):
        c["cases"] = [sys.argv[2]]
json.dump(suite, open(sys.argv[3], "w"))
PY
    echo "$(date +%H:%M:%S) $id" >&2
    "$bin" run "$tmp/suite.json" --config large-only --config two-model --record missing --concurrency 1 \
        --out "$tmp/out" || echo "$id: run exited $?" >&2
done
