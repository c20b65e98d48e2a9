import type { BalanceView } from "../views.ts";
import { accountQuote, type TradingSource } from "./trading-source.ts";

/**
 * /balance: each account's cash and equity at the engine's marks, and every currency balance the
 * exchange reports (paper accounts answer from memory; a live one asks the exchange).
 * @example await readBalances(engine) // [{ accountId: "paper", quote: "USDT", cash: 8_000, equity: 10_250, ... }]
 */
export async function readBalances(engine: TradingSource): Promise<BalanceView[]> {
  const out: BalanceView[] = [];
  for (const account of engine.accounts().values()) {
    const status = account.trading.status();
    const balances = await account.exchange.fetchBalance();
    out.push({
      accountId: account.config.id,
      exchange: account.config.exchange,
      mode: account.config.mode,
      quote: accountQuote(account),
      cash: status.cash,
      equity: status.equity,
      peakEquity: status.peakEquity,
      currencies: Object.entries(balances)
        .filter(([, b]) => b.free !== 0 || b.used !== 0)
        .map(([currency, b]) => ({ currency, free: b.free, used: b.used }))
        .sort((a, b) => a.currency.localeCompare(b.currency)),
    });
  }
  return out;
}
