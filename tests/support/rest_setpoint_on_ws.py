"""Sets a setpoint over REST with Debian's python3-requests and watches it arrive on /ws
with python3-websockets (subscribed before the POST). Prints one JSON line per step.

argv: <http base url> <api key> <setpoint>
"""
import asyncio
import json
import sys

import requests
import websockets


async def main(base, key, setpoint):
    ws_url = base.replace("http://", "ws://") + "ws?api-key=" + key
    async with websockets.connect(ws_url) as ws:
        await ws.send(json.dumps({"type": "subscribe", "channel": "all"}))
        # The POST runs in a thread so the WebSocket keeps being read meanwhile.
        answer = await asyncio.to_thread(
            requests.post, base + "api/control/temperature", json={"setpoint": setpoint}, auth=("any", key), timeout=10
        )
        print(json.dumps({"step": "rest", "status": answer.status_code, "body": answer.json()}), flush=True)
        async for raw in ws:
            data = json.loads(raw)
            if data["type"] == "sensor_update" and data["data"]["setpoint"]["temperature"] == setpoint:
                print(json.dumps({"step": "ws", "message": data}), flush=True)
                return


asyncio.run(asyncio.wait_for(main(sys.argv[1], sys.argv[2], float(sys.argv[3])), 30))
