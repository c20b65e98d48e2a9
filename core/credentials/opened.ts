import { inspect } from "node:util";

/** The plaintext of a credential: what an exchange client needs to sign requests. */
export interface CredentialSecrets {
  readonly apiKey: string;
  readonly secret: string;
  /** The passphrase some exchanges (OKX, KuCoin, Bitget) require besides key and secret. */
  readonly password?: string;
}

const REDACTED = "[redacted]";

/**
 * A decrypted credential, built so that printing it by accident prints nothing secret:
 * `JSON.stringify`, pino, `util.inspect`, `console.log`, template strings and `{ ...spread }` all see
 * `[redacted]` or nothing. Reading `.apiKey`, `.secret` or `.password` explicitly still works, which
 * is all an exchange client does.
 *
 * The secret fields are own, non-enumerable, read-only properties of a frozen object. Not getters over
 * `#private` fields: pino's redaction clones logged objects with their prototype and then reads the
 * redacted paths on the clone, and a private-field getter throws there, turning a log call into a crash.
 * @example
 * const creds = new OpenedCredential("binance-main", "binance", { apiKey, secret });
 * log.info({ creds }); // {"creds":"[redacted]"}
 * createCcxtAdapter({ exchange: creds.exchange, options, credentials: creds });
 */
export class OpenedCredential implements CredentialSecrets {
  declare readonly apiKey: string;
  declare readonly secret: string;
  declare readonly password?: string;

  constructor(
    /** The stored name, e.g. "binance-main". Not secret. */
    readonly name: string,
    /** The ccxt exchange id the credential was stored for. Not secret. */
    readonly exchange: string,
    secrets: CredentialSecrets,
  ) {
    const hidden = (value: string | undefined) => ({ value, enumerable: false, writable: false, configurable: false });
    Object.defineProperties(this, {
      apiKey: hidden(secrets.apiKey),
      secret: hidden(secrets.secret),
      ...(secrets.password !== undefined && { password: hidden(secrets.password) }),
    });
    Object.freeze(this);
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}
