"""Sends one Indigo feed command with Debian's python3-websockets the way seed 003's
Phase 4 does (websockets.connect(uri, extra_headers=headers), Authorization: Bearer),
then prints every reply that arrives within `wait` seconds as one JSON line.

argv: <feed url> <api key> <json of the message> [wait seconds, default 0.5]
"""
import asyncio
import json
import sys

import websockets


async def main(uri, key, message, wait):
    headers = {"Authorization": f"Bearer {key}"}
    async with websockets.connect(uri, extra_headers=headers) as ws:
        await ws.send(message)
        try:
            while True:
                reply = await asyncio.wait_for(ws.recv(), timeout=wait)
                print(json.dumps(json.loads(reply)), flush=True)
        except asyncio.TimeoutError:
            pass


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.5))
