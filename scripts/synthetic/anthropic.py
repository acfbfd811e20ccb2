"""Anthropic Messages cassettes (wire-formats.md §3): top-level `system`, `max_tokens` always
sent, structured output by a forced tool, SSE with `event:` lines, `ping`, `input_json_delta`,
cumulative usage in `message_delta`, no `[DONE]`."""

from __future__ import annotations

from .common import (MAX_TOKENS, PLAIN, STREAM, STRUCTURED, SYSTEM, TEMPERATURE, TOOL, WEATHER_TOOL,
                     ITEM_SCHEMA, Timing, interaction, spread, sse)

MODEL = "claude-sonnet-4-6"
URL = "https://api.anthropic.com/v1/messages"
HEADERS = {"anthropic-version": "2023-06-01", "content-type": "application/json", "x-api-key": "REDACTED"}
JSON = {"content-type": "application/json"}
SSE = {"content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache"}
TIMING = Timing(0.74, 104)
STRUCTURED_TOOL_DESCRIPTION = "Give the answer as this tool's input; it must follow the input schema."


def request(user: str, stream: bool = False, tools: list | None = None, tool_choice: dict | None = None) -> dict:
    body = {"model": MODEL, "max_tokens": MAX_TOKENS, "system": SYSTEM, "temperature": TEMPERATURE,
            "messages": [{"role": "user", "content": user}]}
    if tools:
        body["tools"] = tools
        body["tool_choice"] = tool_choice
    if stream:
        body["stream"] = True
    return body


def usage(input_tokens: int, output_tokens: int) -> dict:
    return {"input_tokens": input_tokens, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 0,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
            "output_tokens": output_tokens, "service_tier": "standard"}


def message(msg_id: str, content: list, stop_reason: str, case: dict) -> dict:
    return {"id": msg_id, "type": "message", "role": "assistant", "model": MODEL, "content": content,
            "stop_reason": stop_reason, "stop_sequence": None,
            "usage": usage(case["input_tokens"], case["output_tokens"])}


def event_stream(msg_id: str, case: dict, blocks: list[tuple[dict, list[dict]]], stop_reason: str) -> list[tuple[str, int]]:
    """Events for content `blocks` ((start block, deltas) pairs), one chunk per event; the
    output tokens are spread over the deltas."""
    start = {"type": "message_start", "message": {
        "id": msg_id, "type": "message", "role": "assistant", "model": MODEL, "content": [],
        "stop_reason": None, "stop_sequence": None, "usage": usage(case["input_tokens"], 1)}}
    out = [(sse(start, "message_start"), 0)]
    tokens = iter(spread(case["output_tokens"], sum(len(d) for _, d in blocks)))
    for index, (block, block_deltas) in enumerate(blocks):
        out.append((sse({"type": "content_block_start", "index": index, "content_block": block}, "content_block_start"), 0))
        if index == 0:
            out.append((sse({"type": "ping"}, "ping"), 0))
        for delta in block_deltas:
            out.append((sse({"type": "content_block_delta", "index": index, "delta": delta}, "content_block_delta"), next(tokens)))
        out.append((sse({"type": "content_block_stop", "index": index}, "content_block_stop"), 0))
    final = {"type": "message_delta", "delta": {"stop_reason": stop_reason, "stop_sequence": None},
             "usage": {"input_tokens": case["input_tokens"], "cache_creation_input_tokens": 0,
                       "cache_read_input_tokens": 0, "output_tokens": case["output_tokens"]}}
    out.append((sse(final, "message_delta"), 0))
    out.append((sse({"type": "message_stop"}, "message_stop"), 0))
    return out


def split_one_event(pieces: list[tuple[str, int]], at: int) -> list[tuple[str, int]]:
    """Cuts event `at` in two chunks mid-line, as TCP may deliver it."""
    data, tokens = pieces[at]
    cut = len(data) // 2
    return pieces[:at] + [(data[:cut], 0), (data[cut:], tokens)] + pieces[at + 1:]


def streamed(body: dict, events: list[tuple[str, int]]) -> dict:
    chunks, latency = TIMING.chunks(events)
    return interaction(URL, HEADERS, body, 200, SSE, latency, chunks=chunks)


def anthropic_cassettes() -> dict[str, list[dict]]:
    plain = interaction(URL, HEADERS, request(PLAIN["user"]), 200, JSON, TIMING.whole(PLAIN["output_tokens"]),
                        message("msg_01SynthPlain0000000000", [{"type": "text", "text": PLAIN["answer"]}], "end_turn", PLAIN))

    text_deltas = [{"type": "text_delta", "text": p} for p in STREAM["pieces"]]
    stream_events = event_stream("msg_01SynthStream000000000", STREAM, [({"type": "text", "text": ""}, text_deltas)], "end_turn")
    stream = streamed(request(STREAM["user"], stream=True), split_one_event(stream_events, 4))

    weather = [{"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"], "input_schema": WEATHER_TOOL["schema"]}]
    preface = "Let me check."
    call = {"type": "tool_use", "id": "toolu_01SynthWeather000000000", "name": "get_weather", "input": TOOL["args"]}
    tool_plain = interaction(URL, HEADERS, request(TOOL["user"], tools=weather, tool_choice={"type": "auto"}), 200, JSON,
                             TIMING.whole(TOOL["output_tokens"]),
                             message("msg_01SynthTool00000000000", [{"type": "text", "text": preface}, call], "tool_use", TOOL))
    arg_deltas = [{"type": "input_json_delta", "partial_json": p} for p in [""] + TOOL["args_pieces"]]
    tool_events = event_stream("msg_01SynthToolStream000000", TOOL, [
        ({"type": "text", "text": ""}, [{"type": "text_delta", "text": preface}]),
        ({**call, "input": {}}, arg_deltas)], "tool_use")
    tool_stream = streamed(request(TOOL["user"], stream=True, tools=weather, tool_choice={"type": "auto"}), tool_events)

    forced = [{"name": STRUCTURED["name"], "description": STRUCTURED_TOOL_DESCRIPTION, "input_schema": ITEM_SCHEMA}]
    choice = {"type": "tool", "name": STRUCTURED["name"]}
    answer = {"type": "tool_use", "id": "toolu_01SynthItem0000000000000", "name": STRUCTURED["name"], "input": STRUCTURED["answer"]}
    structured_plain = interaction(URL, HEADERS, request(STRUCTURED["user"], tools=forced, tool_choice=choice), 200, JSON,
                                   TIMING.whole(STRUCTURED["output_tokens"]),
                                   message("msg_01SynthStructured000000", [answer], "tool_use", STRUCTURED))
    json_deltas = [{"type": "input_json_delta", "partial_json": p} for p in STRUCTURED["pieces"]]
    structured_events = event_stream("msg_01SynthStructuredStrm", STRUCTURED, [({**answer, "input": {}}, json_deltas)], "tool_use")
    structured_stream = streamed(request(STRUCTURED["user"], stream=True, tools=forced, tool_choice=choice), structured_events)

    return {"anthropic-plain": [plain], "anthropic-stream": [stream],
            "anthropic-tool": [tool_plain, tool_stream], "anthropic-structured": [structured_plain, structured_stream]}
