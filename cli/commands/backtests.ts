import type { Command } from "commander";
import { formatPct, formatRatio } from "../../core/backtest/report/format.ts";
import type { BacktestSummary } from "../../core/store/repositories/backtests.ts";
import { writeBacktestChart } from "../backtest-chart.ts";
import { pngPath } from "../backtest-flags.ts";
import { CliError } from "../errors.ts";
import { textTable } from "../table.ts";

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
  const backtests = program
    .command("backtests")
    .description("List stored backtest results, newest first")
    .option("--plugin <id>", "only this plugin")
    .option("--symbol <symbol>", "only results that traded this symbol")
    .option("--timeframe <tf>", "only this timeframe")
    .option("--limit <n>", "at most this many", "20")
    .option("--json", "print the summaries as JSON")
    .addHelpText(
      "after",
      "\nquantchat backtests show <id> prints one again: the report, --json or --chart.\n" +
        "Environment: DATABASE_URL (default var/quantchat.db).",
    )
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

  backtests
    .command("show <id>")
    .description("Print a stored backtest result again: the report, or --json, and --chart")
    .option("--json", "print the result as JSON on stdout")
    .option("--chart <file.png>", "write its chart: price with entries and exits, equity, drawdown")
    .addHelpText(
      "after",
      "\n<id> is the id printed by quantchat backtest, or its first digits (at least 6) as quantchat backtests lists them.\n" +
        "Environment: DATABASE_URL (default var/quantchat.db), QUANTCHAT_STATE_DIR (candle cache, for --chart).",
    )
    // --json is an option of `backtests` too, which takes it wherever it stands: the merged options see it.
    .action((id: string, _flags: unknown, command: Command) =>
      show(id, command.optsWithGlobals<{ json?: boolean; chart?: string }>()),
    );
}

/** Hex digits of a stored result's id; six tell thousands of results apart. */
const ID_PREFIX = /^[0-9a-f]{6,64}$/;

/**
 * `quantchat backtests show <id>`: a stored run rebuilt as it was saved, its metrics computed again with
 * the annualisation and risk-free rate it was stored with, so the report is the one its run printed.
 */
async function show(id: string, flags: { json?: boolean; chart?: string }): Promise<void> {
  const prefix = id.trim().toLowerCase();
  if (!ID_PREFIX.test(prefix)) {
    throw new CliError(
      `expected a backtest id (at least 6 hex digits, as quantchat backtests lists them), got "${id}"`,
    );
  }
  const chart = flags.chart === undefined ? undefined : pngPath("--chart", flags.chart);
  const { loadBacktest } = await import("../../core/backtest/save.ts");
  const { computeMetrics } = await import("../../core/backtest/metrics/index.ts");
  const { jsonReport, stringifyReport, textReport } = await import("../../core/backtest/report/index.ts");
  const { createStore } = await import("../../core/store/database.ts");
  const { migrateToLatest } = await import("../../core/store/migrate.ts");
  const { findBacktestIds } = await import("../../core/store/repositories/backtests.ts");
  const { marketSettings } = await import("../../core/market/settings.ts");
  const market = marketSettings();
  const store = createStore(market.databaseUrl);
  try {
    await migrateToLatest(store);
    const notFound = () => new CliError(`no stored backtest ${prefix} (quantchat backtests lists them)`);
    const ids = await findBacktestIds(store.db, prefix);
    if (ids.length === 0) throw notFound();
    if (ids.length > 1) throw new CliError(`${prefix} is the start of several stored backtests; give more of the id`);
    // Deleted between the two reads.
    const loaded = await loadBacktest(store, ids[0] as string);
    if (!loaded) throw notFound();
    const { run, summary } = loaded;
    const stored = (summary.metrics ?? {}) as { periodsPerYear?: number; riskFreeRate?: number };
    const metrics = computeMetrics(run, {
      ...(stored.periodsPerYear !== undefined && { periodsPerYear: stored.periodsPerYear }),
      ...(stored.riskFreeRate !== undefined && { riskFreeRate: stored.riskFreeRate }),
    });
    if (flags.json) {
      const doc = jsonReport(run, metrics, { id: summary.id, engineVersion: summary.engineVersion });
      process.stdout.write(`${stringifyReport(doc, 2)}\n`);
    } else {
      process.stdout.write(textReport(run, metrics, { id: summary.id }));
    }
    if (chart) await writeBacktestChart(chart, { store, cacheDir: market.cacheDir }, run, metrics);
  } finally {
    await store.close();
  }
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
  return textTable(header, rows, { right: new Set([5, 6]) });
}

function day(ms: number): string {
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : "?";
}
