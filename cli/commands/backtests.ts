import type { Command } from "commander";
import { formatPct, formatRatio } from "../../core/backtest/report/format.ts";
import type { BacktestSummary } from "../../core/store/repositories/backtests.ts";
import { CliError } from "../errors.ts";

interface ListFlags {
  plugin?: string;
  symbol?: string;
  timeframe?: string;
  limit: string;
  json?: boolean;
}

/**
 * `quantchat backtests`: the stored backtest results, newest first: id, plugin, symbols, timeframe,
 * range, return, Sharpe, when it ran.
 * @example quantchat backtests --plugin sma-cross --limit 10
 */
export function register(program: Command): void {
  program
    .command("backtests")
    .description("List stored backtest results, newest first")
    .option("--plugin <id>", "only this plugin")
    .option("--symbol <symbol>", "only results that traded this symbol")
    .option("--timeframe <tf>", "only this timeframe")
    .option("--limit <n>", "at most this many", "20")
    .option("--json", "print the summaries as JSON")
    .addHelpText("after", "\nEnvironment: DATABASE_URL (default var/quantchat.db).")
    .action(async (flags: ListFlags) => {
      const limit = Number(flags.limit);
      if (!Number.isInteger(limit) || limit < 1) {
        throw new CliError(`--limit: expected an integer of at least 1, got "${flags.limit}"`);
      }
      const { createStore } = await import("../../core/store/database.ts");
      const { migrateToLatest } = await import("../../core/store/migrate.ts");
      const { listBacktestResults } = await import("../../core/store/repositories/backtests.ts");
      const { marketSettings } = await import("../../core/market/settings.ts");
      const store = createStore(marketSettings().databaseUrl);
      try {
        await migrateToLatest(store);
        const results = await listBacktestResults(store.db, {
          pluginId: flags.plugin,
          symbol: flags.symbol,
          timeframe: flags.timeframe,
          limit,
        });
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        } else if (results.length === 0) {
          process.stdout.write("no stored backtests (run one with: quantchat backtest --plugin ... --symbol ...)\n");
        } else {
          process.stdout.write(listTable(results));
        }
      } finally {
        await store.close();
      }
    });
}

/**
 * The listing as an aligned table; return and Sharpe come from the stored metrics.
 * @example listTable(await listBacktestResults(store.db, { limit: 20 }))
 */
export function listTable(results: readonly BacktestSummary[]): string {
  const header = ["id", "plugin", "symbol", "timeframe", "range (UTC)", "return", "sharpe", "created (UTC)"];
  const rows = results.map((r) => {
    const metrics = (r.metrics ?? {}) as { totalReturn?: number | null; sharpe?: number | null };
    return [
      r.id.slice(0, 12),
      `${r.pluginId} ${r.pluginVersion}`,
      r.symbols.join(","),
      r.timeframe,
      `${day(r.from)}..${day(r.to)}`,
      formatPct(metrics.totalReturn, { signed: true }),
      formatRatio(metrics.sharpe),
      new Date(r.createdAt).toISOString().slice(0, 16).replace("T", " "),
    ];
  });
  const right = new Set([5, 6]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return `${[line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n")}\n`;
}

function day(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "?";
}
