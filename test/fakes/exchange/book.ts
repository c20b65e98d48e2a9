import type { Candle } from "../../../core/domain/candle.ts";

/**
 * The state of the fake exchange, in no exchange's dialect: markets, balances, orders, fills and
 * candles. The Binance and Upbit dialects translate their requests into these calls and the results
 * back into their own JSON. Numbers are rounded to 8 decimals, as both exchanges report them.
 */

export interface FakeMarket {
  readonly base: string;
  readonly quote: string;
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minQty: number;
  readonly minNotional: number;
  /** False: the market exists but takes no orders. */
  readonly trading?: boolean;
}

export type FakeSide = "buy" | "sell";
export type FakeOrderStatus = "open" | "filled" | "cancelled";

export interface FakeOrder {
  readonly id: string;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: FakeSide;
  /** "stop": a stop-market order (Binance's STOP_LOSS) resting until the price trades through `stopPrice`. */
  readonly type: "limit" | "market" | "stop";
  /** Base amount; undefined for a buy by quote amount (Upbit's market buy). */
  readonly amount?: number;
  readonly price?: number;
  readonly stopPrice?: number;
  /** Quote budget of a buy by quote amount. */
  readonly funds?: number;
  status: FakeOrderStatus;
  filled: number;
  /** Quote value of the fills so far. */
  cost: number;
  fee: number;
  readonly feeAsset: string;
  /** What is still held for this order, in `lockAsset`. */
  locked: number;
  readonly lockAsset: string;
  readonly time: number;
  updateTime: number;
  readonly tradeIds: number[];
}

export interface FakeTrade {
  readonly id: number;
  readonly orderId: string;
  readonly symbol: string;
  readonly side: FakeSide;
  readonly price: number;
  readonly amount: number;
  readonly fee: number;
  readonly feeAsset: string;
  readonly maker: boolean;
  readonly time: number;
}

export type PlaceFailure =
  | "unknown_symbol"
  | "market_closed"
  | "lot_size"
  | "price_filter"
  | "min_notional"
  | "insufficient_funds"
  | "duplicate";

export interface PlaceInput {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: FakeSide;
  readonly type: "limit" | "market" | "stop";
  readonly amount?: number;
  readonly price?: number;
  readonly stopPrice?: number;
  readonly funds?: number;
}

export interface BookOptions {
  readonly markets: Readonly<Record<string, FakeMarket>>;
  readonly balances: Readonly<Record<string, number>>;
  readonly prices: Readonly<Record<string, number>>;
  /** 0.001 = 0.1%. */
  readonly feeRate: number;
  /** Binance charges a buy's fee in the asset received; Upbit always in the quote currency, on top. */
  readonly feeIn: "received" | "quote";
  readonly newOrderId: (seq: number) => string;
  readonly now: () => number;
}

export const r8 = (x: number): number => Math.round(x * 1e8) / 1e8;

export class FakeBook {
  readonly markets: ReadonlyMap<string, FakeMarket>;
  readonly balances = new Map<string, { free: number; locked: number }>();
  readonly orders = new Map<string, FakeOrder>();
  readonly trades: FakeTrade[] = [];
  private readonly prices = new Map<string, number>();
  private readonly candles = new Map<string, Candle[]>();
  private readonly byClientId = new Map<string, FakeOrder>();
  private seq = 0;

  constructor(private readonly options: BookOptions) {
    this.markets = new Map(Object.entries(options.markets));
    for (const [asset, free] of Object.entries(options.balances)) this.setBalance(asset, free);
    for (const [symbol, price] of Object.entries(options.prices)) this.prices.set(symbol, price);
  }

  get now(): number {
    return this.options.now();
  }

  setBalance(asset: string, free: number): void {
    this.balances.set(asset, { free, locked: this.balances.get(asset)?.locked ?? 0 });
  }

  /** The market trades at `price`: resting stop orders it reaches trigger and fill there, as market orders. */
  setPrice(symbol: string, price: number): void {
    this.prices.set(symbol, price);
    for (const order of this.orders.values()) {
      if (order.type !== "stop" || order.status !== "open" || order.symbol !== symbol) continue;
      const trigger = order.stopPrice as number;
      if (order.side === "sell" ? price <= trigger : price >= trigger) this.fill(order, undefined, price, false);
    }
  }

  setCandles(symbol: string, timeframe: string, candles: readonly Candle[]): void {
    this.candles.set(
      `${symbol} ${timeframe}`,
      [...candles].sort((a, b) => a.time - b.time),
    );
  }

  candlesOf(symbol: string, timeframe: string): readonly Candle[] {
    return this.candles.get(`${symbol} ${timeframe}`) ?? [];
  }

  orderByClientId(clientOrderId: string): FakeOrder | undefined {
    return this.byClientId.get(clientOrderId);
  }

