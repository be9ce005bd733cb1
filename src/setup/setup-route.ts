// GET and POST /setup: the ward's Wi-Fi and a new API key, always behind the current key
// (the server has checked it: Bearer, Basic with the key as password, or ?api-key=; a
// browser is asked with a Basic-auth prompt). Everything posted is checked before anything
// is saved; the answer comes once what was saved is stored.
import type { HttpRequest, HttpResponse, HttpRoute } from "../net/http-types";
import { apiKeyProblem } from "../core/settings-codec";
import { utf8Length } from "../net/utf8";
import { parseForm } from "./form";
import { renderSetupPage, type SetupPageState } from "./setup-page";

export interface WifiCredentials {
  readonly ssid: string;
  readonly password: string;
}

export interface SetupRouteOptions {
  /** Replaces the API key once stored (rejects with the reason otherwise). */
  readonly setApiKey: (key: string) => Promise<void>;
  /** Stores the Wi-Fi the device is to join (rejects with the reason otherwise). */
  readonly saveWifi: (credentials: WifiCredentials) => Promise<void>;
  /** Called once new Wi-Fi credentials are stored: join them. */
  readonly onWifiSaved: () => void;
  readonly state: () => SetupPageState;
  readonly log?: (text: string) => void;
}

/** The largest form accepted (the form's fields are at most ~250 bytes). */
export const SETUP_MAX_BODY = 2048;
const NO_STORE = "no-store";
const HTML = "text/html; charset=utf-8";

function page(status: number, options: SetupRouteOptions, message = "", error = false): HttpResponse {
  return { status, headers: { "Content-Type": HTML, "Cache-Control": NO_STORE }, body: renderSetupPage(options.state(), message, error) };
}

function unauthorised(): HttpResponse {
  return {
    status: 401,
    headers: { "Content-Type": HTML, "Cache-Control": NO_STORE, "WWW-Authenticate": 'Basic realm="IncuNest set-up", charset="UTF-8"' },
    body: '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>IncuNest set-up: key required</title></head><body><h1>API key required</h1><p>Log in with any user name and the API key as password. The key is printed on the device\'s debug console at every boot (<code>API key: ...</code>).</p></body></html>\n',
  };
}

type Plan = { readonly key: string | null; readonly wifi: WifiCredentials | null } | { readonly refused: string };

/** What a posted form asks for, or why none of it can be saved. */
export function planSetup(body: string): Plan {
  const { fields, malformed } = parseForm(body);
  if (malformed.length) return { refused: `the form field(s) ${malformed.join(", ")} are not valid URL encoding` };
  const key = fields.api_key ?? "";
  const ssid = fields.ssid ?? "";
  const password = fields.password ?? "";
  if (key !== "") {
    const why = apiKeyProblem(key);
    if (why) return { refused: `API key not valid: ${why}` };
  }
  if (ssid === "" && password !== "") return { refused: "a Wi-Fi password was given without a network name" };
  if (ssid !== "") {
    if (utf8Length(ssid) > 32) return { refused: "the Wi-Fi network name has at most 32 bytes" };
    if (password !== "" && !/^[\x20-\x7e]{8,63}$/.test(password)) return { refused: "a WPA2 Wi-Fi password has 8 to 63 printable ASCII characters" };
  }
  return { key: key === "" ? null : key, wifi: ssid === "" ? null : { ssid, password } };
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function setupRoute(options: SetupRouteOptions): HttpRoute {
  const log = options.log ?? (() => {});
  const serve = async (request: HttpRequest): Promise<HttpResponse> => {
    if (request.method === "GET" || request.method === "HEAD") return request.authorized ? page(200, options) : unauthorised();
    if (request.method !== "POST") {
      return { status: 405, headers: { Allow: "GET, HEAD, POST", "Content-Type": "text/plain; charset=utf-8" }, body: `only GET and POST here, not ${request.method}\n` };
    }
    if (!request.authorized) return unauthorised();
    const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/x-www-form-urlencoded") {
      return page(415, options, `Nothing saved: the form must be posted as application/x-www-form-urlencoded, not ${type || "without a Content-Type"}.`, true);
    }
    if (request.body.length > SETUP_MAX_BODY) return page(413, options, `Nothing saved: the form is larger than ${SETUP_MAX_BODY} bytes.`, true);
    const plan = planSetup(request.body);
    if ("refused" in plan) return page(400, options, `Nothing saved: ${plan.refused}.`, true);
    if (!plan.key && !plan.wifi) return page(200, options, "Nothing to change.");
    const done: string[] = [];
    const failed: string[] = [];
    if (plan.wifi) {
      try {
        await options.saveWifi(plan.wifi);
        done.push(`Wi-Fi "${plan.wifi.ssid}" saved; joining it now`);
        options.onWifiSaved();
      } catch (e) {
        failed.push(`Wi-Fi not saved (${reason(e)})`);
      }
    }
    if (plan.key) {
      try {
        await options.setApiKey(plan.key);
        done.push("API key changed: log in again with the new key");
      } catch (e) {
        failed.push(`API key not saved (${reason(e)}); the old key stays`);
      }
    }
    log(`set-up from ${request.remote}: ${[...done, ...failed].join("; ")}`);
    const message = [...done, ...failed].join(". ") + ".";
    return page(failed.length ? 500 : 200, options, message, failed.length > 0);
  };
  return {
    handle: (request: HttpRequest) => (request.path === "/setup" ? serve(request) : null),
  };
}
