import type { Command } from "commander";
import { textTable } from "../table.ts";

interface CandlesFlags {
  exchange?: string;
  symbol?: string;
  timeframe?: string;
  gaps?: boolean;
}

/**
 * `quantchat candles`: what is stored, one line per series (exchange, symbol, timeframe, range in UTC,
 * count, gaps); `--gaps` lists each hole as well.
 * @example quantchat candles --symbol BTC/USDT --gaps
 */
export function register(program: Command): void {
  program
    .command("candles")
    .description("List the stored candle series: symbol, timeframe, range (UTC), count and gaps")
    .option("--exchange <id>", "only this exchange")
    .option("--symbol <symbol>", "only this symbol, e.g. BTC/USDT")
    .option("--timeframe <tf>", "only this timeframe, e.g. 1h")
    .option("--gaps", "list every gap (last candle before -> first after, candles missing)")
    .addHelpText("after", "\nEnvironment: DATABASE_URL (default var/quantchat.db), QUANTCHAT_STATE_DIR (cache).")
    .action(async (flags: CandlesFlags) => {
      const market = await import("../../core/market/index.ts");
      const { createStore } = await import("../../core/store/database.ts");
      const { migrateToLatest } = await import("../../core/store/migrate.ts");
      const settings = market.marketSettings();
      const store = createStore(settings.databaseUrl);
      try {
        await migrateToLatest(store);
        const series = (await market.listSeries(store)).filter(
          (s) =>
            (!flags.exchange || s.exchange === flags.exchange) &&
            (!flags.symbol || s.symbol === flags.symbol) &&
            (!flags.timeframe || s.timeframe === flags.timeframe),
        );
        if (series.length === 0) {
          process.stdout.write("no candles stored (import some with: quantchat import <file>)\n");
          return;
        }
        const rows = series.map((s) => [
          s.exchange,
          s.symbol,
          s.timeframe,
          iso(s.first),
          iso(s.last),
          s.count.toLocaleString("en-US"),
          String(s.gaps),
        ]);
        const header = ["exchange", "symbol", "timeframe", "first (UTC)", "last (UTC)", "count", "gaps"];
        process.stdout.write(textTable(header, rows, { right: new Set([5, 6]), rule: false }));
        if (!flags.gaps) return;
        for (const s of series) {
          if (s.gaps === 0) continue;
          const columns = await market.loadCandles(store, s, {}, settings.cacheDir);
          process.stdout.write(`\n${s.exchange} ${s.symbol} ${s.timeframe}:\n`);
          for (const g of market.findGaps(columns.time, s.timeframe)) {
            process.stdout.write(
              `  ${iso(g.after)} -> ${iso(g.before)}  ${g.missing.toLocaleString("en-US")} missing\n`,
            );
          }
        }
      } finally {
        await store.close();
      }
    });
}

function iso(time: number): string {
  return new Date(time).toISOString().slice(0, 16).concat("Z");
}
