// The IncuNest REST API under /api as one HttpRoute: rate limit (60 requests a minute per
// client, 429), the API key (401, with a Basic challenge so `curl -u` works), routing
// (404, 405), and every refusal in the docs' error envelope. Commands carry the origin
// { via: "rest", client: "<address>:<port>" }.
import type { CommandOrigin } from "../../core/api";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../net/http-types";
import { ALARM_ROUTES } from "./alarm-routes";
import { CONFIG_ROUTES, ConfigUpdater } from "./config-routes";
import { CONTROL_ROUTES } from "./control-routes";
import { DATA_ROUTES } from "./data-routes";
import { fail, FieldError, fieldFailure } from "./envelope";
import { clientAddress, RateLimiter, REST_RATE } from "./rate-limiter";
import type { RestContext, RestOptions, RouteParams } from "./rest-context";
import { STATUS_ROUTES } from "./status-routes";
import { SYSTEM_ROUTES } from "./system-routes";

/** Every route, in the order they are tried (a module constant: nothing per RestApi). */
const ROUTES = Object.freeze([...STATUS_ROUTES, ...CONTROL_ROUTES, ...ALARM_ROUTES, ...CONFIG_ROUTES, ...DATA_ROUTES, ...SYSTEM_ROUTES]);

function match(parts: readonly string[], path: readonly string[]): RouteParams | null {
  if (parts.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(":")) params[parts[i].slice(1)] = path[i];
    else if (parts[i] !== path[i]) return null;
  }
  return params;
}

export class RestApi implements HttpRoute {
  private readonly context: RestContext;
  private readonly limiter: RateLimiter;

  constructor(options: RestOptions) {
    this.context = { options, config: new ConfigUpdater(options), rebooting: false };
    this.limiter = new RateLimiter(options.clock);
  }

  /** GET/POST /api/config's logic, for MQTT's config/set too. */
  get config(): ConfigUpdater {
    return this.context.config;
  }

  handle(request: HttpRequest): HttpResponse | Promise<HttpResponse> | null {
    if (request.path !== "/api" && !request.path.startsWith("/api/")) return null;
    const client = clientAddress(request.remote);
    const waitMs = this.limiter.take(client);
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      return fail(429, "RATE_LIMITED", `more than ${REST_RATE.requests} requests in a minute from ${client}: try again in ${seconds} s`, undefined, { "Retry-After": String(seconds) });
    }
    if (!request.authorized) {
      return fail(401, "UNAUTHORIZED", "the API key is missing or wrong: send Authorization: Bearer <key>, Basic auth with the key as password (curl -u any:<key>), or ?api-key=<key>", undefined, {
        "WWW-Authenticate": 'Basic realm="IncuNest", charset="UTF-8"',
      });
    }
    const path = (request.path.length > 1 && request.path.endsWith("/") ? request.path.slice(0, -1) : request.path).split("/");
    const allowed: string[] = [];
    for (const route of ROUTES) {
      const params = match(route.parts, path);
      if (params === null) continue;
      if (route.method !== request.method) {
        allowed.push(route.method);
        continue;
      }
      const origin: CommandOrigin = { via: "rest", client: request.remote };
      return this.run(() => route.handle(this.context, request, params, origin));
    }
    if (allowed.length > 0) return fail(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${request.path}; use ${allowed.join(" or ")}`, undefined, { Allow: allowed.join(", ") });
    return fail(404, "NOT_FOUND", `no endpoint ${request.path}`);
  }

  private run(handler: () => HttpResponse | Promise<HttpResponse>): HttpResponse | Promise<HttpResponse> {
    try {
      const result = handler();
      return result instanceof Promise ? result.catch((error: unknown) => this.failure(error)) : result;
    } catch (error) {
      return this.failure(error);
    }
  }

  private failure(error: unknown): HttpResponse {
    if (error instanceof FieldError) return fieldFailure(error);
    return fail(500, "INTERNAL_ERROR", `internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
