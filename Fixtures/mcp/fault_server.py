"""A misbehaving stdio MCP server in plain Python (no SDK), for the client's fault tests.

usage: fault_server.py [--version V | --only V] [--tools N] [--page N]
  --version V  answer initialize with protocol version V (server/discover is always refused)
  --only V     refuse an initialize proposing another version (-32602, data.supported [V])
  --tools N    list N tools named tool_0 … (default 3), --page tools per tools/list page
Environment: PID_FILE (write the process id there), CANCEL_LOG (append each cancelled
request id there, one per line), HANG_FIFO (a named pipe: `hang` writes a line to it
once the call has arrived, so a test knows when to interrupt).
Tools: echo (returns its arguments), fail (isError), exit (the process exits mid-call),
garbage (prints a non-JSON line), hang (never answers), cancellations (the request ids
this process received notifications/cancelled for).
"""
import json
import os
import sys

if os.environ.get("PID_FILE"):
    with open(os.environ["PID_FILE"], "w") as f:
        f.write(str(os.getpid()))

args = sys.argv[1:]
version = args[args.index("--version") + 1] if "--version" in args else None
only = args[args.index("--only") + 1] if "--only" in args else None
count = int(args[args.index("--tools") + 1]) if "--tools" in args else 3
page = int(args[args.index("--page") + 1]) if "--page" in args else 100
cancelled = []
names = ["echo", "fail", "exit", "garbage", "hang", "cancellations"] + [f"tool_{i}" for i in range(count)]


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def result(id, value):
    send({"jsonrpc": "2.0", "id": id, "result": value})


def text(value):
    return {"content": [{"type": "text", "text": json.dumps(value)}], "isError": False}


for line in sys.stdin:
    message = json.loads(line)
    method, id, params = message.get("method"), message.get("id"), message.get("params") or {}
    print(f"got {method}", file=sys.stderr, flush=True)
    if method == "notifications/cancelled":
        cancelled.append(params.get("requestId"))
        if os.environ.get("CANCEL_LOG"):
            with open(os.environ["CANCEL_LOG"], "a") as f:
                f.write(json.dumps(params.get("requestId")) + "\n")
    elif method == "server/discover":
        send({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": "Method not found"}})
    elif method == "initialize" and only and params["protocolVersion"] != only:
        send({"jsonrpc": "2.0", "id": id, "error": {"code": -32602, "message": "Unsupported protocol version",
                                                     "data": {"supported": [only], "requested": params["protocolVersion"]}}})
    elif method == "initialize":
        result(id, {"protocolVersion": version or params["protocolVersion"], "capabilities": {"tools": {}},
                    "serverInfo": {"name": "faulty", "version": "1"}})
    elif method == "tools/list":
        start = int(params.get("cursor") or 0)
        tools = [{"name": n, "description": f"tool {n}", "inputSchema": {"type": "object"}} for n in names[start:start + page]]
        listing = {"tools": tools}
        if start + page < len(names):
            listing["nextCursor"] = str(start + page)
        result(id, listing)
    elif method == "tools/call":
        name = params["name"]
        send({"jsonrpc": "2.0", "method": "notifications/progress", "params": {"progressToken": 1, "progress": 0.5}})
        if name == "echo" or name.startswith("tool_"):
            result(id, text(params.get("arguments")))
        elif name == "fail":
            result(id, {"content": [{"type": "text", "text": "the disk is full"}], "isError": True})
        elif name == "exit":
            print("exiting on purpose", file=sys.stderr, flush=True)
            sys.exit(3)
        elif name == "garbage":
            print("this is not JSON", flush=True)
        elif name == "hang":
            if os.environ.get("HANG_FIFO"):
                with open(os.environ["HANG_FIFO"], "w") as f:
                    f.write("hanging\n")
        elif name == "cancellations":
            result(id, text(cancelled))
    elif id is not None:
        send({"jsonrpc": "2.0", "id": id, "error": {"code": -32601, "message": f"Method not found: {method}"}})
