import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../../core/plugins/evaluate.ts";
import { candlesFrom, fixture } from "./helpers.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true });
});

/** A throwaway plugin folder. */
function plugin(code: string, extra = ""): string {
  const dir = mkdtempSync(path.join(tmpdir(), "qc-eval-"));
  dirs.push(dir);
  writeFileSync(
    path.join(dir, "plugin.yaml"),
    `id: t\nname: T\nversion: 1.0.0\nauthor: a\ndescription: d\nentry: s.js\napi: ^1.0.0\npermissions: [log, state]\n${extra}`,
  );
  writeFileSync(path.join(dir, "s.js"), code);
  return dir;
}

const candles = { "BTC/USDT": candlesFrom([100, 110, 120, 130, 140]) };

describe("evaluatePlugin", () => {
  it("fills market intents at the close: the plugin sees its position from the next candle on", async () => {
    const dir = plugin(`export default {
      onCandle(c, ctx) {
        const p = ctx.position();
        ctx.log.info(c.close + " qty=" + p.quantity + " entry=" + p.entryPrice + " pnl=" + p.unrealizedPnl + " cash=" + ctx.balance.cash + " equity=" + ctx.balance.equity);
        if (c.close === 110) ctx.buy({ size: { fraction: 0.5 } });
        if (c.close === 130) ctx.close({ reason: "done" });
      },
    };`);
    const r = await evaluatePlugin({ pluginDir: dir, candles, cash: 1000 });
    expect(r.failed).toBeUndefined();
    const qty = 500 / 110; // half the cash at the close of 110
    const cash = 1000 - qty * 110;
    expect(r.logs).toEqual([
      "info: 100 qty=0 entry=0 pnl=0 cash=1000 equity=1000",
      "info: 110 qty=0 entry=0 pnl=0 cash=1000 equity=1000",
      `info: 120 qty=${qty} entry=110 pnl=${qty * 10} cash=${cash} equity=${cash + qty * 120}`,
      `info: 130 qty=${qty} entry=110 pnl=${qty * 20} cash=${cash} equity=${cash + qty * 130}`,
      `info: 140 qty=0 entry=0 pnl=0 cash=${cash + qty * 130} equity=${cash + qty * 130}`,
    ]);
    expect(r.intents).toEqual([
      {
        index: 1,
        time: candles["BTC/USDT"][1]!.time,
        symbol: "BTC/USDT",
        side: "buy",
        reduceOnly: false,
        size: { kind: "fraction", value: 0.5 },
        type: "market",
      },
      {
        index: 3,
        time: candles["BTC/USDT"][3]!.time,
        symbol: "BTC/USDT",
        side: "sell",
        reduceOnly: true,
        size: { kind: "fraction", value: 1 },
        type: "market",
        reason: "done",
      },
    ]);
  });

  it("ctx.close() when flat asks for nothing; with fill none positions stay flat", async () => {
    const dir = plugin(`export default {
      onCandle(c, ctx) { if (c.close === 100) ctx.buy(); if (c.close >= 120) ctx.close(); },
    };`);
    const filled = await evaluatePlugin({ pluginDir: dir, candles });
    expect(filled.intents.map((i) => [i.index, i.side, i.reduceOnly])).toEqual([
      [0, "buy", false],
      [2, "sell", true],
    ]);
    const none = await evaluatePlugin({ pluginDir: dir, candles, fill: "none" });
    expect(none.intents.map((i) => [i.index, i.side])).toEqual([[0, "buy"]]);
  });

  it("runs onFill after each fill and records what it asks for on the same candle", async () => {
    const dir = plugin(`export default {
      onCandle(c, ctx) { if (c.close === 110) ctx.buy({ size: { quote: 220 } }); },
      onFill(fill, ctx) {
        ctx.log.info("fill " + fill.side + " " + fill.amount + " @" + fill.price + " fee=" + fill.fee);
        if (fill.side === "buy") ctx.sell({ size: { base: fill.amount }, type: "limit", limitPrice: fill.price * 1.1, reason: "take profit" });
      },
    };`);
    const r = await evaluatePlugin({ pluginDir: dir, candles });
    expect(r.logs).toEqual(["info: fill buy 2 @110 fee=0"]);
    expect(r.intents.map((i) => [i.index, i.side, i.type, i.limitPrice])).toEqual([
      [1, "buy", "market", undefined],
      [1, "sell", "limit", 121.00000000000001],
    ]);
  });

  it("throws for params the manifest rejects, and for the wrong number of symbols", async () => {
    await expect(evaluatePlugin({ pluginDir: fixture("sma-cross"), params: { fast: 0 }, candles })).rejects.toThrow(
      "test-sma-cross: params.fast: expected an integer from 1 to 500, got 0",
    );
    await expect(
      evaluatePlugin({ pluginDir: fixture("sma-cross"), candles: { ...candles, "ETH/USDT": candles["BTC/USDT"] } }),
    ).rejects.toThrow(/trades 1 to 1 symbols, got 2/);
  });

  it("a plugin that keeps ordering from onFill is stopped", async () => {
    const dir = plugin(`export default {
      onCandle(c, ctx) { if (c.close === 110) ctx.buy({ size: { quote: 10 } }); },
      onFill(fill, ctx) { ctx.buy({ size: { quote: 10 } }); },
    };`);
    const r = await evaluatePlugin({ pluginDir: dir, candles });
    expect(r.failed).toEqual({ cause: "invalid-output", message: expect.stringMatching(/onFill kept ordering/) });
  });

  it("onStop may close what is held; its intents count for the last candle", async () => {
    const dir = plugin(`export default {
      onCandle(c, ctx) { if (c.close === 100) ctx.buy(); },
      onStop(ctx) { ctx.close({ reason: "stopping" }); },
    };`);
    const r = await evaluatePlugin({ pluginDir: dir, candles });
    expect(r.intents.map((i) => [i.index, i.side, i.reason])).toEqual([
      [0, "buy", undefined],
      [4, "sell", "stopping"],
    ]);
  });
});
