#!/usr/bin/env python3
"""Writes Fixtures/suites/receipts.json: the committed evaluation suite (docs/suites.md).

Deterministic: the same golden data gives the same file. Expected values are computed here
from the receipts' golden JSON (Fixtures/receipts/NAME.json) and from the arithmetic the
requests ask for, never copied from a run's output.

    python3 scripts/make_suite.py                 # synthetic configurations keep the cases they have cassettes for
    python3 scripts/make_suite.py --all-synthetic # they list the whole live subset (before make_suite_synthetic.py)
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RECEIPTS = [f"receipt-{n:02d}" for n in range(1, 41)]

PHRASINGS = {
    "itemize": [
        "Read the receipt at {img} and list every item with its quantity and price.",
        "What did I buy? Here is the receipt: {img}",
        "Extract the line items and the total from {img}.",
        "Please itemize this receipt ({img}) and tell me what it came to.",
    ],
    "categorize": [
        "Sort the purchases on {img} into expense categories and summarize spending per category.",
        "How much did I spend per category on the receipt {img}?",
    ],
    "hybrid": [
        "Process receipt {img}: count the items, categorize them, total them up and add 8% tax.",
        "For {img}: how many items are there, what do they add up to, and what is 8% tax on that?",
    ],
}


def step(id, tool, input, depends_on=(), mode="parallel"):
    return {"id": id, "tool": tool, "input": input, "depends_on": list(depends_on), "mode": mode}


def receipt_case(index, name):
    golden = json.loads((ROOT / "Fixtures/receipts" / f"{name}.json").read_text())
    img = f"Fixtures/receipts/{name}.png"
    kind = ["itemize", "itemize", "categorize", "hybrid"][index % 4]
    phrasings = PHRASINGS[kind]
    request = phrasings[(index // 4) % len(phrasings)].format(img=img)
    items = [{"description": i["description"], "quantity": i["quantity"], "total": i["total"]} for i in golden["items"]]
    steps = [
        step("ocr", "receipt_ocr", {"image_uri": img}),
        step("parse", "line_item_parser", {"ocr_text": "step:ocr"}, ["ocr"], "sequential"),
    ]
    assertions = [
        {"name": "items", "kind": "item_list_f1", "select": "step:parse.items", "expected": items, "min_f1": 0.8},
        {"name": "receipt total", "kind": "approx", "select": "step:parse.total", "expected": golden["total"], "abs": 0.01},
        {"name": "latency budget", "kind": "max_latency", "ms": 60000},
    ]
    if kind in ("categorize", "hybrid"):
        steps.append(step("categorize", "expense_categorizer", {"items": "step:parse"}, ["parse"]))
        steps.append(step("stats", "function_call", {"name": "compute_item_statistics", "args": {"items": "step:categorize"}}, ["categorize"]))
        categories = sorted({i["category"] for i in golden["items"]})
        assertions.append({"name": "item count", "kind": "equals", "select": "step:stats.result.count", "expected": len(items)})
        for category in categories:
            total = round(sum(i["total"] for i in golden["items"] if i["category"] == category), 2)
            assertions.append({"name": f"{category} spending", "kind": "approx",
                               "select": f"step:stats.result.categories.{category}.total", "expected": total, "abs": 0.01})
    if kind == "hybrid":
        steps.append(step("count", "code_exec", {
            "code": "items = input['parsed']['items']; output = {'item_count': len(items), 'descriptions': [i['description'] for i in items]}",
            "input_data": {"parsed": "step:parse"}}, ["parse"], "sequential"))
        steps.append(step("sum", "function_call", {"name": "merge_items", "args": {"items": "step:parse"}}, ["parse"], "sequential"))
        steps.append(step("tax", "function_call", {"name": "compute_tax", "args": {"amount": "step:sum.result.total_sum", "tax_rate": 0.08}},
                          ["sum"], "sequential"))
        item_sum = round(sum(i["total"] for i in golden["items"]), 2)
        assertions += [
            {"name": "counted items", "kind": "equals", "select": "step:count.output.item_count", "expected": len(items)},
            {"name": "descriptions", "kind": "set_equal", "select": "step:count.output.descriptions",
             "expected": [i["description"] for i in golden["items"]]},
            {"name": "item sum", "kind": "approx", "select": "step:sum.result.total_sum", "expected": item_sum, "abs": 0.01},
            {"name": "8% tax", "kind": "approx", "select": "step:tax.result", "expected": round(item_sum * 0.08, 2), "abs": 0.011},
        ]
    plan = {"request_id": f"{name}-{kind}", "steps": steps,
            "final_synthesis": {"prompt_template": "Receipt summary for " + img + "\n\n{{steps}}", "meta": {}}}
    return {"id": f"{name}-{kind}", "request": request, "inputs": {"image": img}, "golden_plan": plan,
            "assertions": assertions, "tags": ["receipt", kind]}


GROCERIES = [
    {"description": "Milk", "quantity": 2, "unit_price": 1.49, "total": 2.98, "category": "beverage"},
    {"description": "Bread", "quantity": 1, "unit_price": 2.75, "total": 2.75, "category": "food"},
    {"description": "Coffee", "quantity": 1, "unit_price": 8.99, "total": 8.99, "category": "beverage"},
    {"description": "Dish Soap", "quantity": 3, "unit_price": 2.19, "total": 6.57, "category": "household"},
    {"description": "Apples", "quantity": 6, "unit_price": 0.55, "total": 3.30, "category": "food"},
]


def fn(id, name, args, depends_on=()):
    return step(id, "function_call", {"name": name, "args": args}, depends_on)


def other_cases():
    def case(id, request, steps, assertions, tags, synthesis=None):
        plan = {"request_id": id, "steps": steps}
        if synthesis:
            plan["final_synthesis"] = {"prompt_template": synthesis, "meta": {}}
        entry = {"id": id, "request": request, "golden_plan": plan, "assertions": assertions, "tags": tags}
        # "these items": the planner is given them (SuiteCase.plannerRequest), as a user would.
        if "these" in request:
            entry["inputs"] = {"items": GROCERIES}
        return entry

    total = round(sum(i["total"] for i in GROCERIES), 2)
    beverages = [i for i in GROCERIES if i["category"] == "beverage"]
    code = lambda id, src, data, deps=(): step(id, "code_exec", {"code": src, "input_data": data}, deps)
    return [
        case("tax-simple", "What is the sales tax on $84.20 at 8.25%?",
             [fn("tax", "compute_tax", {"amount": 84.20, "tax_rate": 0.0825})],
             [{"name": "tax", "kind": "approx", "select": "step:tax.result", "expected": round(84.20 * 0.0825, 2), "abs": 0.005}],
             ["arithmetic", "tax"]),
        case("tax-default-rate", "Work out the tax on a 250 dollar bill at the default rate.",
             [fn("tax", "compute_tax", {"amount": 250})],
             [{"name": "tax at 7%", "kind": "equals", "select": "step:tax.result", "expected": 17.5}], ["arithmetic", "tax"]),
        case("discount-15", "Take 15% off $120.",
             [fn("discount", "apply_discount", {"amount": 120, "discount_percent": 15})],
             [{"name": "final", "kind": "approx", "select": "step:discount.result.final", "expected": 102, "abs": 0.005},
              {"name": "discount", "kind": "approx", "select": "step:discount.result.discount", "expected": 18, "abs": 0.005}],
             ["arithmetic", "discount"]),
        case("discount-then-tax", "A $59.99 jacket is 20% off; what is the tax at 6% on the discounted price?",
             [fn("discount", "apply_discount", {"amount": 59.99, "discount_percent": 20}),
              fn("tax", "compute_tax", {"amount": "step:discount.result.final", "tax_rate": 0.06}, ["discount"])],
             [{"name": "tax", "kind": "approx", "select": "step:tax.result", "expected": round(round(59.99 * 0.8, 2) * 0.06, 2), "abs": 0.005}],
             ["arithmetic", "discount", "tax"]),
        case("statistics-groceries", "Give me statistics for these groceries: count, total and spending per category.",
             [fn("stats", "compute_item_statistics", {"items": GROCERIES})],
             [{"name": "count", "kind": "equals", "select": "step:stats.result.count", "expected": len(GROCERIES)},
              {"name": "total", "kind": "approx", "select": "step:stats.result.total_amount", "expected": total, "abs": 0.005},
              {"name": "beverage total", "kind": "approx", "select": "step:stats.result.categories.beverage.total",
               "expected": round(sum(i["total"] for i in beverages), 2), "abs": 0.005}],
             ["statistics"]),
        case("merge-groceries", "Add up these grocery items and give the average line total.",
             [fn("merge", "merge_items", {"items": GROCERIES})],
             [{"name": "sum", "kind": "approx", "select": "step:merge.result.total_sum", "expected": total, "abs": 0.005},
              {"name": "average", "kind": "approx", "select": "step:merge.result.avg_total", "expected": round(total / len(GROCERIES), 2), "abs": 0.005}],
             ["statistics"]),
        case("filter-beverages-total", "Which of these items are beverages, and what did they cost together?",
             [fn("filter", "filter_items_by_category", {"items": GROCERIES, "category": "beverage"}),
              fn("merge", "merge_items", {"items": "step:filter.result"}, ["filter"])],
             [{"name": "beverages", "kind": "set_equal", "select": "step:filter.result", "expected": beverages},
              {"name": "beverage sum", "kind": "approx", "select": "step:merge.result.total_sum",
               "expected": round(sum(i["total"] for i in beverages), 2), "abs": 0.005}],
             ["statistics", "filter"]),
        case("code-uppercase-sorted", "List these item names in capitals, alphabetically.",
             [code("upper", "output = sorted(i['description'].upper() for i in input['items'])", {"items": GROCERIES})],
             [{"name": "names", "kind": "equals", "select": "step:upper.output",
               "expected": sorted(i["description"].upper() for i in GROCERIES)}],
             ["code_exec", "transform"]),
        case("code-median-price", "What is the median unit price of these items?",
             [code("median", "p = sorted(i['unit_price'] for i in input['items']); n = len(p); output = {'median': p[n // 2] if n % 2 else (p[n // 2 - 1] + p[n // 2]) / 2}",
                   {"items": GROCERIES})],
             [{"name": "median", "kind": "approx", "select": "step:median.output.median",
               "expected": sorted(i["unit_price"] for i in GROCERIES)[len(GROCERIES) // 2], "rel": 1e-9}],
             ["code_exec", "statistics"]),
        case("code-currency", "Convert these item totals to euros at 0.92 and total them.",
             [code("convert", "rows = [{'description': i['description'], 'eur': round(i['total'] * input['rate'], 2)} for i in input['items']]; output = {'rows': rows, 'total_eur': round(sum(r['eur'] for r in rows), 2)}",
                   {"items": GROCERIES, "rate": 0.92})],
             [{"name": "total in euros", "kind": "approx", "select": "step:convert.output.total_eur",
               "expected": round(sum(round(i["total"] * 0.92, 2) for i in GROCERIES), 2), "abs": 0.011},
              {"name": "first row", "kind": "contains", "select": "step:convert.output.rows",
               "expected": {"description": "Milk", "eur": round(2.98 * 0.92, 2)}}],
             ["code_exec", "transform"]),
        case("code-group-by-category", "Group these items by category with a subtotal each, then add 7% tax to the whole.",
             [code("group", "g = {}\nfor i in input['items']:\n    g[i['category']] = round(g.get(i['category'], 0) + i['total'], 2)\noutput = g",
                   {"items": GROCERIES}),
              fn("merge", "merge_items", {"items": GROCERIES}),
              fn("tax", "compute_tax", {"amount": "step:merge.result.total_sum"}, ["merge"])],
             [{"name": "food subtotal", "kind": "approx", "select": "step:group.output.food",
               "expected": round(sum(i["total"] for i in GROCERIES if i["category"] == "food"), 2), "abs": 0.005},
              {"name": "tax", "kind": "approx", "select": "step:tax.result", "expected": round(total * 0.07, 2), "abs": 0.005},
              {"name": "synthesis names the tax step", "kind": "regex", "select": "synthesis", "pattern": "tax \\(function_call\\): succeeded"},
              {"name": "cost budget", "kind": "max_cost", "usd": 0.01}],
             ["code_exec", "tax"], synthesis="Grouped spending:\n\n{{steps}}"),
        case("synthesis-report", "Compute tax at 5% on $19.99 and write me a one-line summary.",
             [fn("tax", "compute_tax", {"amount": 19.99, "tax_rate": 0.05})],
             [{"name": "summary gives the tax", "kind": "regex", "select": "synthesis", "pattern": "\\{\"result\":1(\\.0+)?\\}"},
              {"name": "summary names the step", "kind": "contains", "select": "synthesis", "expected": "### tax (function_call): succeeded"}],
             ["synthesis", "tax"], synthesis="Tax summary\n\n{{steps}}"),
    ]


# The live subset: the cases recorded live from the local models
# (scripts/record_live_suite.sh): twelve receipt cases and four without a receipt (the
# planner alone: arithmetic, statistics, code_exec). The live configurations and the
# synthetic ones derived from them cover exactly these.
LIVE_RECEIPTS = [f"receipt-{n:02d}-{kind}" for n, kind in zip(range(1, 13), ["itemize", "itemize", "categorize", "hybrid"] * 3)]
LIVE_SUBSET = LIVE_RECEIPTS + ["tax-simple", "discount-then-tax", "statistics-groceries", "code-median-price"]
# The worker models alone on golden plans (recorded with `orch-eval run … --config
# small-workers|large-workers --record missing --concurrency 1`).
WORKER_SUBSETS = {"large": LIVE_RECEIPTS, "small": LIVE_RECEIPTS}
SYNTHETIC = "SYNTHETIC cassettes: "
CLOUD_MODELS = [("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("anthropic", "claude-sonnet-4-6"), ("gemini", "gemini-2.5-flash")]
LOCAL_MODELS = ["qwen2.5-coder-1.5b-instruct", "qwen2.5-coder-0.5b-instruct"]
# Local models cost their compute time: $0.50 per hour of the 2-core machine (about the
# on-demand price of a 2-vCPU cloud VM), the same for both sizes, so their cost ratio is
# their latency ratio.
LOCAL_USD_PER_HOUR = 0.5


def prices():
    """Cloud models at Fixtures/pricing.json's list prices; local models by compute time."""
    table = json.loads((ROOT / "Fixtures/pricing.json").read_text())
    models = {}
    for provider, model in CLOUD_MODELS:
        entry = next(m for m in table["models"] if m["provider"] == provider and m["model"] == model)
        models[f"{provider}/{model}"] = {"input_per_million": entry["input_per_million"], "output_per_million": entry["output_per_million"]}
    for model in LOCAL_MODELS:
        models[f"openai-compatible/{model}"] = {"per_second": LOCAL_USD_PER_HOUR / 3600}
    return {"source": f"cloud: Fixtures/pricing.json ({table['source']}, read {table['prices_resolved_at']}); "
                      f"local: compute time at ${LOCAL_USD_PER_HOUR:.2f}/hour (scripts/make_suite.py)", "models": models}


