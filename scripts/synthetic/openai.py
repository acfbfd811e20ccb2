"""OpenAI-shaped cassettes: OpenAI Chat Completions (wire-formats.md §1), Azure OpenAI (§2:
deployment URL with api-version, `api-key`, no `model` in the body, content-filter annotations,
a first stream chunk with empty `choices`), Azure AI model inference (§6a: `api-key` and
bearer, no `stream_options`, so streams carry no usage) and Azure ML `/score` (§6b:
`input_data` in, `output` out, no usage, no tools, no streaming)."""

from __future__ import annotations

import json

from .common import (ITEM_SCHEMA, MAX_TOKENS, PLAIN, STREAM, STRUCTURED, SYSTEM, TEMPERATURE, TOOL, WEATHER_TOOL,
                     Timing, interaction, spread)

GPT4O = Timing(0.45, 131)
PHI = Timing(0.5, 60)  # ASSUMED: no published figure for Phi on Azure was found
JSON = {"content-type": "application/json"}
SSE = {"content-type": "text/event-stream; charset=utf-8"}
SAFE = {"hate": {"filtered": False, "severity": "safe"}, "self_harm": {"filtered": False, "severity": "safe"},
        "sexual": {"filtered": False, "severity": "safe"}, "violence": {"filtered": False, "severity": "safe"}}


class Dialect:
    """What differs between the OpenAI-shaped services (as docs/providers.md tabulates)."""

    def __init__(self, name, url, headers, model, answered_model, max_field, timing, azure=False, stream_usage=True):
        self.name, self.url, self.headers, self.model = name, url, headers, model
        self.answered_model, self.max_field, self.timing = answered_model, max_field, timing
        self.azure, self.stream_usage = azure, stream_usage

    def request(self, user: str, stream: bool = False, tools: bool = False, schema: bool = False) -> dict:
        body = {"messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}],
                "temperature": TEMPERATURE, self.max_field: MAX_TOKENS}
        if self.model:
            body["model"] = self.model
        if tools:
            body["tools"] = [{"type": "function", "function": {"name": WEATHER_TOOL["name"], "description": WEATHER_TOOL["description"],
                                                               "parameters": WEATHER_TOOL["schema"]}}]
            body["tool_choice"] = "auto"
        if schema:
            # strict: every object lists all its properties as required and forbids others.
            body["response_format"] = {"type": "json_schema", "json_schema": {"name": STRUCTURED["name"], "schema": ITEM_SCHEMA, "strict": True}}
        if stream:
            body["stream"] = True
            if self.stream_usage:
                body["stream_options"] = {"include_usage": True}
        return body

    def headers_for(self, stream: bool) -> dict:
        return {**self.headers, "content-type": "application/json", **({"accept": "text/event-stream"} if stream else {})}

    def usage(self, case: dict) -> dict:
        usage = {"prompt_tokens": case["input_tokens"], "completion_tokens": case["output_tokens"],
                 "total_tokens": case["input_tokens"] + case["output_tokens"]}
        if self.name == "openai":
            usage["prompt_tokens_details"] = {"cached_tokens": 0, "audio_tokens": 0}
            usage["completion_tokens_details"] = {"reasoning_tokens": 0, "audio_tokens": 0,
                                                  "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
        return usage

    def completion(self, completion_id: str, message: dict, finish: str, case: dict) -> dict:
        choice = {"index": 0, "message": {"role": "assistant", **message}, "logprobs": None, "finish_reason": finish}
        body = {"id": completion_id, "object": "chat.completion", "created": 1764672000, "model": self.answered_model,
                "choices": [choice], "usage": self.usage(case)}
        if self.name == "openai":
            choice["message"].setdefault("refusal", None)
            body.update({"service_tier": "default", "system_fingerprint": "fp_ee1d3c2b6f"})
        if self.azure:
            choice["content_filter_results"] = SAFE
            body["prompt_filter_results"] = [{"prompt_index": 0, "content_filter_results": SAFE}]
            body["system_fingerprint"] = "fp_ee1d"
        return body

    def chunks(self, completion_id: str, deltas: list[dict], finish: str, case: dict) -> list[tuple[str, int]]:
        def chunk(delta: dict, finish_reason, usage_null: bool = True) -> str:
            choice = {"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}
            if self.azure:
                choice["content_filter_results"] = {}
            body = {"id": completion_id, "object": "chat.completion.chunk", "created": 1764672000,
                    "model": self.answered_model, "choices": [choice]}
            if self.name == "openai":
                body.update({"system_fingerprint": "fp_ee1d3c2b6f", "obfuscation": "x7Qp"})
            if self.stream_usage and usage_null:
                body["usage"] = None
            return "data: " + json.dumps(body, separators=(",", ":")) + "\n\n"

        out = []
        if self.azure:  # Azure's first chunk: no choices, empty id/model/object, prompt filter results only
            first = {"choices": [], "created": 0, "id": "", "model": "", "object": "",
                     "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": SAFE}]}
            out.append(("data: " + json.dumps(first, separators=(",", ":")) + "\n\n", 0))
        out.append((chunk({"role": "assistant", "content": "", "refusal": None}, None), 0))
        out += [(chunk(d, None), n) for d, n in zip(deltas, spread(case["output_tokens"], len(deltas)))]
        out.append((chunk({}, finish), 0))
        if self.stream_usage:
            usage = {"id": completion_id, "object": "chat.completion.chunk", "created": 1764672000, "model": self.answered_model,
                     "choices": [], "usage": self.usage(case)}
            out.append(("data: " + json.dumps(usage, separators=(",", ":")) + "\n\n", 0))
        out.append(("data: [DONE]\n\n", 0))
        return out

    def cassettes(self) -> dict[str, list[dict]]:
        def whole(body, response, case):
            return interaction(self.url, self.headers_for(False), body, 200, JSON, self.timing.whole(case["output_tokens"]), response)

        def streamed(body, events):
            chunks, latency = self.timing.chunks(events)
            return interaction(self.url, self.headers_for(True), body, 200, SSE, latency, chunks=chunks)

        plain = whole(self.request(PLAIN["user"]), self.completion("chatcmpl-SynthPlain", {"content": PLAIN["answer"]}, "stop", PLAIN), PLAIN)
        stream = streamed(self.request(STREAM["user"], stream=True),
                          self.chunks("chatcmpl-SynthStream", [{"content": p} for p in STREAM["pieces"]], "stop", STREAM))
        call = {"id": "call_SynthWeather01", "type": "function", "function": {"name": "get_weather", "arguments": json.dumps(TOOL["args"], separators=(",", ":"))}}
        tool_plain = whole(self.request(TOOL["user"], tools=True),
                           self.completion("chatcmpl-SynthTool", {"content": None, "tool_calls": [call]}, "tool_calls", TOOL), TOOL)
        first = {"tool_calls": [{"index": 0, "id": call["id"], "type": "function", "function": {"name": "get_weather", "arguments": ""}}]}
        pieces = [{"tool_calls": [{"index": 0, "function": {"arguments": p}}]} for p in TOOL["args_pieces"]]
        tool_stream = streamed(self.request(TOOL["user"], stream=True, tools=True),
                               self.chunks("chatcmpl-SynthToolStream", [first] + pieces, "tool_calls", TOOL))
        answer = json.dumps(STRUCTURED["answer"])
        structured_plain = whole(self.request(STRUCTURED["user"], schema=True),
                                 self.completion("chatcmpl-SynthStructured", {"content": answer}, "stop", STRUCTURED), STRUCTURED)
        structured_stream = streamed(self.request(STRUCTURED["user"], stream=True, schema=True),
                                     self.chunks("chatcmpl-SynthStructStream", [{"content": p} for p in STRUCTURED["pieces"]], "stop", STRUCTURED))
        n = self.name
        return {f"{n}-plain": [plain], f"{n}-stream": [stream], f"{n}-tool": [tool_plain, tool_stream],
                f"{n}-structured": [structured_plain, structured_stream]}


