"""Sends one /ws command with Debian's python3-websockets, the way the seed's clients
connect (Authorization: Bearer, as in seed 003's Python examples), and prints the
command_response as one JSON line.

argv: <ws url> <api key> <json of the command message>
"""
import asyncio
import json
import sys

import websockets


async def main(url, key, message):
    async with websockets.connect(url, extra_headers={"Authorization": f"Bearer {key}"}) as ws:
        await ws.send(message)
        async for raw in ws:
            data = json.loads(raw)
            if data["type"] == "command_response":
                print(json.dumps(data), flush=True)
                return


asyncio.run(main(sys.argv[1], sys.argv[2], sys.argv[3]))
