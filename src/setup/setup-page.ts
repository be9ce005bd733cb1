// The set-up page (GET /setup and the answer to POST /setup): the ward's Wi-Fi and a new
// API key. Reached behind the key (Basic auth: any user name, the key as password).

function esc(value: string): string {
  return value.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&#39;"));
}

export interface SetupPageState {
  /** The network the device joins now, null when none is configured. */
  readonly ssid: string | null;
  /** e.g. "online at 10.0.0.7", "set-up access point open". */
  readonly network: string;
}

/** `message`: what the last POST did or why it saved nothing; `error` shows it as a refusal. */
export function renderSetupPage(state: SetupPageState, message = "", error = false): string {
  const note = message ? `<p class="${error ? "error" : "done"}">${esc(message)}</p>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>IncuNest set-up</title>
<style>body{font-family:system-ui,sans-serif;margin:1.5em;max-width:34em}label{display:block;margin:.8em 0 .2em}input{width:100%;font-size:1.1em}.error{color:#a00;font-weight:bold}.done{color:#060;font-weight:bold}</style>
</head><body>
<h1>IncuNest set-up</h1>
${note}
<p>Wi-Fi now: ${state.ssid === null ? "none configured" : `&ldquo;${esc(state.ssid)}&rdquo;`} (${esc(state.network)}).</p>
<form method="post" action="/setup">
<label for="ssid">Wi-Fi network name (leave empty to keep the current one)</label><input id="ssid" name="ssid" maxlength="32" autocomplete="off">
<label for="password">Wi-Fi password (8 to 63 characters; empty for an open network)</label><input id="password" name="password" type="password" maxlength="63">
<label for="api_key">New API key (optional; 8 to 128 characters without spaces, quotes, / ? # %)</label><input id="api_key" name="api_key" maxlength="128" autocomplete="off">
<p><button type="submit">Save</button></p>
</form>
<p>The API key and the set-up access point's password are printed on the device's debug console at every boot.</p>
</body></html>
`;
}
