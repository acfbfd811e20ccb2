#!/usr/bin/env python3
"""Write the synthetic cassettes of the cloud configurations of Fixtures/suites/receipts.json.

    python3 scripts/make_suite_synthetic.py [--bin .build/debug/orch-eval] [--config NAME]...

Cloud providers cannot be reached from here, so their cassettes are derived, never copied
from the golden answers: every answer a cloud model gives in these cassettes is the answer a
LIVE local model gave to the same conversation in the live cassettes of the same suite,
re-encoded in the cloud provider's documented wire format by the builders of
scripts/synthetic/ (the ones make_synthetic_cassettes.py uses):

  configuration       planner answers from          worker answers from
  gpt-4o-large        large-only (1.5B)             large-only (1.5B)
  gpt-4o-two-model    two-model  (1.5B)             two-model  (0.5B)
  anthropic-planner   large-only (1.5B)             - (rules workers)
  gemini-planner      large-only (1.5B)             - (rules workers)

How: a loopback server speaking OpenAI Chat Completions, Anthropic Messages and Gemini
generateContent answers `orch-eval run --record all` (so the request side of each
interaction is exactly what the Swift clients send); it looks the conversation up among the
live exchanges (by its user and assistant messages: the request text, the receipt text or
the item list) and answers with the live answer. Then each cassette is rewritten: URLs to
the provider's official base URL, latency from the latency model of scripts/synthetic/
(TTFT + output tokens / speed; gpt-4o 0.45 s + 131 tok/s, claude-sonnet-4-6 0.74 s +
104 tok/s, gemini-2.5-flash 0.49 s + 204.5 tok/s, gpt-4o-mini ASSUMED as gpt-4o: no
published figure was checked), and `origin: synthetic`. Token counts are the local model's
(Qwen tokenizer), standing in for the provider's. A conversation without a live answer
(a case not recorded live) gets no cassette, and the script names it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import anthropic as anthropic_wire  # noqa: E402
from synthetic import gemini as gemini_wire  # noqa: E402
from synthetic import openai as openai_wire  # noqa: E402
from synthetic.common import Timing  # noqa: E402

SUITE = ROOT / "Fixtures/suites/receipts.json"
CASSETTES = ROOT / "Cassettes/suites/receipts"
SOURCES = {"gpt-4o-large": "large-only", "gpt-4o-two-model": "two-model",
           "anthropic-planner": "large-only", "gemini-planner": "large-only"}
OFFICIAL = {"openai": "https://api.openai.com", "anthropic": "https://api.anthropic.com",
            "gemini": "https://generativelanguage.googleapis.com"}
TIMINGS = {"gpt-4o": openai_wire.GPT4O, "gpt-4o-mini": openai_wire.GPT4O,
           "anthropic": anthropic_wire.TIMING, "gemini": gemini_wire.TIMING}
GPT4O_MINI = openai_wire.Dialect("openai", openai_wire.OPENAI.url, openai_wire.OPENAI.headers, "gpt-4o-mini",
                                 "gpt-4o-mini-2024-07-18", "max_completion_tokens", openai_wire.GPT4O)
RECORDED_AT = "2026-12-02T00:00:00Z"


def text_of(content) -> str:
    if isinstance(content, str):
        return content
    return "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content or [])


def live_answers(configuration: str) -> dict:
    """Conversation key -> (answer text, input tokens, output tokens) of a live configuration."""
    answers = {}
    for path in sorted((CASSETTES / configuration).glob("*.json")):
        cassette = json.loads(path.read_text())
        if cassette["metadata"].get("origin") != "live":
            continue
        for exchange in cassette["interactions"]:
            body = exchange["request"]["body"].get("json") or {}
            response = (exchange["response"].get("body") or {}).get("json") or {}
            if exchange["response"]["status"] != 200 or not response.get("choices"):
                continue
            key = tuple((m["role"], text_of(m["content"])) for m in body.get("messages", []) if m["role"] != "system")
            usage = response.get("usage") or {}
            answers[key] = (response["choices"][0]["message"].get("content") or "", usage.get("prompt_tokens", 0),
                            usage.get("completion_tokens", 0))
    return answers


def conversation(provider: str, body: dict) -> tuple:
    if provider == "openai":
        return tuple((m["role"], text_of(m["content"])) for m in body["messages"] if m["role"] != "system")
    if provider == "anthropic":
        return tuple((m["role"], text_of(m["content"])) for m in body["messages"])
    return tuple(("assistant" if c["role"] == "model" else "user", text_of(c["parts"])) for c in body["contents"])


def answer(provider: str, body: dict, text: str, usage: dict, serial: int) -> dict:
    if provider == "openai":
        dialect = GPT4O_MINI if body.get("model") == "gpt-4o-mini" else openai_wire.OPENAI
        return dialect.completion(f"chatcmpl-SuiteSynth{serial:05d}", {"content": text}, "stop", usage)
    if provider == "anthropic":
        choice = body.get("tool_choice") or {}
        try:
            structured = choice.get("type") == "tool" and json.loads(text)
        except json.JSONDecodeError:
            structured = None  # a non-JSON answer stays text, as the live model gave it
        if isinstance(structured, dict):
            block = {"type": "tool_use", "id": f"toolu_01SuiteSynth{serial:012d}", "name": choice["name"], "input": structured}
            return anthropic_wire.message(f"msg_01SuiteSynth{serial:012d}", [block], "tool_use", usage)
        return anthropic_wire.message(f"msg_01SuiteSynth{serial:012d}", [{"type": "text", "text": text}], "end_turn", usage)
    return gemini_wire.response(f"SuiteSynth{serial:05d}", [{"text": text}], usage)


def serve(answers: dict, misses: list) -> ThreadingHTTPServer:
    lock = threading.Lock()
    counter = [0]

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the stdlib's name)
            body = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
            provider = "openai" if self.path.endswith("/chat/completions") else "anthropic" if self.path.endswith("/messages") else "gemini"
            found = answers.get(conversation(provider, body))
            with lock:
                counter[0] += 1
                serial = counter[0]
                if found is None:
                    misses.append(f"{provider} {self.path}: {conversation(provider, body)[-1][1][:80]!r}")
            if found is None:
                status, reply = 400, {"error": {"message": "no live answer for this conversation", "type": "invalid_request_error"}}
            else:
                status, reply = 200, answer(provider, body, found[0], {"input_tokens": found[1], "output_tokens": found[2]}, serial)
            data = json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def timing_for(url: str, body: dict) -> Timing:
    if "anthropic" in url:
        return TIMINGS["anthropic"]
    if "googleapis" in url:
        return TIMINGS["gemini"]
    return TIMINGS.get(body.get("model"), openai_wire.GPT4O)


def output_tokens(response: dict) -> int:
    usage = response.get("usage") or {}
    return usage.get("completion_tokens", usage.get("output_tokens", (response.get("usageMetadata") or {}).get("candidatesTokenCount", 0)))


def rewrite(path: Path, local: str, source: str) -> bool:
    """Official URLs, modelled latency, origin synthetic; False (file removed) when an exchange had no live answer."""
    cassette = json.loads(path.read_text())
    for exchange in cassette["interactions"]:
        if exchange["response"]["status"] != 200:
            path.unlink()
            return False
        request = exchange["request"]
        url = request["url"]
        for provider, official in OFFICIAL.items():
            prefix = f"{local}/{provider}"
            if url.startswith(prefix):
                request["url"] = official + url[len(prefix):]
        body = request["body"].get("json") or {}
        exchange["latency"] = timing_for(request["url"], body).whole(output_tokens(exchange["response"]["body"]["json"]))
        exchange["response"]["headers"] = {"content-type": "application/json"}
    cassette["metadata"] = {"origin": "synthetic", "recorded_at": RECORDED_AT, "recorded_by": "scripts/make_suite_synthetic.py",
                            "notes": f"synthetic: the live answers of configuration '{source}' to the same conversations, "
                                     "re-encoded in the provider's wire format; latency from the published-figures model "
                                     "of scripts/synthetic/, token counts the local model's; not a measurement of this provider"}
    path.write_text(json.dumps(cassette, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return True


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic cassettes of the suite's cloud configurations.")
    parser.add_argument("--bin", default=os.environ.get("ORCH_EVAL", str(ROOT / ".build/debug/orch-eval")))
    parser.add_argument("--config", action="append", choices=sorted(SOURCES), help="only this configuration (repeatable)")
    args = parser.parse_args()
    status = 0
    for name in args.config or sorted(SOURCES):
        source = SOURCES[name]
        misses: list[str] = []
        server = serve(live_answers(source), misses)
        local = f"http://127.0.0.1:{server.server_address[1]}"
        env = {**os.environ, "OPENAI_API_KEY": "synthetic", "ANTHROPIC_API_KEY": "synthetic", "GOOGLE_API_KEY": "synthetic",
               "OPENAI_BASE_URL": f"{local}/openai/v1", "ANTHROPIC_BASE_URL": f"{local}/anthropic",
               "GEMINI_BASE_URL": f"{local}/gemini"}
        folder = CASSETTES / name
        for old in folder.glob("*.json"):
            old.unlink()
        with tempfile.TemporaryDirectory() as out:
            run = subprocess.run([args.bin, "run", str(SUITE), "--config", name, "--record", "all", "--concurrency", "4",
                                  "--quiet", "--out", out], env=env, cwd=ROOT, capture_output=True, text=True)
        server.shutdown()
        kept = [p.stem for p in sorted(folder.glob("*.json")) if rewrite(p, local, source)]
        print(f"{name}: {len(kept)} synthetic cassettes from '{source}' ({', '.join(kept)})")
        for miss in misses:
            print(f"  no live answer, case left without a cassette: {miss}")
        if run.returncode not in (0, 1):
            print(run.stderr, file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
