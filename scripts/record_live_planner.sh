#!/usr/bin/env bash
# Records the local 1.5B planner answering every request of Fixtures/planner/requests.json
# into Cassettes/live/planner/ID.json (origin: live) and its `plan --json` answer into
# Fixtures/planner/live-answers/ID.json, which Tests/OrchEvalCLITests/LivePlannerTests.swift
# replays (docs/planner.md, "Live recordings"). Needs the
# qwen-1.5b server (scripts/models.sh of the models branch) on LOCAL_MODEL_URL (default
# http://127.0.0.1:8081/v1). One request at a time: the 2-core machine runs the model about
# 20 ms per prompt token when it is otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/.."
url="${LOCAL_MODEL_URL:-http://127.0.0.1:8081/v1}"
model="${PLANNER_MODEL:-qwen2.5-coder-1.5b-instruct}"
out=Cassettes/live/planner
answers=Fixtures/planner/live-answers
mkdir -p "$out" "$answers"
bin="${ORCH_EVAL:-.build/debug/orch-eval}"
[ -x "$bin" ] || swift build --product orch-eval
python3 -c 'import json,sys; [print(r["id"] + "\t" + r["request"]) for r in json.load(open("Fixtures/planner/requests.json"))]' |
while IFS=$'\t' read -r id request; do
    [ -f "$out/$id.json" ] && { echo "$id: recorded already"; continue; }
    echo "$id: $request" >&2
    LOCAL_MODEL_URL="$url" OCR_MODE=fixture "$bin" plan "$request" --provider openai-compatible --model "$model" \
        --cassette "$out/$id.json" --record once --json > "$answers/$id.json" || true
    python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); print(sys.argv[2], "valid" if a["plan"] is not None and not a["problems"] else "INVALID", "rounds", a["rounds"], [c["latency_ms"] for c in a["calls"]])' "$answers/$id.json" "$id"
done
