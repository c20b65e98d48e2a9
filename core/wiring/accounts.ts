import type { Bus } from "../bus/index.ts";
import type { Clock } from "../clock.ts";
import type { AccountConfig, StrategiesConfig } from "../config/index.ts";
import type { MasterKeyInput } from "../credentials/index.ts";
import type { ExchangeAdapter } from "../execution/exchange.ts";
import { createPaperExchange, type PaperExchange } from "../execution/paper/index.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/database.ts";
import { createTradingAccount, type TradingAccount } from "../trading/index.ts";
import { openLiveExchange } from "./exchanges.ts";

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
 * paper exchange with their balances and fees; live accounts get the signed ccxt client of their stored
 * credential (opened with `masterKey`) and an executor that reconciles positions with the exchange's
 * balances. A live account that cannot be opened stops start-up: trading on without it would be worse.
 * @example const accounts = await buildAccounts({ config, store, bus, clock, log, masterKey: env.QUANTCHAT_MASTER_KEY })
 */
export async function buildAccounts(deps: {
  readonly config: StrategiesConfig;
  readonly store: Store;
  readonly bus: Bus;
  readonly clock: Clock;
  readonly log: Logger;
  readonly masterKey?: MasterKeyInput;
}): Promise<Map<string, EngineAccount>> {
  const accounts = new Map<string, EngineAccount>();
  try {
    for (const config of deps.config.accounts) {
      const account = config.mode === "live" ? await liveAccount(deps, config) : await paperAccount(deps, config);
      accounts.set(config.id, account);
      const report = await account.trading.start();
      deps.log.info(
        {
          account: config.id,
          mode: config.mode,
          exchange: config.exchange,
          checked: report.checked,
          updated: report.updated.length,
          closed: report.closed.length,
        },
        "account ready; stored orders reconciled",
      );
      for (const order of report.unknownOnExchange) {
        deps.log.warn(
          { account: config.id, symbol: order.symbol, exchangeOrderId: order.exchangeOrderId, side: order.side },
          "an open order on the exchange that quantchat did not place; left alone",
        );
      }
      for (const difference of report.balanceDifferences) {
        deps.log.warn({ account: config.id, ...difference }, "positions and exchange balance differ");
      }
    }
  } catch (error) {
    await closeAccounts(accounts);
    throw error;
  }
  return accounts;
}

/** Stops every account's pipeline and releases its exchange connection. */
export async function closeAccounts(accounts: ReadonlyMap<string, EngineAccount>): Promise<void> {
  for (const account of accounts.values()) {
    await account.trading.stop().catch(() => undefined);
    await account.exchange.close().catch(() => undefined);
  }
}

type AccountDeps = Parameters<typeof buildAccounts>[0];

async function paperAccount(deps: AccountDeps, config: AccountConfig): Promise<EngineAccount> {
  const paper = await createPaperExchange({
    accountId: config.id,
    clock: deps.clock,
    balances: config.balances,
    fees: config.fees,
    shorting: config.shorting,
    store: deps.store,
    log: deps.log,
  });
  return { config, exchange: paper, paper, trading: tradingFor(deps, config, paper, false) };
}

async function liveAccount(deps: AccountDeps, config: AccountConfig): Promise<EngineAccount> {
  const exchange = await openLiveExchange(deps.store, deps.masterKey, config);
  return { config, exchange, trading: tradingFor(deps, config, exchange, true) };
}

function tradingFor(
  deps: AccountDeps,
  config: AccountConfig,
  exchange: ExchangeAdapter,
  live: boolean,
): TradingAccount {
  return createTradingAccount({
    accountId: config.id,
    exchange,
    store: deps.store,
    bus: deps.bus,
    clock: deps.clock,
    log: deps.log,
    globalLimits: deps.config.risk,
    allowShort: config.shorting,
    costs: { takerPct: config.fees.taker },
    executor: { live },
  });
}
