import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHAT_CHART } from "../../../bot/commands/services/charts.ts";
import { formatNumber } from "../../../bot/i18n/index.ts";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { listFills } from "../../../core/store/repositories/fills.ts";
import { startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness, textOf } from "../harness.ts";
import { decodePng } from "../png.ts";

const VIEWER = 3;
const STRANGER = 99;

// The reading commands against a real engine that traded 400 hourly candles of BTC and ETH.
describe("reports from a real engine, through grammY and the fake Bot API", () => {
  let t: TestEngine;
  let h: Harness;
  beforeAll(async () => {
    t = await startTestEngine();
    h = await startHarness({
      roles: { [VIEWER]: "viewer" },
      engine: t,
    });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  const account = () => t.engine.accounts().get("paper")!.trading.status();

  it("traded: the engine holds fills and open positions to report on", async () => {
    expect((await listFills(t.store.db)).length).toBeGreaterThan(10);
    expect(account().positions.length).toBeGreaterThan(0);
  });

  it("/balance shows equity and cash as the account values them, and each currency", async () => {
    const text = plain(onlyMessage(await h.say(VIEWER, "/balance")));
    const a = account();
    expect(text).toContain(`paper (binance, paper): equity ${formatNumber(a.equity, "en", 2)} USDT`);
    expect(text).toContain(`cash ${formatNumber(a.cash, "en", 2)} USDT`);
    expect(text).toMatch(/Currency\s+Free\s+Used/);
    expect(text).toMatch(/USDT\s+[\d,.]+\s+0/);
  });

  it("/positions lists every open position with its mark and unrealised PnL, and offers Refresh and Close all", async () => {
    const message = onlyMessage(await h.say(VIEWER, "/positions"));
    const text = plain(message);
    for (const p of account().positions) {
      expect(text).toMatch(
        new RegExp(`${p.strategyId}\\s+${p.symbol.replace("/", "\\/")}\\s+${formatNumber(p.quantity, "en")}`),
      );
    }
    expect(buttonsOf(message).map((b) => b.callback_data)).toEqual(["c|/positions", "c|/close all"]);
  });

  it("/orders shows open orders and the latest n; /trades the latest n fills", async () => {
    const orders = plain(onlyMessage(await h.say(VIEWER, "/orders 3")));
    expect(orders).toContain("No open orders.");
    expect(orders.split("\n").filter((l) => / filled$/.test(l))).toHaveLength(3);
    const trades = plain(onlyMessage(await h.say(VIEWER, "/trades 4")));
    expect(trades).toContain("Latest 4 fills");
    const [newest] = await listFills(t.store.db, { limit: 1 });
    expect(trades.split("\n")[4]).toContain(newest!.strategyId);
  });

  it("/pnl answers numbers and an equity chart, a real PNG of the chart's size", async () => {
    const calls = await h.say(VIEWER, "/pnl all");
    expect(textOf(calls)).toMatch(/PnL, all time\n\npaper: 2020-12-01 \d\d:00 UTC to 2020-12-17 15:00 UTC/);
    expect(textOf(calls)).toMatch(/Equity: 10,000 USDT → [\d,.]+ USDT\nPnL: [+-]?[\d,.]+ USDT \([+-]?[\d.]+%\)/);
    const photo = calls.find((c) => c.method === "sendPhoto")!;
    expect(plain(photo)).toBe("Equity of paper, all time");
    const png = decodePng(photo.file!.bytes);
    expect([png.width, png.height]).toEqual([CHAT_CHART.width, CHAT_CHART.height]);
    expect(photo.file!.bytes.length).toBeGreaterThan(5_000);
    expect(photo.file!.bytes.length).toBeLessThan(1_000_000);
  });

  it("/daily answers a table of days and a bar chart", async () => {
    const calls = await h.say(VIEWER, "/daily 5");
    const text = textOf(calls);
    expect(text).toContain("Daily PnL, last 5 days");
    expect(text.match(/^2020-12-1\d\s/gm)).toHaveLength(5);
    const photo = calls.find((c) => c.method === "sendPhoto")!;
    expect(decodePng(photo.file!.bytes).width).toBe(CHAT_CHART.width);
  });

  it("/performance adds up by strategy and by symbol", async () => {
    const text = plain(onlyMessage(await h.say(VIEWER, "/performance")));
    expect(text).toMatch(/By strategy[\s\S]*btc-fast-cross[\s\S]*By symbol[\s\S]*BTC\/USDT/);
    const fills = (await listFills(t.store.db, { strategyId: "eth-cross" })).length;
    expect(text).toMatch(new RegExp(`eth-cross\\s+[+-]?[\\d,.]+\\s+[+-]?[\\d,.]+\\s+[\\d,.]+\\s+${fills}\\n`));
  });

  it("/strategies and /strategy show state, params, the risk override and the last verdicts", async () => {
    expect(plain(onlyMessage(await h.say(VIEWER, "/strategies")))).toMatch(
      /btc-fast-cross\s+sma-cross\s+running\s+BTC\/USDT\s+1h[\s\S]*eth-cross\s+sma-cross\s+running/,
    );
    const message = onlyMessage(await h.say(VIEWER, "/strategy eth-cross"));
    const text = plain(message);
    expect(text).toContain("Plugin: sma-cross 1.1.0, account paper");
    expect(text).toMatch(/fast\s+5\n/);
    expect(text).toMatch(/slow\s+13\n/);
    expect(text).toMatch(/maxPositionPct\s+15/);
    expect(text).toMatch(/volatility\.action\s+reject/);
    expect(text).toMatch(/Last risk verdicts[\s\S]*ETH\/USDT\s+(approved|resized|rejected)/);
    expect(buttonsOf(message).map((b) => b.callback_data)).toEqual(["c|/stop eth-cross", "c|/strategy eth-cross"]);
    expect(plain(onlyMessage(await h.say(VIEWER, "/strategy nope")))).toBe("No strategy nope. /strategies lists them.");
  });

  it("/chart draws the latest candles with our entries and exits", async () => {
    const calls = await h.say(VIEWER, "/chart btc/usdt");
    const photo = calls.find((c) => c.method === "sendPhoto")!;
    expect(plain(photo)).toMatch(
      /^BTC\/USDT 1h \(binance\): 120 candles to 2020-12-17 15:00 UTC, last [\d,.]+\. Our entries: [1-9]\d*, exits: \d+\.$/,
    );
    expect(decodePng(photo.file!.bytes).height).toBe(CHAT_CHART.height);
    expect(plain(onlyMessage(await h.say(VIEWER, "/chart DOGE/USDT")))).toBe("No DOGE/USDT 1h candles are stored.");
  });

  it("/risk shows each limit beside its use", async () => {
    const text = plain(onlyMessage(await h.say(VIEWER, "/risk")));
    expect(text).toContain("paper: trading ACTIVE");
    expect(text).toMatch(/Daily loss\s+[\d.]+%\s+5%/);
    expect(text).toMatch(/Largest position\s+[\d.]+%\s+20%/);
    expect(text).toMatch(new RegExp(`Open positions\\s+${account().positions.length}\\s+10\\s+`));
  });

  it("answers bad arguments with the usage line", async () => {
    const cases: [string, string][] = [
      ["/trades many", "Usage: /trades [count]"],
      ["/trades 0", "Usage: /trades [count]"],
      ["/orders 500", "Usage: /orders [count]"],
      ["/pnl year", "Usage: /pnl [day|week|month|all]"],
      ["/daily 0", "Usage: /daily [days]"],
      ["/strategy", "Usage: /strategy <id>"],
      ["/strategy ../etc", "Usage: /strategy <id>"],
      ["/chart BTCUSDT", "Usage: /chart <symbol> [timeframe]"],
      ["/chart BTC/USDT hourly", "Usage: /chart <symbol> [timeframe]"],
      ["/positions all", "Usage: /positions"],
    ];
    for (const [line, usage] of cases) expect(plain(onlyMessage(await h.say(VIEWER, line))), line).toBe(usage);
  });

  it("refuses a user without a role and audits it", async () => {
    for (const line of ["/balance", "/pnl", "/chart BTC/USDT"]) {
      expect(plain(onlyMessage(await h.say(STRANGER, line)))).toBe("You are not allowed to use this bot.");
    }
    const denied = await listAudit(t.store.db, { actor: `telegram:${STRANGER}`, outcome: "denied" });
    expect(denied.map((a) => a.action).sort()).toEqual(["balance", "chart", "pnl"]);
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
