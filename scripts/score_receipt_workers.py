#!/usr/bin/env python3
"""Scores the receipt workers of an `orch-eval exec --json` run of Fixtures/plans/receipts_01_05.json
(or any plan whose steps are named parse-NN / categorize-NN for Fixtures/receipts/receipt-NN)
against the golden data: per receipt, whether the parsed items equal the golden items
(same quantities and totals in order; descriptions compared without case), how many golden
items got their golden category, and how many steps fell back to the rules.

    python3 scripts/score_receipt_workers.py RESULT.json [RESULT.json ...]
"""
import json
import sys


def items_match(parsed, golden):
    if len(parsed) != len(golden):
        return False
    for p, g in zip(parsed, golden):
        if abs(p.get("quantity", 0) - g["quantity"]) > 1e-6 or abs(p.get("total", 0) - g["total"]) > 0.005:
            return False
        if p.get("description", "").strip().lower() != g["description"].strip().lower():
            return False
    return True


def score(path):
    run = json.load(open(path))
    steps = run["steps"]
    receipts = sorted(k.split("-", 1)[1] for k in steps if k.startswith("parse-"))
    exact = categories_right = categories_total = fallbacks = model_steps = 0
    for r in receipts:
        golden = json.load(open(f"Fixtures/receipts/receipt-{r}.json"))["items"]
        parse = steps[f"parse-{r}"]
        out = parse.get("output", {})
        exact += items_match(out.get("items", []), golden)
        for step in (parse, steps.get(f"categorize-{r}", {})):
            if "model_calls" in step:
                model_steps += 1
                fallbacks += "fallback" in step.get("output", {})
        wanted = {g["description"].lower(): g["category"] for g in golden}
        for item in steps.get(f"categorize-{r}", {}).get("output", {}).get("categorized", []):
            key = item.get("description", "").lower()
            if key in wanted:
                categories_total += 1
                categories_right += item.get("category") == wanted[key]
    usage = run.get("usage", {}).get("total", {})
    print(f"{path}: items exact on {exact}/{len(receipts)} receipts; categories {categories_right}/{categories_total} "
          f"(of items whose description matched); fallbacks {fallbacks}/{model_steps} model steps; "
          f"{usage.get('calls', 0)} calls, {usage.get('input_tokens', 0)} in + {usage.get('output_tokens', 0)} out tokens, "
          f"{usage.get('latency_ms', 0) / 1000:.1f} s of model time")


for path in sys.argv[1:]:
    score(path)
