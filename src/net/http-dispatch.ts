// What a complete request is, before anything is answered: a WebSocket upgrade (checked in
// full), a refusal (bad target, failed handshake, a throttled key), or a request for the
// routes, with what the answer must respect (HEAD, keep-alive, chunking).
import type { UpgradeRequest } from "./endpoint";
import type { HttpRequestReader } from "./http-request-reader";
import type { Exchange } from "./http-response";
import type { HttpRequest, HttpResponse } from "./http-types";
import type { KeyGuard } from "./key-guard";
import { parseRequestTarget } from "./request-target";
import type { WsRouter } from "./router";
import { decodeUtf8 } from "./utf8";
import { checkHandshake, headerHasToken, wantsWebSocket } from "./ws-handshake";

export const TEXT_PLAIN: Readonly<Record<string, string>> = Object.freeze({ "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" });

export type Dispatch =
  /** Answer this and go on (or close, as `exchange` says); `log` when worth a line. */
  | { readonly kind: "answer"; readonly response: HttpResponse; readonly exchange: Exchange; readonly log: string | null }
  | { readonly kind: "upgrade"; readonly accept: string; readonly request: UpgradeRequest }
  | { readonly kind: "route"; readonly request: HttpRequest; readonly exchange: Exchange };

/** Sorts out the request `r` has read completely, from `remote`. */
export function dispatchRequest(r: HttpRequestReader, remote: string, router: WsRouter, keyGuard: KeyGuard): Dispatch {
  const http10 = r.version === "HTTP/1.0";
  const connection = r.headers["connection"];
  const close = http10 ? !headerHasToken(connection, "keep-alive") : headerHasToken(connection, "close");
  const exchange: Exchange = { head: r.method === "HEAD", close, chunkedAllowed: !http10 };
  const target = parseRequestTarget(r.target);
  if (typeof target === "string") return { kind: "answer", response: { status: 400, headers: TEXT_PLAIN, body: `${target}\n` }, exchange: { ...exchange, close: true }, log: `400 to ${remote}: ${target}` };
  const authorization = r.headers["authorization"];
  const carrier = { query: target.query, ...(authorization !== undefined ? { authorization } : {}) };
  if (router.routes(target.path)) {
    const handshake = checkHandshake(r, target.path);
    if (handshake.ok) return { kind: "upgrade", accept: handshake.accept, request: { path: target.path, ...carrier, remote } };
    // A plain GET of a WebSocket path is a fine request; a failed upgrade ends here.
    return {
      kind: "answer",
      response: { status: handshake.status, headers: { ...TEXT_PLAIN, ...handshake.headers }, body: `${handshake.message}\n` },
      exchange: wantsWebSocket(r) ? { ...exchange, close: true } : exchange,
      log: `refused upgrade from ${remote} on ${target.path}: ${handshake.status} ${handshake.message}`,
    };
  }
  const verdict = keyGuard.check(carrier, remote);
  if (!verdict.ok && verdict.why === "throttled") {
    return { kind: "answer", response: { status: 429, headers: { ...TEXT_PLAIN, "Retry-After": String(verdict.retryAfterS ?? 10) }, body: `${verdict.message}\n` }, exchange, log: `refused ${remote} on ${target.path}: ${verdict.message}` };
  }
  const request: HttpRequest = Object.freeze({
    method: r.method,
    path: target.path,
    query: target.query,
    headers: r.headers,
    body: r.body === null ? "" : decodeUtf8(r.body),
    remote,
    authorized: verdict.ok,
  });
  return { kind: "route", request, exchange };
}
