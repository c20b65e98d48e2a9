import { Resvg } from "@resvg/resvg-js";
import pino from "pino";
import type { Caller, Surface } from "../bot/commands/context.ts";
import { coreCharts } from "../bot/commands/services/charts.ts";
import { thin } from "../bot/commands/services/pnl.ts";
import { createTelegramBot, type TelegramBot } from "../bot/telegram/bot.ts";
import { equityChart } from "../core/charts/index.ts";
import { systemClock } from "../core/clock.ts";
import type { Engine } from "../core/engine.ts";
import { listEquity } from "../core/store/repositories/equity.ts";
import { coreServicesOf, startTestEngine } from "../test/bot/engine-fixture.ts";
import { type FakeTelegram, startFakeTelegram } from "../test/fakes/telegram/index.ts";
import type { Benchmark, BenchResult } from "./types.ts";

// Chat commands end to end (issue 6): the real grammY bot polling the fake Bot API on 127.0.0.1, a
// real engine behind it with 20 strategies (sma-cross on real BTC and ETH hourly candles, replayed)
// and 100 open positions. A round trip is timed on the server side of the conversation: from the
// moment the update is queued on the fake (the bot's long poll is answered at once) to the moment
// the fake receives the reply's last message. /status's table of 100 positions runs past Telegram's
// 4096 characters, so its reply is several messages; the clock stops at the last.
// References, in the same run: the same /status on the dispatcher directly (no Telegram, no HTTP),
// and for the chart, rasterising the very same SVG with resvg alone (ECharts' share is the rest).
// The bot runs with its throttler's limits lifted: under Telegram's one message a second per chat, a
// reply of k messages takes k-1 seconds by design, and the loop below would measure only that wait.

const STRATEGIES = 20;
const POSITIONS = 100;
const ADMIN = 1;

const bench: Benchmark = async ({ quick }) => {
  const rounds = quick ? 100 : 500;
  const t = await startTestEngine({ candles: 400, yaml: config(), symbols: ["BTC-USDT", "ETH-USDT"] });
  const fake = await startFakeTelegram();
  const telegram = createTelegramBot({
    token: fake.token,
    apiRoot: fake.apiRoot,
    services: coreServicesOf(t, systemClock),
    store: t.store,
    log: pino({ level: "silent" }),
    admins: [ADMIN],
    throttle: {
      globalPerSecond: Number.POSITIVE_INFINITY,
      privatePerSecond: Number.POSITIVE_INFINITY,
      groupPerSecond: Number.POSITIVE_INFINITY,
      groupPerMinute: Number.POSITIVE_INFINITY,
    },
  });
  try {
    await openPositions(t.engine);
    await telegram.start();
    const status = t.engine.status();
    const open = status.accounts.reduce((n, a) => n + a.positions.length, 0);
    if (status.strategies.length !== STRATEGIES || open !== POSITIONS) {
      throw new Error(`set-up: ${status.strategies.length} strategies and ${open} open positions`);
    }

    const parts = (await roundTrip(fake, telegram, "/status", 1)).messages;
    for (let i = 0; i < 30; i++) await roundTrip(fake, telegram, "/status", parts);
    const viaTelegram: number[] = [];
    for (let i = 0; i < rounds; i++) viaTelegram.push((await roundTrip(fake, telegram, "/status", parts)).ms);

    const caller: Caller = {
      platform: "telegram",
      userId: String(ADMIN),
      chatId: String(ADMIN),
      chatKind: "private",
      displayName: "Admin",
    };
    const surface: Surface = { progress: () => Promise.reject(new Error("not used by /status")) };
    const direct: number[] = [];
    for (let i = 0; i < rounds + 30; i++) {
      const t0 = performance.now();
      const result = await telegram.dispatcher.dispatch(caller, { name: "status", args: "" }, surface);
      if (result.outcome !== "ok") throw new Error(`/status on the dispatcher: ${result.outcome}`);
      if (i >= 30) direct.push(performance.now() - t0);
    }

    // The chart /pnl sends: the account's equity curve as /pnl all reads it, rendered as PNG.
    const curve = thin(await listEquity(t.store.db, { accountId: "paper" }));
    const points = curve.map((p) => ({ time: p.time, equity: p.equity }));
    const renders: number[] = [];
    const rasters: number[] = [];
    const svg = equityChart(
      { title: "paper equity", equity: points.map((p) => ({ time: p.time, value: p.equity })), drawdown: true },
      { width: 1000, height: 600 },
    ).svg;
    for (let i = 0; i < (quick ? 10 : 40); i++) {
      let t0 = performance.now();
      await coreCharts.equity({ title: "paper equity, all", quote: "USDT", points });
      renders.push(performance.now() - t0);
      t0 = performance.now();
      new Resvg(svg, { font: { loadSystemFonts: false } }).render().asPng();
      rasters.push(performance.now() - t0);
    }
    const pnlTrips: number[] = [];
    const pnlParts = (await roundTrip(fake, telegram, "/pnl all", 1, "sendPhoto")).messages;
    for (let i = 0; i < (quick ? 10 : 40); i++)
      pnlTrips.push((await roundTrip(fake, telegram, "/pnl all", pnlParts, "sendPhoto")).ms);

    const setup = `${STRATEGIES} strategies, ${POSITIONS} open positions`;
    const ref = "the same /status on the dispatcher, no Telegram";
    const results: BenchResult[] = [
      latency(
        `/status round trip via grammY + fake Bot API (${setup}): p50`,
        quantile(viaTelegram, 0.5),
        ref,
        quantile(direct, 0.5),
      ),
      {
        ...latency(
          `/status round trip via grammY + fake Bot API (${setup}): p99`,
          quantile(viaTelegram, 0.99),
          ref,
          quantile(direct, 0.99),
        ),
        target: "< 50 ms",
      },
      {
        ...latency(
          `/pnl equity chart render, ${points.length} points, 1000x600 PNG: p50`,
          quantile(renders, 0.5),
          "resvg rasterising the same SVG alone",
          quantile(rasters, 0.5),
        ),
        target: "< 200 ms",
      },
      latency(
        `/pnl equity chart render: p99`,
        quantile(renders, 0.99),
        "resvg rasterising the same SVG alone",
        quantile(rasters, 0.99),
      ),
      latency(
        `/pnl all round trip via grammY + fake Bot API (text + photo upload): p50`,
        quantile(pnlTrips, 0.5),
        "/status round trip p50",
        quantile(viaTelegram, 0.5),
      ),
    ];
    return results;
  } finally {
    await telegram.stop();
    await fake.close();
    await t.close();
  }
};

