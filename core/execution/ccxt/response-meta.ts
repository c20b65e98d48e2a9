import type { Exchange } from "ccxt";

/** The HTTP status and headers of the response a ccxt error was raised from. */
export interface ResponseMeta {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
}

const META = new WeakMap<object, ResponseMeta>();

/**
 * Makes every ccxt error raised from an HTTP response carry that response's status and headers.
 *
 * Why: ccxt classifies errors from the body first, so an exchange-specific JSON body on a 5xx or 429
 * becomes a plain ExchangeError, which would read as "rejected, don't retry" when the order's fate is
 * in fact unknown; and `exchange.last_response_headers` belongs to whichever request finished last, so
 * with requests in flight it can hold another response's Retry-After. Both hooks below run
 * synchronously one after the other inside ccxt's response handler, so the pairing is exact.
 * @example captureResponseMeta(exchange); try { await exchange.fetchBalance() } catch (e) { responseMetaOf(e)?.status }
 */
export function captureResponseMeta(exchange: Exchange): void {
  const handleErrors = exchange.handleErrors.bind(exchange);
  const handleHttpStatusCode = exchange.handleHttpStatusCode.bind(exchange);
  let current: ResponseMeta | undefined;
  exchange.handleErrors = (status, statusText, url, method, headers, body, response, requestHeaders, requestBody) => {
    current = { status, headers: stringHeaders(headers) };
    try {
      return handleErrors(status, statusText, url, method, headers, body, response, requestHeaders, requestBody);
    } catch (error) {
      tag(error, current);
      throw error;
    }
  };
  exchange.handleHttpStatusCode = (status, reason, url, method, body) => {
    try {
      handleHttpStatusCode(status, reason, url, method, body);
    } catch (error) {
      tag(
        error,
        current !== undefined && current.status === status ? current : { status: Number(status), headers: {} },
      );
      throw error;
    }
  };
}

/** The response an error came from, when it came from one (not from a timeout or a dropped connection). */
export function responseMetaOf(error: unknown): ResponseMeta | undefined {
  return typeof error === "object" && error !== null ? META.get(error) : undefined;
}

/**
 * Milliseconds to wait from a Retry-After header: delta seconds or an HTTP date.
 * @example retryAfterMs({ "Retry-After": "2" }, 0) // 2000
 */
export function retryAfterMs(headers: Readonly<Record<string, string>>, now: number): number | undefined {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === "retry-after");
  const value = entry?.[1]?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function tag(error: unknown, meta: ResponseMeta): void {
  if (typeof error === "object" && error !== null && !META.has(error)) META.set(error, meta);
}

function stringHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof headers !== "object" || headers === null) return out;
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && value !== null) out[name] = String(value);
  }
  return out;
}
