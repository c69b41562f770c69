// A small client of the Fabric REST API (and of the copyjob emulator, which speaks the same):
// bearer token, 429 retried after Retry-After (with a bounded backoff when the header cannot be
// read), long-running operations (202 → poll operations/{id} honouring Retry-After → /result),
// paging by continuationToken, empty 202/200 bodies, errors from the ErrorResponse body.
// The token is only ever put in the Authorization header: never in a URL, a log or storage.

/** An error answered by the API: `{errorCode, message, requestId, moreDetails?}`. */
export class ApiError extends Error {
  constructor({ status, errorCode, message, requestId, moreDetails, relatedResource, method, url }) {
    super(message || `HTTP ${status}`);
    this.name = "ApiError";
    this.status = status;
    this.errorCode = errorCode || `HTTP${status}`;
    this.requestId = requestId || "";
    this.moreDetails = Array.isArray(moreDetails) ? moreDetails : [];
    this.relatedResource = relatedResource;
    this.method = method;
    this.url = url;
  }
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason ?? new Error("aborted"));
      },
      { once: true },
    );
  });

/** `Retry-After` in milliseconds (seconds or an HTTP date), or undefined when absent/unreadable. */
export function retryAfterMs(headers) {
  const raw = headers?.get?.("retry-after");
  if (raw == null || raw === "") return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(raw)) return Number(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export const TERMINAL_JOB_STATES = new Set(["Completed", "Failed", "Cancelled", "Deduped"]);

export class FabricClient {
  /**
   * @param {object} o
   * @param {string} o.baseUrl e.g. https://api.fabric.microsoft.com/v1
   * @param {() => Promise<string> | string} o.getToken
   * @param {(entry: object) => void} [o.log] one call per request: method, path, status, requestId
   */
  constructor({ baseUrl, getToken, log = () => {}, maxRetries = 5, fallbackDelayMs = 2000, maxDelayMs = 60000, minPollMs = 200, defaultPollMs = 5000, maxOperationMs = 10 * 60 * 1000 }) {
    this.baseUrl = String(baseUrl).replace(/\/+$/, "");
    this.getToken = getToken;
    this.log = log;
    this.maxRetries = maxRetries;
    this.fallbackDelayMs = fallbackDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.minPollMs = minPollMs;
    this.defaultPollMs = defaultPollMs;
    // A long-running operation still not finished after this long is given up (it may still
    // finish on the service: the error says so).
    this.maxOperationMs = maxOperationMs;
  }

  url(path, query) {
    const url = new URL(/^https?:/i.test(path) ? path : this.baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, String(v));
    }
    return url.toString();
  }

  /** How long to wait: Retry-After (bounded), else the fallback. */
  delay(headers, fallback) {
    const ms = retryAfterMs(headers);
    const chosen = ms === undefined ? fallback : ms;
    return Math.min(this.maxDelayMs, Math.max(this.minPollMs, chosen));
  }

  /** One API call; retries 429s. Resolves `{status, headers, body, requestId}` or throws ApiError. */
  async request(method, path, { body, query, signal } = {}) {
    const url = this.url(path, query);
    const shown = new URL(url);
    const logPath = shown.pathname + shown.search;
    for (let attempt = 0; ; attempt++) {
      const token = await this.getToken();
      if (!token) {
        throw new ApiError({ status: 0, errorCode: "NoToken", message: "Paste a bearer token or sign in first", method, url: logPath });
      }
      const headers = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers["Content-Type"] = "application/json";
      let response;
      try {
        response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal, cache: "no-store" });
      } catch (e) {
        if (signal?.aborted) throw e;
        // A 429 without CORS headers surfaces as a network error: back off (bounded), for reads only.
        const retriable = method === "GET" && attempt < this.maxRetries;
        this.log({ method, path: logPath, status: 0, note: retriable ? "network error, retrying" : "network error" });
        if (!retriable) {
          throw new ApiError({ status: 0, errorCode: "NetworkError", message: `The request could not be sent (${e?.message ?? e}): check the base URL and CORS`, method, url: logPath });
        }
        await sleep(Math.min(this.maxDelayMs, this.fallbackDelayMs * 2 ** attempt), signal);
        continue;
      }
      const requestId = response.headers.get("requestid") ?? "";
      const text = await response.text();
      let parsed = null;
      if (text.trim() !== "") {
        try {
          parsed = JSON.parse(text);
        } catch {
          parsed = text;
        }
      }
      if (response.status === 429 && attempt < this.maxRetries) {
        const wait = this.delay(response.headers, Math.min(this.maxDelayMs, this.fallbackDelayMs * 2 ** attempt));
        this.log({ method, path: logPath, status: 429, requestId, note: `throttled, retrying in ${Math.round(wait / 100) / 10} s` });
        await sleep(wait, signal);
        continue;
      }
      this.log({ method, path: logPath, status: response.status, requestId });
      if (!response.ok) {
        const err = parsed && typeof parsed === "object" ? parsed : {};
        let message = err.message ?? (typeof parsed === "string" ? parsed : `HTTP ${response.status}`);
        if (response.status === 429) message = `Still throttled after ${attempt} retries, giving up: ${message}`;
        throw new ApiError({
          status: response.status,
          errorCode: err.errorCode ?? response.headers.get("x-ms-public-api-error-code") ?? undefined,
          message,
          requestId: err.requestId ?? requestId,
          moreDetails: err.moreDetails,
          relatedResource: err.relatedResource,
          method,
          url: logPath,
        });
      }
      return { status: response.status, headers: response.headers, body: parsed, requestId };
    }
  }

  /** The URL of an operation: built from x-ms-operation-id unless Location is on our base URL. */
  operationUrl(headers) {
    const id = headers.get("x-ms-operation-id");
    const location = headers.get("location");
    if (location) {
      try {
        if (new URL(location).origin === new URL(this.baseUrl).origin) return location;
      } catch {
        // not a URL: build it from the id
      }
    }
    if (id) return `${this.baseUrl}/operations/${encodeURIComponent(id)}`;
    return location ?? undefined;
  }

  /**
   * A long-running operation: the result body (201/200 at once, or after polling a 202).
   * `onState` is told each state (`NotStarted`, `Running`, …).
   */
  async lro(method, path, { body, query, signal, onState = () => {} } = {}) {
    const first = await this.request(method, path, { body, query, signal });
    if (first.status !== 202) return first.body;
    const opUrl = this.operationUrl(first.headers);
    if (!opUrl) throw new ApiError({ status: 202, errorCode: "NoOperation", message: "202 Accepted without Location or x-ms-operation-id", method, url: path });
    let wait = this.delay(first.headers, this.defaultPollMs);
    const deadline = Date.now() + this.maxOperationMs;
    let last = "NotStarted";
    for (;;) {
      if (Date.now() + wait > deadline) {
        const minutes = Math.round(this.maxOperationMs / 6000) / 10;
        throw new ApiError({
          status: 202,
          errorCode: "OperationTimedOut",
          message: `The operation has not finished after ${minutes} min (last state: ${last}); stopped waiting. It may still finish on the service: look again later.`,
          requestId: first.requestId,
          method,
          url: opUrl,
        });
      }
      await sleep(wait, signal);
      const state = await this.request("GET", opUrl, { signal });
      const status = state.body?.status ?? "Undefined";
      last = status;
      onState(status, state.body);
      if (status === "Succeeded") {
        // A result exists when the state points at it (Location …/result).
        const location = state.headers.get("location");
        if (!location) return null;
        try {
          const result = await this.request("GET", `${opUrl.replace(/\/+$/, "")}/result`, { signal });
          return result.body;
        } catch (e) {
          if (e instanceof ApiError && e.errorCode === "OperationHasNoResult") return null;
          throw e;
        }
      }
      if (status === "Failed" || status === "Undefined" || status === "Cancelled") {
        const err = state.body?.error ?? {};
        throw new ApiError({
          status: 200,
          errorCode: err.errorCode ?? `Operation${status}`,
          message: err.message ?? `The operation ended ${status}`,
          requestId: err.requestId ?? state.requestId,
          moreDetails: err.moreDetails,
          method: "GET",
          url: opUrl,
        });
      }
      wait = this.delay(state.headers, this.defaultPollMs);
    }
  }

  /** Every item of a paginated list, following continuationToken. */
  async listAll(path, { query = {}, signal, onPage = () => {} } = {}) {
    const items = [];
    let token;
    let pages = 0;
    do {
      const page = await this.request("GET", path, { query: { ...query, continuationToken: token }, signal });
      pages++;
      items.push(...(page.body?.value ?? []));
      onPage(pages, items.length);
      token = page.body?.continuationToken || undefined;
    } while (token && pages < 1000);
    return { items, pages };
  }
}

export { sleep };
