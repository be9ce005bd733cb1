// The REST API as the app uses it: the key as a Bearer header (never in a URL), the
// IncuNest envelope {success, data} / {success: false, error: {code, message}} unwrapped.

/** The longest wait before sending a request the firmware was too busy to take. */
const BUSY_RETRY_MAX_S = 2;

export class RestError extends Error {
  constructor(message: string, readonly status: number, readonly code: string) {
    super(message);
  }
}

export class Rest {
  constructor(
    private readonly key: () => string | null,
    /** A 401: the key is wrong or missing (the app asks for it again). */
    private readonly unauthorised: () => void,
  ) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>("GET", path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  /** A POST whose answer is the firmware's message ("updated device.name, …"). */
  async change(path: string, body: unknown): Promise<string> {
    let message = "";
    await this.request("POST", path, body, (m) => (message = m));
    return message;
  }

  /** A response body as text (CSV), with the same authentication. */
  async text(path: string): Promise<string> {
    const response = await this.fetch("GET", path);
    if (!response.ok) throw await this.failure(response);
    return response.text();
  }

  private async request<T>(method: string, path: string, body?: unknown, onMessage?: (message: string) => void): Promise<T> {
    const response = await this.fetch(method, path, body);
    let parsed: { success?: boolean; data?: T; error?: { code?: string; message?: string }; message?: string } | T[];
    const text = await response.text();
    try {
      parsed = JSON.parse(text);
    } catch {
      // The server's own plain-text refusals (busy, timed out) say what happened.
      const plain = response.status >= 500 && text.length < 300 ? text.trim() : "";
      const what = plain || (response.status === 404 ? "not served by this firmware" : "answer is not JSON");
      throw new RestError(`${method} ${path.split("?")[0]}: ${what} (HTTP ${response.status})`, response.status, "BAD_RESPONSE");
    }
    if (Array.isArray(parsed)) return parsed as T; // the data-log endpoints answer bare arrays
    if (!response.ok || parsed.success === false) {
      const message = parsed.error?.message ?? parsed.message ?? `HTTP ${response.status}`;
      throw new RestError(message, response.status, parsed.error?.code ?? String(response.status));
    }
    if (typeof parsed.message === "string") onMessage?.(parsed.message);
    return (parsed.data ?? (parsed as T)) as T;
  }

  private async fetch(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await this.fetchOnce(method, path, body);
    // The firmware's few sockets were all in the middle of a request: it refused this one
    // before reading any of it (so a POST too is safe to send again), with Retry-After.
    const retryAfterS = Number(response.headers.get("Retry-After"));
    if (response.status !== 503 || !(retryAfterS > 0)) return response;
    await new Promise((resolve) => setTimeout(resolve, Math.min(retryAfterS, BUSY_RETRY_MAX_S) * 1000));
    return this.fetchOnce(method, path, body);
  }

  private async fetchOnce(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = { Accept: "application/json" };
    const key = this.key();
    if (key) headers.Authorization = `Bearer ${key}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      // credentials "omit": the key goes in the header; without it a 401 with a Basic
      // challenge would make the browser put up its own login prompt over the app.
      response = await fetch(path, { method, headers, cache: "no-store", credentials: "omit", ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    } catch (error) {
      throw new RestError(`cannot reach the incubator (${(error as Error).message})`, 0, "NETWORK");
    }
    if (response.status === 401) {
      this.unauthorised();
      throw new RestError("the API key was refused", 401, "UNAUTHORIZED");
    }
    return response;
  }

  private async failure(response: Response): Promise<RestError> {
    let message = `HTTP ${response.status}`;
    try {
      const body = await response.json();
      message = body?.error?.message ?? message;
    } catch {
      // not JSON
    }
    return new RestError(message, response.status, String(response.status));
  }
}
