"""A small MCP server written with the official Python SDK (PyPI `mcp` 2.x), for interop tests.

stdio by default; `--http PORT` serves Streamable HTTP at http://127.0.0.1:PORT/mcp.
PID_FILE in the environment: the process writes its id there.
"""
import os
import sys

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

server = MCPServer("sdk-calc")


@server.tool()
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@server.tool()
def divide(a: float, b: float) -> float:
    """Divide a by b."""
    if b == 0:
        raise ToolError("cannot divide by zero")
    return a / b


@server.tool()
def shout(text: str) -> str:
    """Upper-case a text."""
    return text.upper()


if __name__ == "__main__":
    if os.environ.get("PID_FILE"):  # tests check that the process is gone after a run
        with open(os.environ["PID_FILE"], "w") as f:
            f.write(str(os.getpid()))
    if len(sys.argv) == 3 and sys.argv[1] == "--http":
        server.run("streamable-http", port=int(sys.argv[2]))
    else:
        server.run()
