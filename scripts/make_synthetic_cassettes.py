#!/usr/bin/env python3
"""Write the synthetic cloud-provider cassettes: Cassettes/providers/synthetic/<provider>-<case>.json.

    python3 scripts/make_synthetic_cassettes.py           # rewrite them all
    python3 scripts/make_synthetic_cassettes.py --check   # exit 1 if any file would change

Cloud providers cannot be reached from the machine this project is built on, so their
cassettes are written here, by hand-made rules, in each provider's documented wire format
(../shared/reference/wire-formats.md: §1 OpenAI, §2 Azure OpenAI, §3 Anthropic, §4 Gemini,
§5 Ollama, §6 Azure AI model inference and Azure ML), streams included with each provider's
quirks (Azure's empty first chunk, Anthropic's `ping` and cumulative `message_delta` usage,
Gemini's stream without end sentinel and running `usageMetadata`, Ollama's NDJSON). Every
file says `"origin": "synthetic"`; nothing in them is a measurement of a real model.

Each provider gets four cassettes, the same four conversations (Azure ML `/score` has no tool
cassette: it has no tool-calling contract):
  plain       "Say hello." -> "Hello!"                         (not streamed)
  stream      "Count to five." -> "1, 2, 3, 4, 5."             (streamed)
  tool        weather in Paris -> get_weather({"city":"Paris"}) (plain and streamed)
  structured  "Milk 2.49" -> {"description":"Milk","price":2.49} (plain and streamed)

The request side of each interaction is what the provider documents for that conversation;
the clients in Sources/Providers must send exactly that JSON (matching compares JSON values),
so replaying these cassettes also checks the clients' request encoding.

Latency model (the only timing in these files, and not a measurement): a response starts
after the model's time to first token (TTFT) and its output tokens then arrive at the
model's output speed. A non-streamed answer arrives whole when its last token does. Figures,
medians as published:
  gpt-4o (openai, azure-openai): TTFT 0.45 s, 131 tokens/s - Artificial Analysis medians as
      cited by induwara.lk/tools/ai-llm-speed-comparison (verified 2026-06-24)
  claude-sonnet-4-6 (anthropic): TTFT 0.74 s, 104 tokens/s - same source
  gemini-2.5-flash (gemini): TTFT 0.49 s (modelstats.ai, April 2026), 204.5 tokens/s
      (kunalganglani.com LLM API latency benchmarks, March 2026)
  qwen2.5-coder:0.5b (ollama): TTFT 0.3 s, 30 tokens/s - measured on this project's 2-core
      machine with llama-cpp-python (../shared/reference/local-models.md)
  Phi-3-mini on Azure (azure-ml, azure-inference): no published figure found; ASSUMED
      TTFT 0.5 s, 60 tokens/s.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Cassettes" / "providers" / "synthetic"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic.anthropic import anthropic_cassettes  # noqa: E402
from synthetic.gemini import gemini_cassettes  # noqa: E402
from synthetic.ollama import ollama_cassettes  # noqa: E402
from synthetic.openai import openai_family_cassettes  # noqa: E402

RECORDED_AT = "2026-12-02T00:00:00Z"
NOTES = ("synthetic: written by scripts/make_synthetic_cassettes.py in the provider's documented "
         "wire format; latencies from a published-figures model, not measured")


def all_cassettes() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for make in (openai_family_cassettes, anthropic_cassettes, gemini_cassettes, ollama_cassettes):
        out.update(make())
    return out


def render(interactions: list[dict]) -> str:
    cassette = {"format_version": 1, "interactions": interactions,
                "metadata": {"notes": NOTES, "origin": "synthetic", "recorded_at": RECORDED_AT,
                             "recorded_by": "scripts/make_synthetic_cassettes.py"}}
    return json.dumps(cassette, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic provider cassettes.")
    parser.add_argument("--check", action="store_true", help="exit 1 if a file would change")
    args = parser.parse_args()
    stale = []
    for name, interactions in sorted(all_cassettes().items()):
        path = OUT / f"{name}.json"
        text = render(interactions)
        if args.check:
            if not path.exists() or path.read_text() != text:
                stale.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)} ({len(interactions)} interactions)")
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} would change")
        return 1 if stale else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
