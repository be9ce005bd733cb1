// The IncuNest REST API under /api as one HttpRoute: rate limit (60 requests a minute per
// client, 429), the API key (401, with a Basic challenge so `curl -u` works), routing
// (404, 405), and every refusal in the docs' error envelope. Commands carry the origin
// { via: "rest", client: "<address>:<port>" }.
import type { CommandOrigin } from "../../core/api";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../net/http-types";
import { alarmRoutes } from "./alarm-routes";
import { configRoutes, configUpdater, type ConfigUpdater } from "./config-routes";
import { controlRoutes } from "./control-routes";
import { dataRoutes } from "./data-routes";
import { fail, FieldError, fieldFailure } from "./envelope";
import { clientAddress, RateLimiter, REST_RATE } from "./rate-limiter";
import type { RestOptions, RestRoute, RouteParams } from "./rest-context";
import { statusRoutes } from "./status-routes";
import { systemRoutes } from "./system-routes";

interface CompiledRoute {
  readonly route: RestRoute;
  readonly parts: readonly string[];
}

function compile(route: RestRoute): CompiledRoute {
  return { route, parts: route.path.split("/") };
}

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
  private readonly routes: readonly CompiledRoute[];
  private readonly limiter: RateLimiter;
  /** GET/POST /api/config's logic, for MQTT's config/set too. */
  readonly config: ConfigUpdater;

  constructor(options: RestOptions) {
    this.config = configUpdater(options);
    this.routes = [
      ...statusRoutes(options),
      ...controlRoutes(options),
      ...alarmRoutes(options),
      ...configRoutes(this.config),
      ...dataRoutes(options),
      ...systemRoutes(options),
    ].map(compile);
    this.limiter = new RateLimiter(options.clock);
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
    for (const { route, parts } of this.routes) {
      const params = match(parts, path);
      if (params === null) continue;
      if (route.method !== request.method) {
        allowed.push(route.method);
        continue;
      }
      const origin: CommandOrigin = { via: "rest", client: request.remote };
      return this.run(() => route.handle(request, params, origin));
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
