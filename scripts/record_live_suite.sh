#!/usr/bin/env bash
# Records the live configurations of Fixtures/suites/receipts.json (large-only, two-model)
# from the local model servers (scripts/models.sh of the models branch: the 1.5B on 8081,
# the 0.5B on 8082), one case at a time, so that whatever is complete when time runs out
# covers the same cases in both. Cassettes land in
# Cassettes/suites/receipts/<configuration>/<case>.json (origin: live); what a cassette holds
# already is replayed, not asked again (--record missing).
#
# The planner of both configurations is the 1.5B model asked the very same request at
# temperature 0, so its exchange is recorded once, under large-only, and copied into the
# two-model cassette before two-model runs (which then records only its 0.5B worker calls).
# On a loaded 2-core machine one planner call took minutes; this halves the planner's time.
#   scripts/record_live_suite.sh [CASE...]     (default: the configurations' live subset)
set -euo pipefail
cd "$(dirname "$0")/.."
suite=Fixtures/suites/receipts.json
cassettes=Cassettes/suites/receipts
bin="${ORCH_EVAL:-.build/debug/orch-eval}"
[ -x "$bin" ] || swift build --product orch-eval
cases=("$@")
if [ ${#cases[@]} -eq 0 ]; then
    mapfile -t cases < <(python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); print("\n".join(next(c for c in s["configurations"] if c["name"]=="two-model")["cases"]))' "$suite")
fi
mkdir -p "$cassettes/large-only" "$cassettes/two-model"
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
    echo "$(date +%H:%M:%S) $id large-only" >&2
    "$bin" run "$tmp/suite.json" --config large-only --record missing --concurrency 1 --out "$tmp/out" || echo "$id: large-only exited $?" >&2
    if [ -f "$cassettes/large-only/$id.json" ] && [ ! -f "$cassettes/two-model/$id.json" ]; then
        python3 - "$cassettes/large-only/$id.json" "$cassettes/two-model/$id.json" <<'PY'
import json, sys
source = json.load(open(sys.argv[1]))
workers = ("List the items", "Give each item its kind of expense")
def is_planner(exchange):
    messages = exchange["request"]["body"].get("json", {}).get("messages", [])
    return not (messages and messages[0].get("content", "").startswith(workers))
planner = [e for e in source["interactions"] if is_planner(e)]
metadata = dict(source["metadata"], notes="planner exchange copied from large-only/" + sys.argv[1].rsplit("/", 1)[1]
                + " (the same request to the same 1.5B server); worker exchanges recorded for two-model")
json.dump({**source, "interactions": planner, "metadata": metadata}, open(sys.argv[2], "w"), indent=2, sort_keys=True)
PY
    fi
    echo "$(date +%H:%M:%S) $id two-model" >&2
    "$bin" run "$tmp/suite.json" --config two-model --record missing --concurrency 1 --out "$tmp/out" || echo "$id: two-model exited $?" >&2
done
