#!/usr/bin/env python3
"""Build Fixtures/pricing.json from the PyPI data package `genai-prices`.

    python3 -m venv /tmp/prices && /tmp/prices/bin/pip install genai-prices==0.2.3
    /tmp/prices/bin/python scripts/make_pricing.py            # writes Fixtures/pricing.json
    /tmp/prices/bin/python scripts/make_pricing.py --check    # exit 1 if the file would change

genai-prices ships its whole price list as Python data (`genai_prices/data.py`: a list of
`Provider`s, each with `ModelInfo`s whose `prices` are a `ModelPrice` or date-conditional
`ConditionalPrice`s, and whose `match` clauses say which model ids they price). This script
reads that list, keeps the text chat models of the providers the project talks to, resolves
date-conditional prices at --as-of (default: today, UTC), and writes, per model, USD per
million input and output tokens, cached input where it differs from input, prompt-length
tiers, the match clauses, and where the figure comes from.

Standard (non-batch) tier only: flex, priority and batch variants are left out. Cache writes
(Anthropic's 1.25x input) are left out too: our token usage counts cache reads only.

Local providers (ollama, openai-compatible) have no token price: `local_usd_per_second`
(default 0) times the request's compute seconds is their cost; edit it to price local
compute. The file is read by `PriceTable` (Sources/Providers/Pricing/PriceTable.swift).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from decimal import Decimal
from importlib import metadata
from pathlib import Path

try:
    from genai_prices import types as gp
    from genai_prices.data import providers as GENAI_PROVIDERS
except ImportError:
    sys.exit("make_pricing.py needs the PyPI package genai-prices: pip install genai-prices==0.2.3")

OUTPUT = Path(__file__).resolve().parent.parent / "Fixtures" / "pricing.json"

# Our provider name -> genai-prices provider id. Azure OpenAI, Azure AI Foundry model inference
# and Azure ML endpoints all bill through "azure" (which falls back to OpenAI's list).
PROVIDERS = {"openai": "openai", "anthropic": "anthropic", "gemini": "google", "azure": "azure"}
# Where a provider's models are looked up, in order (genai-prices' "azure" falls back to OpenAI).
AZURE = ["azure", "openai"]
FALLBACKS = {"azure-openai": AZURE, "azure-inference": AZURE, "azure-ml": AZURE}
LOCAL_PROVIDERS = ["ollama", "openai-compatible"]

# Ids of models that are not text chat models (speech, images, embeddings, realtime, search).
NOT_CHAT = re.compile(r"(tts|transcribe|realtime|audio|image|embedding|live|search|:free|^ft:|"
                      r"\.ft-|moderation|dall-e|whisper|davinci|babbage|curie|^ada$|computer-use)")
# Google's list also prices Claude on Vertex; those belong to the anthropic entry.
FOREIGN = {"google": re.compile(r"^claude")}
VERIFIED = re.compile(r"(?:verified|checked|as of)(?: on)? (\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def number(value: Decimal) -> float | int:
    """A Decimal as the shortest JSON number (2.5, 10, 0.075)."""
    return int(value) if value == value.to_integral_value() else float(value)


def clause(c: object) -> dict:
    """A genai-prices match clause as JSON: one of equals/starts_with/ends_with/contains/regex,
    or any_of / all_of lists of clauses."""
    if isinstance(c, gp.ClauseOr):
        return {"any_of": [clause(x) for x in c.or_]}
    if isinstance(c, gp.ClauseAnd):
        return {"all_of": [clause(x) for x in c.and_]}
    for cls, key, attr in ((gp.ClauseEquals, "equals", "equals"),
                           (gp.ClauseStartsWith, "starts_with", "starts_with"),
                           (gp.ClauseEndsWith, "ends_with", "ends_with"),
                           (gp.ClauseContains, "contains", "contains"),
                           (gp.ClauseRegex, "regex", "regex")):
        if isinstance(c, cls):
            return {key: getattr(c, attr)}
    raise ValueError(f"unknown genai-prices match clause {c!r}")


def base_and_tiers(price: object) -> tuple[Decimal, list[tuple[int, Decimal]]]:
    if isinstance(price, gp.TieredPrices):
        return price.base, [(t.start, t.price) for t in price.tiers]
    return price, []


def model_entry(provider: str, provider_id: str, urls: list[str], model: gp.ModelInfo, as_of: dt.date,
                package: str) -> dict | None:
    when = dt.datetime.combine(as_of, dt.time(12), tzinfo=dt.timezone.utc)
    prices = model.get_prices(when)
    if getattr(prices, "input_mtok", None) is None or getattr(prices, "output_mtok", None) is None:
        return None
    keys = {"input_per_million": "input_mtok", "output_per_million": "output_mtok",
            "cached_input_per_million": "cache_read_mtok"}
    entry: dict = {"provider": provider, "model": model.id}
    if model.name:
        entry["name"] = model.name
    entry["match"] = clause(model.match)
    tiers: dict[int, dict] = {}
    for out_key, attr in keys.items():
        value = getattr(prices, attr, None)
        if value is None:
            continue
        base, steps = base_and_tiers(value)
        if out_key == "cached_input_per_million" and base == base_and_tiers(prices.input_mtok)[0]:
            continue  # cached input costs the same as input: say nothing
        entry[out_key] = number(base)
        for start, tier_price in steps:
            tiers.setdefault(start, {"above_input_tokens": start})[out_key] = number(tier_price)
    if tiers:
        entry["tiers"] = [tiers[k] for k in sorted(tiers)]
    if model.deprecated:
        entry["deprecated"] = True
    dates = VERIFIED.findall(model.price_comments or "")
    entry["source"] = f"{package} genai_prices/data.py: provider {provider_id!r}, model {model.id!r}; " \
                      f"list prices at {urls[0] if urls else 'the provider pricing page'}"
    entry["date"] = max(dates) if dates else as_of.isoformat()
    entry["date_kind"] = "verified by genai-prices" if dates else "genai-prices release read on"
    return entry


def build(as_of: dt.date) -> dict:
    package = f"genai-prices {metadata.version('genai-prices')}"
    by_id = {p.id: p for p in GENAI_PROVIDERS}
    models: list = []
    for ours, theirs in PROVIDERS.items():
        p = by_id[theirs]
        for m in p.models:
            if NOT_CHAT.search(m.id) or (theirs in FOREIGN and FOREIGN[theirs].search(m.id)):
                continue
            entry = model_entry(ours, theirs, p.pricing_urls or [], m, as_of, package)
            if entry:
                models.append(entry)
    return {
        "version": 1,
        "currency": "USD",
        "unit": "per million tokens, standard tier (no batch, flex or priority)",
        "generated_by": "scripts/make_pricing.py",
        "source": f"PyPI package {package} (genai_prices/data.py)",
        "prices_resolved_at": as_of.isoformat(),
        "provider_fallbacks": FALLBACKS,
        "local_providers": LOCAL_PROVIDERS,
        "local_usd_per_second": 0,
        "models": models,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--as-of", type=dt.date.fromisoformat,
                        help="resolve date-dependent prices on this day (YYYY-MM-DD); default: "
                             "today, or with --check the day the existing file was made")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if the file differs from what would be written")
    args = parser.parse_args()
    as_of = args.as_of
    if as_of is None and args.check and args.output.exists():
        as_of = dt.date.fromisoformat(json.loads(args.output.read_text())["prices_resolved_at"])
    text = json.dumps(build(as_of or dt.datetime.now(dt.timezone.utc).date()), indent=2, sort_keys=True) + "\n"
    if args.check:
        same = args.output.exists() and args.output.read_text() == text
        print(f"{args.output}: {'up to date' if same else 'would change'}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    counts: dict[str, int] = {}
    for entry in json.loads(text)["models"]:
        counts[entry["provider"]] = counts.get(entry["provider"], 0) + 1
    print(f"wrote {args.output} ({', '.join(f'{k} {v}' for k, v in counts.items())} models)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