def main():
    cases = [receipt_case(i, name) for i, name in enumerate(RECEIPTS)] + other_cases()
    receipts = [c["id"] for c in cases if "receipt" in c["tags"]]
    live_subset = [c["id"] for c in cases if c["id"] in LIVE_SUBSET]
    worker_subsets = {size: [c for c in receipts if c in cases_] for size, cases_ in WORKER_SUBSETS.items()}
    local_large = {"provider": "openai-compatible", "model": "qwen2.5-coder-1.5b-instruct"}
    local_small = {"provider": "openai-compatible", "model": "qwen2.5-coder-0.5b-instruct"}
    # Where scripts/models.sh serves each model; replay asks the recorded URLs.
    large_server = {"LOCAL_MODEL_URL": "http://127.0.0.1:8081/v1"}
    two_servers = {**large_server, "WORKER_MODEL_URL": "http://127.0.0.1:8082/v1"}
    suite = {
        "format_version": 1,
        "name": "receipts",
        "description": "Receipt requests over the fixture receipts (golden data from scripts/make_receipts.py) plus arithmetic, statistics and code_exec requests. Written by scripts/make_suite.py.",
        "prices": prices(),
        "thresholds": {"max_cost_increase": 0.05, "max_quality_drop": 0.02, "max_latency_increase": 0.10},
        "headline": {"baseline": "large-only", "candidate": "two-model"},
        "configurations": [
            {"name": "rules-only", "description": "golden plans run by the built-in receipt workers (no model)",
             "planner": "golden", "workers": {"kind": "rules"}, "ocr_mode": "fixture"},
            {"name": "large-only", "description": "the local 1.5B model plans and does the worker steps",
             "planner": local_large, "workers": {"kind": "large", "model": local_large}, "ocr_mode": "fixture", "cases": live_subset,
             "environment": large_server},
            {"name": "two-model", "description": "the local 1.5B model plans, the 0.5B model does the worker steps",
             "planner": local_large, "workers": {"kind": "small", "model": local_small}, "ocr_mode": "fixture", "cases": live_subset,
             "environment": two_servers},
            # The worker models alone on the golden plans: their accuracy apart from the planner's.
            {"name": "large-workers", "description": "golden plans; the local 1.5B model does the worker steps",
             "planner": "golden", "workers": {"kind": "large", "model": local_large}, "ocr_mode": "fixture", "cases": worker_subsets["large"],
             "environment": large_server},
            {"name": "small-workers", "description": "golden plans; the local 0.5B model does the worker steps",
             "planner": "golden", "workers": {"kind": "small", "model": local_small}, "ocr_mode": "fixture", "cases": worker_subsets["small"],
             "environment": {"WORKER_MODEL_URL": two_servers["WORKER_MODEL_URL"]}},
            # Synthetic (scripts/make_suite_synthetic.py): the live answers above re-encoded in
            # each cloud provider's wire format, so they cover the live subset only.
            {"name": "gpt-4o-large", "description": SYNTHETIC + "large-only's answers as gpt-4o's",
             "planner": {"provider": "openai", "model": "gpt-4o"},
             "workers": {"kind": "large", "model": {"provider": "openai", "model": "gpt-4o"}}, "ocr_mode": "fixture", "cases": live_subset},
            {"name": "gpt-4o-two-model", "description": SYNTHETIC + "two-model's answers as gpt-4o's (planner) and gpt-4o-mini's (workers)",
             "planner": {"provider": "openai", "model": "gpt-4o"},
             "workers": {"kind": "small", "model": {"provider": "openai", "model": "gpt-4o-mini"}}, "ocr_mode": "fixture", "cases": live_subset},
            {"name": "anthropic-planner", "description": SYNTHETIC + "large-only's planner answers as claude-sonnet-4-6's; rules workers",
             "planner": {"provider": "anthropic", "model": "claude-sonnet-4-6"},
             "workers": {"kind": "rules"}, "ocr_mode": "fixture", "cases": live_subset},
            {"name": "gemini-planner", "description": SYNTHETIC + "large-only's planner answers as gemini-2.5-flash's; rules workers",
             "planner": {"provider": "gemini", "model": "gemini-2.5-flash"},
             "workers": {"kind": "rules"}, "ocr_mode": "fixture", "cases": live_subset},
        ],
        "cases": cases,
    }
    # Synthetic configurations cover the live cases that make_suite_synthetic.py could
    # derive (a conversation without a live answer gets no cassette).
    for c in suite["configurations"]:
        if c.get("description", "").startswith(SYNTHETIC) and "--all-synthetic" not in sys.argv:
            folder = ROOT / "Cassettes/suites/receipts" / c["name"]
            c["cases"] = [case for case in c["cases"] if (folder / f"{case}.json").exists()]
    # A configuration whose live subset is empty (nothing recorded yet) is left out.
    suite["configurations"] = [c for c in suite["configurations"] if c.get("cases") != []]
    out = ROOT / "Fixtures/suites/receipts.json"
    out.write_text(json.dumps(suite, indent=2, sort_keys=True) + "\n")
    print(f"wrote {out.relative_to(ROOT)}: {len(cases)} cases")


if __name__ == "__main__":
    main()
