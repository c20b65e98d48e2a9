import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BusEvents, BusTopic } from "../../../core/bus/index.ts";
import { MemoryBus } from "../../../core/bus/index.ts";
import { SimulatedClock } from "../../../core/clock.ts";
import type { Candle, OrderIntent, RiskLimits } from "../../../core/domain/index.ts";
import { DEFAULT_RISK_LIMITS } from "../../../core/domain/index.ts";
import { createPaperExchange, type PaperExchange } from "../../../core/execution/paper/index.ts";
import { createStore, type Store } from "../../../core/store/database.ts";
import { migrateToLatest } from "../../../core/store/migrate.ts";
import { createTradingAccount } from "../../../core/trading/account.ts";
import type { StrategyBinding, TradingAccount, TradingAccountOptions } from "../../../core/trading/types.ts";

export const T0 = Date.UTC(2024, 0, 15, 0, 0, 0);
export const HOUR = 3_600_000;
export const SYMBOL = "BTC/USDT";
export const STRATEGY: StrategyBinding = { id: "s1", allocation: { pct: 100 } };

/** Limits that never get in the way of a test about something else. */
export const LOOSE: RiskLimits = {
  ...DEFAULT_RISK_LIMITS,
  maxPositionPct: 100,
  maxExposurePct: 100,
  minOrderQuote: 0,
  maxDrawdownPct: 100,
  dailyLossLimitPct: 100,
};

/** A candle at hour `h` after T0. */
export function candle(h: number, open: number, high: number, low: number, close: number): Candle {
  return { time: T0 + h * HOUR, open, high, low, close, volume: 10 };
}

let seq = 0;
/** A market intent of strategy s1 on BTC/USDT at candle hour `h`. */
export function intent(h: number, over: Partial<OrderIntent> = {}): OrderIntent {
  return {
    id: `s1:${SYMBOL}:${T0 + h * HOUR}:${seq++}`,
    strategyId: "s1",
    symbol: SYMBOL,
    side: "buy",
    reduceOnly: false,
    size: { kind: "base", value: 1 },
    type: "market",
    candleTime: T0 + h * HOUR,
    ...over,
  };
}

/** Every event of the trading path, in publish order. */
export function recordingBus(): { bus: MemoryBus; events: { topic: BusTopic; payload: unknown }[] } {
  const bus = new MemoryBus();
  const events: { topic: BusTopic; payload: unknown }[] = [];
  const topics = ["risk.verdict", "risk.warning", "trading.state", "order.filled", "order.updated"] as const;
  for (const topic of topics) {
    bus.subscribe(topic, (payload: BusEvents[typeof topic]) => {
      events.push({ topic, payload });
    });
  }
  return { bus, events };
}

/** A SQLite file in a temp folder, migrated. */
export async function tempStore(): Promise<{
  store: Store;
  file: string;
  reopen(): Promise<Store>;
  cleanup(): Promise<void>;
}> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-trading-"));
  const file = path.join(dir, "trading.db");
  const store = createStore(file);
  await migrateToLatest(store);
  const opened = [store];
  return {
    store,
    file,
    async reopen() {
      const again = createStore(file);
      opened.push(again);
      return again;
    },
    async cleanup() {
      for (const s of opened) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A paper account over `store` with 10 000 USDT, 0.1% fees, no slippage, BTC in 0.00001 steps. */
export async function paperAccount(
  store: Store,
  over: Partial<TradingAccountOptions> & { readonly clock?: SimulatedClock; readonly bus?: MemoryBus } = {},
): Promise<{ account: TradingAccount; paper: PaperExchange; clock: SimulatedClock }> {
  const clock = over.clock ?? new SimulatedClock(T0);
  const paper = await createPaperExchange({
    accountId: "paper",
    clock,
    store,
    balances: { USDT: 10_000 },
    fees: { maker: 0.1, taker: 0.1 },
    markets: { [SYMBOL]: { amountStep: 0.00001, priceTick: 0.01 } },
    shorting: over.allowShort ?? false,
  });
  const account = createTradingAccount({
    accountId: "paper",
    exchange: paper,
    store,
    bus: over.bus ?? new MemoryBus(),
    clock,
    globalLimits: LOOSE,
    costs: { takerPct: 0.1 },
    quote: "USDT",
    equityEveryMs: 0,
    ...over,
  });
  await account.start();
  return { account, paper, clock };
}

/** Moves the clock to the candle and hands it to the account. */
export async function feed(account: TradingAccount, clock: SimulatedClock, c: Candle) {
  clock.set(c.time);
  return account.onCandle(SYMBOL, c);
}
