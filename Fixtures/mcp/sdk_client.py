"""Drives `orch-eval mcp serve` with one of the official Python SDK's clients and prints what
it saw as JSON: the negotiated protocol version, the tools, and the three receipt workers'
structured results on one receipt.

usage: sdk_client.py session|stateless IMAGE (--url URL | -- COMMAND ARGS...)
  session   ClientSession (initialize handshake; the SDK proposes 2025-11-25)
  stateless mcp.Client (server/discover, then 2026-07-28 in each request's _meta)
"""
import asyncio
import json
import sys

from mcp import Client, ClientSession, StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client


async def receipt_calls(call):
    ocr = await call("receipt_ocr", {"image_uri": IMAGE})
    parsed = await call("line_item_parser", {"ocr_text": ocr.structured_content})
    categorized = await call("expense_categorizer", {"items": parsed.structured_content["items"]})
    failed = await call("line_item_parser", {"ocr_text": 42})
    return {
        "ocr": ocr.structured_content,
        "items": parsed.structured_content["items"],
        "categorized": categorized.structured_content["categorized"],
        "text_matches_structured": json.loads(ocr.content[0].text) == ocr.structured_content,
        "bad_input": {"is_error": failed.is_error, "text": failed.content[0].text if failed.content else ""},
    }


async def with_session(read, write):
    async with ClientSession(read, write) as session:
        init = await session.initialize()
        tools = await session.list_tools()
        report = {"protocol_version": init.protocol_version, "server": init.server_info.name,
                  "tools": {t.name: {"has_output_schema": t.output_schema is not None} for t in tools.tools}}
        report.update(await receipt_calls(session.call_tool))
        return report


async def session_mode(target):
    if target[0] == "--url":
        async with streamable_http_client(target[1]) as (read, write):
            return await with_session(read, write)
    params = StdioServerParameters(command=target[1], args=target[2:])
    async with stdio_client(params) as (read, write):
        return await with_session(read, write)


async def stateless_mode(target):
    server = target[1] if target[0] == "--url" else StdioServerParameters(command=target[1], args=target[2:])
    async with Client(server) as client:
        tools = await client.list_tools()
        report = {"protocol_version": client.protocol_version,
                  "tools": {t.name: {"has_output_schema": t.output_schema is not None} for t in tools.tools}}
        report.update(await receipt_calls(client.call_tool))
        return report


if __name__ == "__main__":
    mode, IMAGE, target = sys.argv[1], sys.argv[2], sys.argv[3:]
    run = session_mode if mode == "session" else stateless_mode
    print(json.dumps(asyncio.run(run(target)), sort_keys=True))
