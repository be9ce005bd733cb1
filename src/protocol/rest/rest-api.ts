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
import type { RestContext, RestOptions, RestRoute, RouteParams } from "./rest-context";
import { STATUS_ROUTES } from "./status-routes";
import { SYSTEM_ROUTES } from "./system-routes";

/** Every route, in the order they are tried (a module constant: nothing per RestApi). */
const ROUTES = Object.freeze([...STATUS_ROUTES, ...CONTROL_ROUTES, ...ALARM_ROUTES, ...CONFIG_ROUTES, ...DATA_ROUTES, ...SYSTEM_ROUTES]);

/** Whether `route` serves `path` (split at "/"), by comparing its literal parts alone.
 *  Indexed loops and no string methods: this runs for every route on every request, and on
 *  XS a for...of step, a method call on a string and an object each leave garbage. */
function matches(route: RestRoute, path: readonly string[]): boolean {
  const parts = route.parts;
  const names = route.names;
  if (parts.length !== path.length) return false;
  for (let i = 0; i < parts.length; i++) if (names[i] === null && parts[i] !== path[i]) return false;
  return true;
}

/** A route that takes no parameter is given this. */
const NO_PARAMS: RouteParams = Object.freeze({});

function paramsOf(route: RestRoute, path: readonly string[]): RouteParams {
  let params: Record<string, string> | null = null;
  const names = route.names;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name !== null) (params ??= {})[name] = path[i];
  }
  return params ?? NO_PARAMS;
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
    let allowed: string[] | null = null;
    for (let r = 0; r < ROUTES.length; r++) {
      const route = ROUTES[r];
      if (!matches(route, path)) continue;
      if (route.method !== request.method) {
        (allowed ??= []).push(route.method);
        continue;
      }
      const params = paramsOf(route, path);
      const origin: CommandOrigin = { via: "rest", client: request.remote };
      return this.run(route, request, params, origin);
    }
    if (allowed !== null) return fail(405, "METHOD_NOT_ALLOWED", `${request.method} is not allowed on ${request.path}; use ${allowed.join(" or ")}`, undefined, { Allow: allowed.join(", ") });
    return fail(404, "NOT_FOUND", `no endpoint ${request.path}`);
  }

  private run(route: RestRoute, request: HttpRequest, params: RouteParams, origin: CommandOrigin): HttpResponse | Promise<HttpResponse> {
    try {
      const result = route.handle(this.context, request, params, origin);
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
