import type { AccountConfig } from "../config/index.ts";
import { type MasterKeyInput, openCredential } from "../credentials/index.ts";
import { createCcxtAdapter } from "../execution/ccxt/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import type { Store } from "../store/database.ts";

/** A live account could not be opened: its id and the one-line cause, for start-up to stop on. */
export class AccountOpenError extends Error {
  constructor(
    readonly accountId: string,
    cause: string,
  ) {
    super(`account ${accountId}: ${cause}`);
    this.name = "AccountOpenError";
  }
}

/**
 * The signed ccxt client of a live account: its stored credential decrypted here (never logged), the
 * account's `ccxt:` options from strategies.yaml. A missing master key, a missing credential or one
 * stored for another exchange stops start-up with the account named, rather than trading without it.
 * @example const binance = await openLiveExchange(store, env.QUANTCHAT_MASTER_KEY, account)
 */
export async function openLiveExchange(
  store: Pick<Store, "db">,
  masterKey: MasterKeyInput,
  account: AccountConfig,
): Promise<ExchangeAdapter> {
  if (!account.credentials) throw new AccountOpenError(account.id, "a live account needs `credentials:`");
  try {
    const credential = await openCredential(store, masterKey, account.credentials);
    if (credential.exchange !== account.exchange) {
      throw new Error(`credential ${credential.name} is for ${credential.exchange}, not ${account.exchange}`);
    }
    return createCcxtAdapter({ exchange: account.exchange, options: account.ccxt, credentials: credential });
  } catch (error) {
    throw new AccountOpenError(account.id, error instanceof Error ? error.message : String(error));
  }
}

/**
 * An unsigned ccxt client for public market data (candles) of `exchange`, with the options of the first
 * account on that exchange (so `urls`, `sandbox` and proxies apply to the feed too).
 * @example const data = marketDataExchange("binance", config.accounts)
 */
export function marketDataExchange(exchange: string, accounts: readonly AccountConfig[]): ExchangeAdapter {
  const options = accounts.find((a) => a.exchange === exchange)?.ccxt ?? {};
  return createCcxtAdapter({ exchange, options });
}
