"""Renders Home Assistant templates with Jinja2 (the engine Home Assistant uses): one JSON
request a line on stdin, {"template": ..., "value_json": ...} or {"template": ..., "value": ...},
one JSON answer a line on stdout: {"ok": true, "text": ...} or {"ok": false, "error": ...}."""
import json
import sys

import jinja2

env = jinja2.Environment(undefined=jinja2.StrictUndefined)
for line in sys.stdin:
    request = json.loads(line)
    try:
        variables = {k: v for k, v in request.items() if k != "template"}
        text = env.from_string(request["template"]).render(**variables)
        print(json.dumps({"ok": True, "text": text}), flush=True)
    except Exception as error:  # a template naming a field that is not there
        print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"}), flush=True)
