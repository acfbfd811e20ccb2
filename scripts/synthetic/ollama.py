"""Ollama /api/chat cassettes (wire-formats.md §5): `stream` sent explicitly, `format` holding a
JSON Schema, `options`, tool calls with object `arguments` and `function.index`, NDJSON streams
ending in a `done: true` object with the metrics (durations in nanoseconds)."""

from __future__ import annotations

import json

from .common import ITEM_SCHEMA, MAX_TOKENS, PLAIN, STREAM, STRUCTURED, SYSTEM, TEMPERATURE, TOOL, WEATHER_TOOL, Timing, interaction, spread

MODEL = "qwen2.5-coder:0.5b"
URL = "http://localhost:11434/api/chat"
HEADERS = {"content-type": "application/json"}
JSON = {"content-type": "application/json; charset=utf-8"}
NDJSON = {"content-type": "application/x-ndjson"}
TTFT_S, SPEED = 0.3, 30
TIMING = Timing(TTFT_S, SPEED)
CREATED = "2026-12-02T11:00:00.385406455+01:00"  # RFC 3339 with nanoseconds and a local offset


def request(user: str, stream: bool, tools: bool = False, schema: dict | None = None) -> dict:
    body = {"model": MODEL, "stream": stream,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
            "options": {"temperature": TEMPERATURE, "num_predict": MAX_TOKENS}}
    if tools:
        body["tools"] = [{"type": "function", "function": {"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"],
                                                           "parameters": WEATHER_TOOL["schema"]}}]
    if schema:
        body["format"] = schema
    return body


def metrics(case: dict) -> dict:
    """The final object's metrics, consistent with the timing model (nanoseconds)."""
    prompt_ns = int(TTFT_S * 1e9) - 1_334_875
    eval_ns = int(case["output_tokens"] / SPEED * 1e9)
    return {"done": True, "done_reason": "stop", "total_duration": 1_334_875 + prompt_ns + eval_ns,
            "load_duration": 1_334_875, "prompt_eval_count": case["input_tokens"], "prompt_eval_duration": prompt_ns,
            "eval_count": case["output_tokens"], "eval_duration": eval_ns}


def whole(message: dict, case: dict) -> dict:
    return {"model": MODEL, "created_at": CREATED, "message": {"role": "assistant", **message}, **metrics(case)}


def line(obj: dict) -> str:
    return json.dumps(obj, separators=(",", ":")) + "\n"


def streamed(body: dict, messages: list[dict], case: dict) -> dict:
    lines = [(line({"model": MODEL, "created_at": CREATED, "message": {"role": "assistant", **m}, "done": False}), n)
             for m, n in zip(messages, spread(case["output_tokens"], len(messages)))]
    lines.append((line(whole({"content": ""}, case)), 0))
    chunks, latency = TIMING.chunks(lines)
    return interaction(URL, HEADERS, body, 200, NDJSON, latency, chunks=chunks)


def ollama_cassettes() -> dict[str, list[dict]]:
    plain = interaction(URL, HEADERS, request(PLAIN["user"], False), 200, JSON, TIMING.whole(PLAIN["output_tokens"]),
                        whole({"content": PLAIN["answer"]}, PLAIN))
    stream = streamed(request(STREAM["user"], True), [{"content": p} for p in STREAM["pieces"]], STREAM)

    call = {"content": "", "tool_calls": [{"id": "call_synth_weather", "function": {"index": 0, "name": "get_weather", "arguments": TOOL["args"]}}]}
    tool_plain = interaction(URL, HEADERS, request(TOOL["user"], False, tools=True), 200, JSON,
                             TIMING.whole(TOOL["output_tokens"]), whole(call, TOOL))
    tool_stream = streamed(request(TOOL["user"], True, tools=True), [call], TOOL)

    answer = json.dumps(STRUCTURED["answer"])
    structured_plain = interaction(URL, HEADERS, request(STRUCTURED["user"], False, schema=ITEM_SCHEMA), 200, JSON,
                                   TIMING.whole(STRUCTURED["output_tokens"]), whole({"content": answer}, STRUCTURED))
    structured_stream = streamed(request(STRUCTURED["user"], True, schema=ITEM_SCHEMA),
                                 [{"content": p} for p in STRUCTURED["pieces"]], STRUCTURED)
    return {"ollama-plain": [plain], "ollama-stream": [stream],
            "ollama-tool": [tool_plain, tool_stream], "ollama-structured": [structured_plain, structured_stream]}
