import { isTimeframe, type Timeframe, timeframeMs } from "../../../core/domain/index.ts";
import { loadCandles } from "../../../core/market/candle-cache.ts";
import { listSeries } from "../../../core/market/series.ts";
import type { Store } from "../../../core/store/database.ts";
import { listFills } from "../../../core/store/repositories/fills.ts";
import { listOrders } from "../../../core/store/repositories/orders.ts";
import type { MarketChartView } from "../views.ts";
import type { ChartPort, TradeMarker } from "./charts.ts";
import type { LastCandles } from "./last-candles.ts";

export interface MarketChartDeps {
  readonly store: Store;
  readonly cacheDir: string;
  /** Exchanges in the order to look for the symbol: the accounts' first. */
  readonly exchanges: readonly string[];
  readonly candles: LastCandles;
  /** The timeframe a strategy trades the symbol on, when one does: the natural default. */
  readonly tradedOn: (symbol: string) => string | undefined;
  readonly charts?: ChartPort;
}

/** Candles on one chart: enough to see a trend and the trades in it, few enough to tell candles apart. */
export const CHART_CANDLES = 120;

/**
 * /chart <symbol> [timeframe]: the last CHART_CANDLES stored candles up to where the feed is now (a
 * replay is somewhere in the past), with our fills on them: an entry adds to a strategy's position,
 * an exit reduces it. Without a timeframe, the one a strategy trades the symbol on, else 1h, else the
 * first stored.
 * @example await marketChart(deps, "BTC/USDT", "1h") // { kind: "done", candles: 120, entries: 3, exits: 2, chart }
 */
export async function marketChart(deps: MarketChartDeps, symbol: string, timeframe?: string): Promise<MarketChartView> {
  const wanted = symbol.toUpperCase();
  const stored = (await listSeries(deps.store)).filter((s) => s.symbol.toUpperCase() === wanted);
  const rank = (exchange: string) => {
    const i = deps.exchanges.indexOf(exchange);
    return i < 0 ? deps.exchanges.length : i;
  };
  stored.sort((a, b) => rank(a.exchange) - rank(b.exchange));
  const preferred = timeframe ?? deps.tradedOn(wanted) ?? "1h";
  const series = stored.find((s) => s.timeframe === preferred) ?? (timeframe === undefined ? stored[0] : undefined);
  if (!series || !isTimeframe(series.timeframe)) {
    return { kind: "no-data", symbol: wanted, timeframe: timeframe ?? preferred };
  }
  const tf: Timeframe = series.timeframe;
  const step = timeframeMs(tf);
  const end = Math.min(series.last, deps.candles.get(series.exchange, series.symbol)?.time ?? series.last);
  const from = end - (CHART_CANDLES - 1) * step;
  const candles = await loadCandles(deps.store, series, { from, to: end + 1 }, deps.cacheDir);
  const n = candles.time.length;
  if (n === 0) return { kind: "no-data", symbol: wanted, timeframe: tf };
  const markers = await tradeMarkers(deps.store, series.symbol, candles.time[0] as number, end + step);
  const chart = await deps.charts?.candles({ title: `${series.symbol} ${tf}`, candles, markers });
  return {
    kind: "done",
    exchange: series.exchange,
    symbol: series.symbol,
    timeframe: tf,
    candles: n,
    first: candles.time[0] as number,
    last: candles.time[n - 1] as number,
    lastClose: candles.close[n - 1] as number,
    entries: markers.filter((m) => m.kind === "entry").length,
    exits: markers.filter((m) => m.kind === "exit").length,
    ...(chart && { chart }),
  };
}

/**
 * Our fills of a symbol on candles [from, to) as entries and exits. A fill sits on the candle its
 * intent was decided on (intent ids end with `:<candle time>:<n|kind>`), which is where a replay's
 * trades belong too: the fill itself is stamped with the wall clock. Each strategy's position is
 * followed from its first fill, so a sell that closes a long is an exit and one that opens a short
 * an entry.
 * @example await tradeMarkers(store, "BTC/USDT", from, to) // [{ time, price: 50_010, side: "buy", kind: "entry" }, ...]
 */
export async function tradeMarkers(store: Store, symbol: string, from: number, to: number): Promise<TradeMarker[]> {
  const [fills, orders] = await Promise.all([
    listFills(store.db, { symbol, order: "asc" }),
    listOrders(store.db, { symbol }),
  ]);
  const candleOf = new Map(orders.map((o) => [o.clientOrderId, candleTimeOf(o.intentId)]));
  const held = new Map<string, number>();
  const out: TradeMarker[] = [];
  for (const f of fills) {
    const before = held.get(f.strategyId) ?? 0;
    const after = before + (f.side === "buy" ? f.amount : -f.amount);
    held.set(f.strategyId, Math.abs(after) < 1e-12 ? 0 : after);
    const time = candleOf.get(f.clientOrderId) ?? f.time;
    if (time < from || time >= to) continue;
    const kind = Math.abs(after) > Math.abs(before) && Math.sign(after) !== -Math.sign(before) ? "entry" : "exit";
    out.push({ time, price: f.price, side: f.side, kind });
  }
  return out;
}

/**
 * The candle time in an intent id: `<strategy>:<symbol>:<candle time>:<n|kind>`.
 * @example candleTimeOf("sma-btc:BTC/USDT:1700000000000:0") // 1700000000000
 */
export function candleTimeOf(intentId: string): number | undefined {
  const match = /:(\d{10,16}):[^:]+$/.exec(intentId);
  return match ? Number(match[1]) : undefined;
}
