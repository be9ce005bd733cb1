"""Runs the seed's Python client (seeds/000) unmodified but for the device address.

argv: <file with the seed's Python block> <ws url to use instead of ws://192.168.1.100/ws>
The client prints f"Recibido: {data}" (a Python dict); each such line is re-emitted on
stdout as one JSON line so the test can read it. Runs until killed, like the seed's loop.
"""
import ast
import asyncio
import builtins
import json
import os
import selectors
import sys
import time

SEED_URL = "ws://192.168.1.100/ws"

# INCUNEST_TIME_SPEED=n runs asyncio's clock n times faster than real time (the test's
# server runs on the same accelerated time), so minutes of the client's own keepalive
# pings (every 20 s, a pong expected within 20 s) pass in seconds. The client code and
# the websockets library are unchanged: only the event loop's clock and waits scale.
SPEED = float(os.environ.get("INCUNEST_TIME_SPEED", "1"))
if SPEED != 1:
    START = time.monotonic()

    class ScaledSelector(selectors.DefaultSelector):
        def select(self, timeout=None):
            return super().select(None if timeout is None else max(0, timeout) / SPEED)

    class ScaledLoop(asyncio.SelectorEventLoop):
        def __init__(self):
            super().__init__(ScaledSelector())

        def time(self):
            return START + (time.monotonic() - START) * SPEED

    class ScaledPolicy(asyncio.DefaultEventLoopPolicy):
        def new_event_loop(self):
            return ScaledLoop()

    asyncio.set_event_loop_policy(ScaledPolicy())

source_path, url = sys.argv[1], sys.argv[2]
with open(source_path, encoding="utf-8") as f:
    source = f.read()
if source.count(SEED_URL) != 1:
    sys.exit(f"expected the seed's URL {SEED_URL} exactly once in the client")
source = source.replace(SEED_URL, url)


def relay(*args, **kwargs):
    text = " ".join(str(a) for a in args)
    prefix = "Recibido: "
    if text.startswith(prefix):
        sys.stdout.write(json.dumps(ast.literal_eval(text[len(prefix):])) + "\n")
    else:
        sys.stdout.write(json.dumps({"print": text}) + "\n")
    sys.stdout.flush()


exec(compile(source, "seed-000-python-client", "exec"), {"__name__": "__main__", "print": relay, "__builtins__": builtins})
