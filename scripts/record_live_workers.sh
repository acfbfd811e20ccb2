#!/usr/bin/env bash
# Records the receipt workers with real local models in the two set-ups the evaluation
# compares, into Cassettes/live/workers/SETUP-PLAN.json (origin: live), and the run result
# into Fixtures/planner/live-answers/SETUP-PLAN.json, which
# Tests/OrchEvalCLITests/LiveWorkerTests.swift replays:
#   large-only: the 1.5B (LOCAL_MODEL_URL, default :8081) does the worker steps;
#   two-model:  the 0.5B (WORKER_MODEL_URL, default :8082) does them.
# Plans: the seed's hybrid plan, and Fixtures/plans/receipts_01_05.json (five receipts), one
# step at a time (the servers answer one request at a time). Scores with
# scripts/score_receipt_workers.py. SETUPS="two-model" records one set-up only.
set -euo pipefail
cd "$(dirname "$0")/.."
large="${LOCAL_MODEL_URL:-http://127.0.0.1:8081/v1}"
small="${WORKER_MODEL_URL:-http://127.0.0.1:8082/v1}"
bin="${ORCH_EVAL:-.build/debug/orch-eval}"
[ -x "$bin" ] || swift build --product orch-eval
mkdir -p Cassettes/live/workers Fixtures/planner/live-answers
for setup in ${SETUPS:-large-only two-model}; do
    if [ "$setup" = large-only ]; then
        env=(SMALL_MODEL_BACKEND=planner PLANNER_PROVIDER=openai-compatible PLANNER_MODEL=qwen2.5-coder-1.5b-instruct)
    else
        env=(SMALL_MODEL_BACKEND=openai-compatible WORKER_MODEL_URL="$small" WORKER_MODEL=qwen2.5-coder-0.5b-instruct)
    fi
    for plan in example_plan_hybrid receipts_01_05; do
        name="$setup-$plan"
        [ -f "Cassettes/live/workers/$name.json" ] && { echo "$name: recorded already"; continue; }
        echo "$name" >&2
        env OCR_MODE=fixture USE_SMALL_MODEL=true LOCAL_MODEL_URL="$large" "${env[@]}" "$bin" exec "Fixtures/plans/$plan.json" \
            --json --max-concurrency 1 --default-timeout 900 --cassette "Cassettes/live/workers/$name.json" --record once \
            > "Fixtures/planner/live-answers/$name.json" || true
        python3 scripts/score_receipt_workers.py "Fixtures/planner/live-answers/$name.json" || true
    done
done