OPENAI = Dialect("openai", "https://api.openai.com/v1/chat/completions", {"authorization": "REDACTED"},
                 "gpt-4o", "gpt-4o-2024-08-06", "max_completion_tokens", GPT4O)
AZURE_OPENAI = Dialect("azure-openai",
                       "https://myresource.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21",
                       {"api-key": "REDACTED"}, None, "gpt-4o-2024-08-06", "max_tokens", GPT4O, azure=True)
AZURE_INFERENCE = Dialect("azure-inference",
                          "https://myfoundry.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview",
                          {"api-key": "REDACTED", "authorization": "REDACTED"}, "Phi-4-mini-instruct", "Phi-4-mini-instruct",
                          "max_tokens", PHI, stream_usage=False)

SCORE_URL = "https://phi3-endpoint.eastus2.inference.ml.azure.com/score"
SCORE_HEADERS = {"authorization": "REDACTED", "content-type": "application/json"}


def score_request(user: str, schema: dict | None = None) -> dict:
    system = SYSTEM
    if schema is not None:
        system += "\n\nAnswer with JSON only, following this JSON Schema:\n" + json.dumps(schema, separators=(",", ":"), sort_keys=True)
    return {"input_data": {"input_string": [{"role": "system", "content": system}, {"role": "user", "content": user}],
                           "parameters": {"temperature": TEMPERATURE, "max_new_tokens": MAX_TOKENS}}}


def azure_ml_cassettes() -> dict[str, list[dict]]:
    """No tool cassette: /score has no tool-calling contract, and the client refuses tools."""
    def score(user, output, case, schema=None):
        return interaction(SCORE_URL, SCORE_HEADERS, score_request(user, schema), 200, JSON, PHI.whole(case["output_tokens"]), {"output": output})
    return {"azure-ml-plain": [score(PLAIN["user"], PLAIN["answer"], PLAIN)],
            "azure-ml-stream": [score(STREAM["user"], "".join(STREAM["pieces"]), STREAM)],
            "azure-ml-structured": [score(STRUCTURED["user"], json.dumps(STRUCTURED["answer"]), STRUCTURED, ITEM_SCHEMA)]}


def openai_family_cassettes() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for dialect in (OPENAI, AZURE_OPENAI, AZURE_INFERENCE):
        out.update(dialect.cassettes())
    out.update(azure_ml_cassettes())
    return out
