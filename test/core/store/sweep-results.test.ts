import { describe, expect, it } from "vitest";
import { findSweepResults, saveSweepResult } from "../../../core/store/repositories/sweep-results.ts";
import { DIALECTS, useMigratedStore } from "../../helpers/db.ts";

const T0 = 1_700_000_000_000;

describe.each(DIALECTS)("sweep_results on %s", (dialect) => {
  const store = useMigratedStore(dialect, "sweep-results");

  const row = (id: string, sharpe: number | null, createdAt = T0) => ({
    id,
    backtestId: `bt-${id}`,
    pluginId: "sma-cross",
    params: { fast: 10, slow: 30 },
    metrics: { sharpe, trades: 12, bestTrade: { symbol: "BTC/USDT", pnl: -0.5 } },
    createdAt,
  });

  it("finds the stored ids among those asked for, metrics as they were saved", async () => {
    await saveSweepResult(store().db, row("a", 1.25));
    await saveSweepResult(store().db, row("b", null));
    const found = await findSweepResults(store().db, ["a", "b", "missing"]);
    expect([...found.keys()].sort()).toEqual(["a", "b"]);
    expect(found.get("a")).toEqual({ sharpe: 1.25, trades: 12, bestTrade: { symbol: "BTC/USDT", pnl: -0.5 } });
    expect(found.get("b")).toEqual({ sharpe: null, trades: 12, bestTrade: { symbol: "BTC/USDT", pnl: -0.5 } });
    expect((await findSweepResults(store().db, [])).size).toBe(0);
  });

  it("a second save under an id replaces the row (what --fresh does)", async () => {
    await saveSweepResult(store().db, row("c", 0.5, T0));
    await saveSweepResult(store().db, row("c", 0.75, T0 + 1));
    expect((await findSweepResults(store().db, ["c"])).get("c")).toMatchObject({ sharpe: 0.75 });
    const stored = await store().db.selectFrom("sweep_results").selectAll().where("id", "=", "c").execute();
    expect(stored).toHaveLength(1);
    expect(Number(stored[0]?.created_at)).toBe(T0 + 1);
  });

  it("answers for more ids than one statement may bind", async () => {
    const ids = Array.from({ length: 2_500 }, (_, i) => `many-${i}`);
    for (const id of ids.filter((_, i) => i % 500 === 7)) await saveSweepResult(store().db, row(id, 1));
    const found = await findSweepResults(store().db, ids);
    expect([...found.keys()].sort()).toEqual(["many-1007", "many-1507", "many-2007", "many-507", "many-7"]);
  });
});
