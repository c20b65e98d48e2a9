import type { Clock } from "../../clock.ts";
import type { Candle } from "../../domain/index.ts";
import type { Logger } from "../../log.ts";
import type { Store } from "../../store/database.ts";
import { ExchangeError, OrderNotFoundError } from "../errors.ts";
import type { ExchangeAdapter, ExchangeOrder, ImmediateVenue, MarketInfo } from "../exchange.ts";
import { isOpen, PaperBook, toExchangeOrder } from "./book.ts";
import { type PaperMarket, paperMarket } from "./markets.ts";
import { BalanceMirror } from "./persist.ts";
import type { PaperFees } from "./pricing.ts";
import { restorePaperState } from "./restore.ts";
import { Wallets } from "./wallets.ts";

export interface PaperExchangeOptions {
  /** The account whose balances live in the store. */
  readonly accountId: string;
  readonly clock: Clock;
  /** Starting balances, for the first start (later starts resume from the store). */
  readonly balances: Readonly<Record<string, number>>;
  /** Percent of the notional, as in strategies.yaml: 0.1 = 0.1%. Default 0.1 / 0.1. */
  readonly fees?: PaperFees;
  /** How far a market order fills from the last price, against the taker. Default 0. */
  readonly slippageBps?: number;
  /** Sells may go below zero base (a short). Default false: spot. */
  readonly shorting?: boolean;
  /** Constraints per symbol; symbols seen only on the feed get satoshi steps and no minimum. */
  readonly markets?: Readonly<Record<string, PaperMarket>>;
  /** A resting order fills at most this share of each candle's volume; unset: all at once. */
  readonly volumeShare?: number;
  /** Final orders (and trades per symbol) kept for lookups; older ones are forgotten. Default 10 000. */
  readonly retain?: number;
  /** Where balances persist and orders resume from; none: an in-memory exchange (backtests). */
  readonly store?: Store;
  readonly log?: Logger;
}

/** The paper exchange: an ExchangeAdapter filled by the feed. */
export interface PaperExchange extends ExchangeAdapter {
  /** Orders and balances answered at once: the paper exchange lives in this process. */
  readonly immediate: ImmediateVenue;
  /** A candle closed: resting limit orders it crossed fill, and its close becomes the market price. */
  onCandle(symbol: string, candle: Candle): ExchangeOrder[];
  /** Sets the price market orders fill at (the engine's last trade price). */
  setPrice(symbol: string, price: number): void;
  lastPrice(symbol: string): number | undefined;
  /** Resolves once balance changes so far are in the store. */
  flush(): Promise<void>;
}

/**
 * A paper exchange for one account, resumed from the store when there is one: balances from the
 * recorded fills, resting orders from the stored open orders. Deterministic: the same candles,
 * prices, orders and clock give the same fills.
 * @example
 * const paper = await createPaperExchange({ accountId: "paper", clock, balances: { USDT: 10_000 }, fees: { maker: 0.1, taker: 0.1 }, slippageBps: 5, store });
 * await paper.onCandle("BTC/USDT", candle); // fills resting limits, sets the price for market orders
 */
export async function createPaperExchange(options: PaperExchangeOptions): Promise<PaperExchange> {
  const { clock, store, log } = options;
  const state = store ? await restorePaperState(store, options.accountId, options.balances) : undefined;
  if (state?.mismatch) {
    log?.warn({ accountId: options.accountId, ...state.mismatch }, "paper balances rebuilt from the recorded fills");
  }
  const wallets = new Wallets(state?.balances ?? options.balances);
  const book = new PaperBook(wallets, {
    fees: options.fees ?? { maker: 0.1, taker: 0.1 },
    slippageBps: options.slippageBps ?? 0,
    shorting: options.shorting ?? false,
    retain: options.retain ?? 10_000,
    ...(options.volumeShare !== undefined && { volumeShare: options.volumeShare }),
  });
  const markets = new Map<string, MarketInfo>();
  const marketOf = (symbol: string): MarketInfo => {
    let market = markets.get(symbol);
    if (!market) {
      market = paperMarket(symbol, options.markets?.[symbol]);
      markets.set(symbol, market);
    }
    return market;
  };
  for (const symbol of Object.keys(options.markets ?? {})) marketOf(symbol);
  for (const order of state?.openOrders ?? []) book.restore(order, marketOf(order.symbol));

  const mirror = store && new BalanceMirror(store, options.accountId, clock, log);
  const persist = () => {
    void mirror?.schedule(() => wallets.takeDirty());
  };
  persist();

  const find = (clientOrderId: string) => book.orders.get(clientOrderId);
  const immediate: ImmediateVenue = {
    createOrder(request) {
      const order = book.place(request, marketOf(request.symbol), clock.now());
      persist();
      return toExchangeOrder(order);
    },
    fetchBalance: () => wallets.balances(),
  };

  return {
    exchange: "paper",
    immediate,

    async loadMarkets() {
      return new Map(markets);
    },

    async createOrder(request) {
      return immediate.createOrder(request);
    },

    async fetchOrderByClientId(_symbol, clientOrderId) {
      const order = find(clientOrderId);
      return order && toExchangeOrder(order);
    },

    async fetchOpenOrders(symbol) {
      return [...book.orders.values()]
        .filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol))
        .map(toExchangeOrder);
    },

    async cancelOrder(symbol, clientOrderId) {
      if (!find(clientOrderId)) throw new OrderNotFoundError("paper", `no order ${clientOrderId}`);
      const order = book.cancel(clientOrderId, marketOf(symbol));
      persist();
      return toExchangeOrder(order);
    },

    async fetchBalance() {
      return wallets.balances();
    },

    async fetchTrades(symbol, since) {
      return book.tradesOf(symbol).filter((t) => since === undefined || t.time >= since);
    },

    async fetchCandles(symbol) {
      throw new ExchangeError(
        "paper",
        `the paper exchange keeps no candles of ${symbol}: read them from the market store`,
      );
    },

    async close() {
      await mirror?.flush();
    },

    onCandle(symbol, candle) {
      const touched = book.onCandle(symbol, candle, marketOf(symbol), clock.now());
      if (touched.length > 0) persist();
      return touched.map(toExchangeOrder);
    },

    setPrice(symbol, price) {
      marketOf(symbol);
      book.setPrice(symbol, price);
    },

    lastPrice: (symbol) => book.lastPrice(symbol),

    flush: async () => {
      await mirror?.flush();
    },
  };
}
