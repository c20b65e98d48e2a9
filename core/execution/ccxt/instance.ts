import ccxt, { type Exchange } from "ccxt";
import { quirksOf } from "./quirks.ts";
import { captureResponseMeta } from "./response-meta.ts";

/** API credentials; they go to the ccxt constructor and nowhere else. */
export interface CcxtCredentials {
  readonly apiKey: string;
  readonly secret: string;
  /** Some exchanges call it passphrase. */
  readonly password?: string;
}

export interface CcxtInstanceConfig {
  /** A ccxt exchange id: "binance", "upbit", ... */
  readonly exchange: string;
  /** The account's `ccxt:` map from strategies.yaml: sandbox, urls, options, timeout, rateLimit, proxies. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly credentials?: CcxtCredentials;
}

/** Keys that must come through `credentials` (decrypted by the executor), never from strategies.yaml. */
const CREDENTIAL_FIELDS = ["apiKey", "secret", "password", "uid", "login", "privateKey", "walletAddress", "token"];

/**
 * Builds the one ccxt client of an account: the exchange's quirk defaults under the operator's options,
 * the rate limiter always on, credentials, and the sandbox switched on through ccxt's own
 * `setSandboxMode` (which swaps `urls.api` for `urls.test`).
 * @example createCcxtInstance({ exchange: "binance", options: { sandbox: true } })
 */
export function createCcxtInstance(config: CcxtInstanceConfig): Exchange {
  const { exchange: id, credentials } = config;
  const Ctor = (ccxt as unknown as Record<string, unknown>)[id];
  if (!ccxt.exchanges.includes(id) || typeof Ctor !== "function") {
    throw new Error(`unknown ccxt exchange "${id}"`);
  }
  const { sandbox, testnet, ...options } = config.options;
  const misplaced = CREDENTIAL_FIELDS.filter((field) => field in options);
  if (misplaced.length > 0) {
    throw new Error(
      `ccxt options of ${id} must not hold ${misplaced.join(", ")}: store keys with \`quantchat credentials add\``,
    );
  }
  const merged = deepMerge(quirksOf(id).defaults, options);
  const exchange = new (Ctor as new (config: Record<string, unknown>) => Exchange)({
    ...merged,
    // Never off: a burst of orders must queue here rather than earn us a ban.
    enableRateLimit: true,
    ...(credentials ? { apiKey: credentials.apiKey, secret: credentials.secret } : {}),
    ...(credentials?.password !== undefined ? { password: credentials.password } : {}),
  });
  if (sandbox === true || testnet === true) {
    // ccxt's base setSandboxMode swaps in urls.test even when it is undefined (Upbit), leaving no API at all.
    if (!exchange.urls.test) throw new Error(`${id} has no sandbox (no urls.test in ccxt)`);
    exchange.setSandboxMode(true);
  }
  captureResponseMeta(exchange);
  return exchange;
}

/**
 * `over` merged into `base`; nested plain objects merge, anything else in `over` replaces.
 * @example deepMerge({ options: { a: 1, b: 1 } }, { options: { b: 2 } }) // { options: { a: 1, b: 2 } }
 */
export function deepMerge(
  base: Readonly<Record<string, unknown>>,
  over: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
