"""Shared parts of the synthetic cassettes: the four conversations, the latency model and
the cassette JSON shapes (see scripts/make_synthetic_cassettes.py for the whole story)."""

from __future__ import annotations

import json

# --- the four conversations, in our terms -------------------------------------------------

SYSTEM = "You are terse."
PLAIN = {"user": "Say hello.", "answer": "Hello!", "input_tokens": 14, "output_tokens": 3}
STREAM = {"user": "Count to five.", "pieces": ["1", ", 2", ", 3", ", 4", ", 5", "."],
          "input_tokens": 15, "output_tokens": 10}
WEATHER_TOOL = {"name": "get_weather", "description": "Current weather in a city",
                "schema": {"type": "object", "properties": {"city": {"type": "string"}},
                           "required": ["city"], "additionalProperties": False}}
TOOL = {"user": "What is the weather in Paris?", "args": {"city": "Paris"},
        "args_pieces": ["{\"city\"", ": \"Par", "is\"}"], "input_tokens": 62, "output_tokens": 16}
ITEM_SCHEMA = {"type": "object",
               "properties": {"description": {"type": "string"}, "price": {"type": "number"}},
               "required": ["description", "price"], "additionalProperties": False}
STRUCTURED = {"user": "Extract the item: Milk 2.49", "name": "item",
              "answer": {"description": "Milk", "price": 2.49},
              "pieces": ["{\"description\"", ": \"Milk\", ", "\"price\": 2.49}"],
              "input_tokens": 40, "output_tokens": 12}
TEMPERATURE = 0
MAX_TOKENS = 256


class Timing:
    """TTFT plus output tokens at a constant speed, in milliseconds."""

    def __init__(self, ttft_s: float, tokens_per_s: float):
        self.ttft_ms = ttft_s * 1000
        self.ms_per_token = 1000 / tokens_per_s

    def whole(self, output_tokens: int) -> dict:
        total = round(self.ttft_ms + max(output_tokens - 1, 0) * self.ms_per_token, 1)
        return {"first_byte_ms": total, "total_ms": total}

    def chunks(self, pieces: list[tuple[str, int]]) -> tuple[list[dict], dict]:
        """(data, tokens carried) pairs -> chunks with offsets, and the latency."""
        out, tokens = [], 0
        for data, carried in pieces:
            tokens += carried
            offset = round(self.ttft_ms + max(tokens - 1, 0) * self.ms_per_token, 1)
            out.append({"data": data, "offset_ms": offset})
        return out, {"first_byte_ms": out[0]["offset_ms"], "total_ms": out[-1]["offset_ms"]}


def interaction(url: str, headers: dict, body: dict, status: int, response_headers: dict,
                latency: dict, response_body=None, chunks=None) -> dict:
    response = {"headers": response_headers, "status": status}
    if chunks is not None:
        response["chunks"] = chunks
    else:
        response["body"] = {"json": response_body}
    return {"latency": latency,
            "request": {"body": {"json": body}, "headers": headers, "method": "POST", "url": url},
            "response": response}


def sse(payload: dict, event: str | None = None) -> str:
    head = f"event: {event}\n" if event else ""
    return head + "data: " + json.dumps(payload, separators=(",", ":")) + "\n\n"


def compact(value) -> str:
    return json.dumps(value, separators=(",", ":"))


def spread(total: int, count: int) -> list[int]:
    """`total` tokens over `count` pieces, as evenly as whole tokens allow."""
    return [total // count + (1 if i < total % count else 0) for i in range(count)]
