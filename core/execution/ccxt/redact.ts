const MAX_LENGTH = 500;

/**
 * A ccxt error message made safe to log. ccxt puts the full request URL in network and timeout errors,
 * and for signed GET/DELETE requests that URL carries the signature, the timestamp and sometimes the
 * key; Upbit-style exchanges send a bearer token. Query strings go, credential-looking fields go, and
 * any literal credential is blanked as a last line of defence.
 * @example redact("binance GET https://api.binance.com/api/v3/account?timestamp=1&signature=ab fetch failed", [])
 * // "binance GET https://api.binance.com/api/v3/account?[redacted] fetch failed"
 */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#"'<>]*)\?[^\s"'<>]*/gi, "$1?[redacted]")
    .replace(
      /\b(signature|sign|api[_-]?key|access[_-]?key|secret|secret[_-]?key|password|passphrase|token|query_hash)\b(["']?\s*[=:]\s*["']?)[^\s&"',}]+/gi,
      "$1$2[redacted]",
    )
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, "Bearer [redacted]");
  for (const secret of secrets) {
    // Short values would blank ordinary words; real keys are long.
    if (secret.length >= 6) out = out.split(secret).join("[redacted]");
  }
  return out.length > MAX_LENGTH ? `${out.slice(0, MAX_LENGTH)}…` : out;
}
