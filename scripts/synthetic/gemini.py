"""Gemini generateContent cassettes (wire-formats.md §4): `x-goog-api-key`, `systemInstruction`,
`generationConfig` with `responseMimeType` + `responseSchema` in Gemini's upper-case Schema
dialect, function calls with object `args` (and a `thoughtSignature`), `usageMetadata` with
thinking tokens counted apart, and `streamGenerateContent?alt=sse`: `data:` events only,
running usage, the last chunk carries `finishReason`, no end sentinel."""

from __future__ import annotations

import json

from .common import MAX_TOKENS, PLAIN, STREAM, STRUCTURED, SYSTEM, TEMPERATURE, TOOL, WEATHER_TOOL, Timing, interaction, spread

MODEL = "gemini-2.5-flash"
BASE = f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}"
HEADERS = {"content-type": "application/json", "x-goog-api-key": "REDACTED"}
JSON = {"content-type": "application/json; charset=UTF-8"}
SSE = {"content-type": "text/event-stream"}
TIMING = Timing(0.49, 204.5)
THOUGHTS = 21  # thinking tokens of the plain answer: billed as output, not in candidatesTokenCount

# The schemas as Gemini's dialect writes them: upper-case types, no additionalProperties.
WEATHER_PARAMETERS = {"type": "OBJECT", "properties": {"city": {"type": "STRING"}}, "required": ["city"]}
ITEM_RESPONSE_SCHEMA = {"type": "OBJECT",
                        "properties": {"description": {"type": "STRING"}, "price": {"type": "NUMBER"}},
                        "required": ["description", "price"]}


def request(user: str, config: dict | None = None, tools: bool = False) -> dict:
    body = {"systemInstruction": {"parts": [{"text": SYSTEM}]},
            "contents": [{"role": "user", "parts": [{"text": user}]}],
            "generationConfig": {"temperature": TEMPERATURE, "maxOutputTokens": MAX_TOKENS, **(config or {})}}
    if tools:
        body["tools"] = [{"functionDeclarations": [{"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"],
                                                    "parameters": WEATHER_PARAMETERS}]}]
        body["toolConfig"] = {"functionCallingConfig": {"mode": "AUTO"}}
    return body


def usage(prompt: int, candidates: int, thoughts: int = 0) -> dict:
    out = {"promptTokenCount": prompt, "candidatesTokenCount": candidates,
           "totalTokenCount": prompt + candidates + thoughts,
           "promptTokensDetails": [{"modality": "TEXT", "tokenCount": prompt}]}
    if thoughts:
        out["thoughtsTokenCount"] = thoughts
    return out


def response(response_id: str, parts: list, case: dict, finish: str | None = "STOP", candidates: int | None = None,
             thoughts: int = 0, extra: dict | None = None) -> dict:
    candidate = {"content": {"parts": parts, "role": "model"}, "index": 0, **(extra or {})}
    if finish:
        candidate["finishReason"] = finish
    return {"candidates": [candidate],
            "usageMetadata": usage(case["input_tokens"], case["output_tokens"] if candidates is None else candidates, thoughts),
            "modelVersion": MODEL, "responseId": response_id}


def text_stream(response_id: str, case: dict, pieces: list[str]) -> list[tuple[str, int]]:
    """One event per piece with running usage; the last carries finishReason. Events end in
    CRLF CRLF, one of the three terminators Google's SDKs accept."""
    out, so_far = [], 0
    for i, (piece, per) in enumerate(zip(pieces, spread(case["output_tokens"], len(pieces)))):
        last = i == len(pieces) - 1
        so_far += per
        event = response(response_id, [{"text": piece}], case, "STOP" if last else None, candidates=so_far)
        out.append(("data: " + json.dumps(event, separators=(",", ": ")) + "\r\n\r\n", per))
    return out


def streamed(body: dict, events: list[tuple[str, int]]) -> dict:
    chunks, latency = TIMING.chunks(events)
    return interaction(f"{BASE}:streamGenerateContent?alt=sse", HEADERS, body, 200, SSE, latency, chunks=chunks)


def gemini_cassettes() -> dict[str, list[dict]]:
    generate = f"{BASE}:generateContent"
    plain = interaction(generate, HEADERS, request(PLAIN["user"]), 200, JSON,
                        TIMING.whole(PLAIN["output_tokens"] + THOUGHTS),
                        response("SynthPlain_gemini01", [{"text": PLAIN["answer"]}], PLAIN, thoughts=THOUGHTS))
    stream = streamed(request(STREAM["user"]), text_stream("SynthStream_gemini1", STREAM, STREAM["pieces"]))

    call = {"functionCall": {"name": "get_weather", "args": TOOL["args"]}, "thoughtSignature": "CpYCAXLI2nzSynthetic"}
    called = {"finishMessage": "Model generated function call(s)."}
    tool_plain = interaction(generate, HEADERS, request(TOOL["user"], tools=True), 200, JSON, TIMING.whole(TOOL["output_tokens"]),
                             response("SynthTool_gemini001", [call], TOOL, extra=called))
    tool_event = response("SynthToolStream_gem", [call], TOOL, extra=called)
    tool_stream = streamed(request(TOOL["user"], tools=True),
                           [("data: " + json.dumps(tool_event, separators=(",", ": ")) + "\r\n\r\n", TOOL["output_tokens"])])

    schema = {"responseMimeType": "application/json", "responseSchema": ITEM_RESPONSE_SCHEMA}
    answer = json.dumps(STRUCTURED["answer"])
    structured_plain = interaction(generate, HEADERS, request(STRUCTURED["user"], schema), 200, JSON,
                                   TIMING.whole(STRUCTURED["output_tokens"]),
                                   response("SynthStructured_gem", [{"text": answer}], STRUCTURED))
    structured_stream = streamed(request(STRUCTURED["user"], schema),
                                 text_stream("SynthStructStream_g", STRUCTURED, STRUCTURED["pieces"]))
    return {"gemini-plain": [plain], "gemini-stream": [stream],
            "gemini-tool": [tool_plain, tool_stream], "gemini-structured": [structured_plain, structured_stream]}
