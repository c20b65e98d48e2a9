import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import type { AccountConfig, StrategiesConfig } from "../config/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import { createPaperExchange, type PaperExchange } from "../execution/paper/index.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/database.ts";
import { createTradingAccount, type TradingAccount } from "../trading/index.ts";

/** One account of strategies.yaml, ready to trade. */
export interface EngineAccount {
  readonly config: AccountConfig;
  readonly exchange: ExchangeAdapter;
  /** The paper exchange, when the account is a paper one (the feed drives it). */
  readonly paper?: PaperExchange;
  readonly trading: TradingAccount;
}

/**
 * Builds the trading pipeline of every account in the config. Paper accounts (the default) get the
 * paper exchange with their balances and fees; live accounts are refused here until the engine can
 * open their stored credentials, so that nothing trades real money by accident.
 * @example const accounts = await buildAccounts({ config, store, bus, clock, log })
 */
export async function buildAccounts(deps: {
  readonly config: StrategiesConfig;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: Logger;
}): Promise<Map<string, EngineAccount>> {
  const accounts = new Map<string, EngineAccount>();
  for (const config of deps.config.accounts) {
    if (config.mode !== "paper") {
      deps.log.warn({ account: config.id }, "live accounts are not traded by this version; the account is skipped");
      continue;
    }
    const paper = await createPaperExchange({
      accountId: config.id,
      clock: deps.clock,
      balances: config.balances,
      fees: config.fees,
      shorting: config.shorting,
      store: deps.store,
      log: deps.log,
    });
    const trading = createTradingAccount({
      accountId: config.id,
      exchange: paper,
      store: deps.store,
      bus: deps.bus,
      clock: deps.clock,
      log: deps.log,
      globalLimits: deps.config.risk,
      allowShort: config.shorting,
      costs: { takerPct: config.fees.taker },
    });
    const report = await trading.start();
    deps.log.info(
      { account: config.id, checked: report.checked, updated: report.updated.length, closed: report.closed.length },
      "paper account ready; stored orders reconciled",
    );
    accounts.set(config.id, { config, exchange: paper, paper, trading });
  }
  return accounts;
}