  /** Validates like the exchange would, reserves funds, and fills a market order at the set price. */
  place(input: PlaceInput): { order: FakeOrder } | { failure: PlaceFailure } {
    const market = this.markets.get(input.symbol);
    if (!market) return { failure: "unknown_symbol" };
    if (market.trading === false) return { failure: "market_closed" };
    const existing = this.byClientId.get(input.clientOrderId);
    if (existing?.status === "open") return { failure: "duplicate" };
    const fillPrice =
      input.type === "market" ? this.priceOf(input.symbol) : ((input.price ?? input.stopPrice) as number);
    if (input.amount !== undefined) {
      if (input.amount < market.minQty || !isMultiple(input.amount, market.stepSize)) return { failure: "lot_size" };
    }
    if (input.type === "limit" && !isMultiple(input.price as number, market.tickSize))
      return { failure: "price_filter" };
    if (input.type === "stop" && !(input.stopPrice !== undefined && isMultiple(input.stopPrice, market.tickSize)))
      return { failure: "price_filter" };
    const notional = input.funds ?? (input.amount as number) * fillPrice;
    if (notional < market.minNotional) return { failure: "min_notional" };

    const feeOnTop = this.options.feeIn === "quote" ? 1 + this.options.feeRate : 1;
    const need = input.side === "buy" ? r8(notional * feeOnTop) : (input.amount as number);
    const lockAsset = input.side === "buy" ? market.quote : market.base;
    const wallet = this.wallet(lockAsset);
    if (wallet.free < need) return { failure: "insufficient_funds" };
    wallet.free = r8(wallet.free - need);
    wallet.locked = r8(wallet.locked + need);

    const order: FakeOrder = {
      id: this.options.newOrderId(++this.seq),
      clientOrderId: input.clientOrderId,
      symbol: input.symbol,
      side: input.side,
      type: input.type,
      amount: input.amount,
      price: input.type === "limit" ? input.price : undefined,
      stopPrice: input.type === "stop" ? input.stopPrice : undefined,
      funds: input.funds,
      status: "open",
      filled: 0,
      cost: 0,
      fee: 0,
      feeAsset: this.options.feeIn === "received" && input.side === "buy" ? market.base : market.quote,
      locked: need,
      lockAsset,
      time: this.now,
      updateTime: this.now,
      tradeIds: [],
    };
    this.orders.set(order.id, order);
    this.byClientId.set(order.clientOrderId, order);
    if (input.type === "market") {
      const amount = input.amount ?? floorTo(notional / fillPrice, market.stepSize);
      this.fill(order, amount, fillPrice, false);
    }
    return { order };
  }

  /** Fills `amount` (default: all that is left) of an open order at `price` (default: its limit price). */
  fill(order: FakeOrder, amount?: number, price?: number, maker = true): void {
    if (order.status !== "open") throw new Error(`fake exchange: order ${order.clientOrderId} is ${order.status}`);
    const market = this.markets.get(order.symbol) as FakeMarket;
    const left = order.amount === undefined ? Number.POSITIVE_INFINITY : r8(order.amount - order.filled);
    const qty = r8(Math.min(amount ?? left, left));
    const at = price ?? order.price ?? this.priceOf(order.symbol);
    const cost = r8(qty * at);
    const rate = this.options.feeRate;
    const fee = r8(order.feeAsset === market.base ? qty * rate : cost * rate);
    const base = this.wallet(market.base);
    const quote = this.wallet(market.quote);
    if (order.side === "buy") {
      const spent = r8(cost + (order.feeAsset === market.quote ? fee : 0));
      order.locked = r8(order.locked - spent);
      quote.locked = r8(quote.locked - spent);
      base.free = r8(base.free + qty - (order.feeAsset === market.base ? fee : 0));
    } else {
      order.locked = r8(order.locked - qty);
      base.locked = r8(base.locked - qty);
      quote.free = r8(quote.free + cost - fee);
    }
    const trade: FakeTrade = {
      id: this.trades.length + 1,
      orderId: order.id,
      symbol: order.symbol,
      side: order.side,
      price: at,
      amount: qty,
      fee,
      feeAsset: order.feeAsset,
      maker,
      time: this.now,
    };
    this.trades.push(trade);
    order.tradeIds.push(trade.id);
    order.filled = r8(order.filled + qty);
    order.cost = r8(order.cost + cost);
    order.fee = r8(order.fee + fee);
    order.updateTime = this.now;
    // A buy by quote amount is done once it has spent its budget, whatever dust is left.
    if (order.amount === undefined || order.filled >= order.amount) this.finish(order, "filled");
  }

  cancel(order: FakeOrder): void {
    if (order.status !== "open") throw new Error(`fake exchange: order ${order.clientOrderId} is ${order.status}`);
    this.finish(order, "cancelled");
  }

  private finish(order: FakeOrder, status: FakeOrderStatus): void {
    const wallet = this.wallet(order.lockAsset);
    wallet.locked = r8(wallet.locked - order.locked);
    wallet.free = r8(wallet.free + order.locked);
    order.locked = 0;
    order.status = status;
    order.updateTime = this.now;
  }

  private priceOf(symbol: string): number {
    const price = this.prices.get(symbol);
    if (price === undefined) throw new Error(`fake exchange: no market price set for ${symbol}`);
    return price;
  }

  private wallet(asset: string): { free: number; locked: number } {
    let wallet = this.balances.get(asset);
    if (!wallet) {
      wallet = { free: 0, locked: 0 };
      this.balances.set(asset, wallet);
    }
    return wallet;
  }
}

function isMultiple(value: number, step: number): boolean {
  if (step <= 0) return true;
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-6;
}

function floorTo(value: number, step: number): number {
  return step > 0 ? r8(Math.floor(value / step + 1e-9) * step) : r8(value);
}