export default bench;

/** Sends `text` as the admin and waits for the `parts`-th reply message; ms from queueing the update. */
async function roundTrip(
  fake: FakeTelegram,
  telegram: TelegramBot,
  text: string,
  parts: number,
  last: "sendMessage" | "sendPhoto" = "sendMessage",
): Promise<{ ms: number; messages: number }> {
  const after = fake.sent.length;
  const t0 = performance.now();
  const { updateId } = fake.sendText(ADMIN, ADMIN, text);
  const isReply = (c: { method: string; payload: Record<string, unknown> }) =>
    (c.method === "sendMessage" || c.method === "sendPhoto") && c.payload.chat_id === ADMIN;
  let seen = 0;
  await fake.waitFor(
    (c) => isReply(c) && ++seen >= parts && (parts > 1 || c.method === last || last === "sendMessage"),
    { after },
  );
  const ms = performance.now() - t0;
  // The bot handles updates concurrently: confirming this one says only that it was taken in.
  await fake.handled(updateId);
  await telegram.idle();
  const messages = fake.sent.slice(after).filter(isReply).length;
  return { ms, messages };
}

function latency(name: string, value: number, reference: string, referenceValue: number): BenchResult {
  return { name, value, unit: "ms", reference, referenceValue, ratio: referenceValue / value };
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

/**
 * Tops the account up to POSITIONS open positions: each strategy buys small lots of synthetic
 * markets (the paper exchange prices any symbol it is given), through the same handleIntent the
 * strategies' own intents take, under each strategy's own binding.
 */
async function openPositions(engine: Engine): Promise<void> {
  const account = engine.accounts().get("paper")!.trading;
  const open = () => account.status().positions.length;
  const candle = { time: Date.UTC(2021, 0, 1), open: 100, high: 100, low: 100, close: 100, volume: 1 };
  let n = 0;
  for (let k = 1; open() < POSITIONS && k <= 10; k++) {
    for (const s of engine.strategies()) {
      if (open() >= POSITIONS) break;
      const symbol = `S${k}/USDT`;
      const intent = {
        id: `${s.config.id}:${symbol}:${candle.time}:${n++}`,
        strategyId: s.config.id,
        symbol,
        side: "buy" as const,
        reduceOnly: false,
        size: { kind: "base" as const, value: 1 },
        type: "market" as const,
        candleTime: candle.time,
      };
      await account.handleIntent(intent, candle, s.session.strategy);
    }
  }
}

function config(): string {
  const strategies = Array.from({ length: STRATEGIES }, (_, i) => {
    const symbol = i % 2 === 0 ? "BTC/USDT" : "ETH/USDT";
    return `  - id: cross-${i + 1}
    plugin: sma-cross
    account: paper
    symbols: [${symbol}]
    timeframe: 1h
    params: { fast: ${3 + (i % 5)}, slow: ${10 + i} }
    allocation: { pct: 2 }`;
  });
  return `
accounts:
  - id: paper
    exchange: binance
    balances: { USDT: 1000000 }
risk:
  maxOpenPositions: 200
  maxExposurePct: 100
  maxPositionPct: 100
feed:
  mode: replay
  replay: { candlesPerSecond: 100000, loop: false }
strategies:
${strategies.join("\n")}
`;
}
