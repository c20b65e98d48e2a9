import type { Command } from "commander";
import type { SeriesKey, Timeframe } from "../../core/domain/index.ts";
import { CliError } from "../errors.ts";

interface ImportFlags {
  exchange?: string;
  symbol?: string;
  timeframe?: string;
  resample?: string;
  quiet?: boolean;
}

/**
 * `quantchat import <file...>`: imports candle CSV or CSV.gz files, each in one transaction, with a
 * progress bar on stderr and a summary line per file on stdout. The series comes from the flags or,
 * for files named like `binance_BTC-USDT_5m.csv.gz`, from the name.
 * @example quantchat import data/binance_BTC-USDT_5m.csv.gz --resample 1h,4h
 */
export function register(program: Command): void {
  program
    .command("import")
    .description("Import candles from CSV or CSV.gz files (timestamp_ms,open,high,low,close,volume; header optional)")
    .argument(
      "<files...>",
      "candle files; for files named <exchange>_<BASE>-<QUOTE>_<tf>.csv[.gz] the flags may be left out",
    )
    .option("--exchange <id>", "exchange id as ccxt names it, e.g. binance")
    .option("--symbol <symbol>", "unified symbol, e.g. BTC/USDT")
    .option("--timeframe <tf>", "candle timeframe of the file, e.g. 5m")
    .option("--resample <timeframes>", "also build and store these coarser timeframes, e.g. 1h,4h,1d")
    .option("-q, --quiet", "no progress bar")
    .addHelpText("after", "\nEnvironment: DATABASE_URL (default var/quantchat.db).")
    .action(async (files: string[], flags: ImportFlags) => {
      const market = await import("../../core/market/index.ts");
      const { isTimeframe } = await import("../../core/domain/index.ts");
      const resample = parseTimeframes(flags.resample, isTimeframe);
      // Check every argument before touching the database, so a typo in the third file name does not
      // leave the first two imported.
      const keys = files.map((file) => {
        const key = seriesFor(file, flags, market.seriesKeyFromFileName(file), isTimeframe);
        for (const target of resample) {
          const problem = market.resampleProblem(key.timeframe, target);
          if (problem) throw new CliError(`--resample ${target}: ${problem}`);
        }
        return key;
      });
      const { createStore } = await import("../../core/store/database.ts");
      const { migrateToLatest } = await import("../../core/store/migrate.ts");
      const { createProgress } = await import("../progress.ts");
      const store = createStore(market.marketSettings().databaseUrl);
      try {
        await migrateToLatest(store);
        for (const [i, file] of files.entries()) {
          const started = performance.now();
          let bar: ReturnType<typeof createProgress> | undefined;
          const summary = await market
            .importCandleFile(store, file, keys[i] as SeriesKey, {
              resample,
              onProgress: (p) => {
                bar ??= createProgress({
                  label: file,
                  total: p.totalBytes,
                  unit: "rows",
                  quiet: flags.quiet === true,
                  startedAt: started,
                });
                bar.update(p.bytesRead, p.rows);
              },
            })
            .catch((error: unknown) => {
              bar?.finish();
              throw error instanceof market.ImportError ? new CliError(error.message) : error;
            });
          bar?.finish();
          process.stdout.write(`${describe(summary, performance.now() - started)}\n`);
          for (const r of summary.resampled) {
            process.stdout.write(`  resampled to ${r.key.timeframe}: ${r.rows.toLocaleString("en-US")} candles\n`);
          }
        }
      } finally {
        await store.close();
      }
    });
}

/** The series a file goes into: the flags, or failing those the file's name. */
function seriesFor(
  file: string,
  flags: ImportFlags,
  fromName: SeriesKey | undefined,
  isTimeframe: (tf: string) => tf is Timeframe,
): SeriesKey {
  const exchange = flags.exchange ?? fromName?.exchange;
  const symbol = flags.symbol ?? fromName?.symbol;
  const timeframe = flags.timeframe ?? fromName?.timeframe;
  const missing = [!exchange && "--exchange", !symbol && "--symbol", !timeframe && "--timeframe"].filter(Boolean);
  if (missing.length > 0) {
    throw new CliError(
      `${file}: cannot tell the series from the file name; pass ${missing.join(", ")} ` +
        "(or name the file like binance_BTC-USDT_5m.csv.gz)",
    );
  }
  if (!isTimeframe(timeframe as string)) throw new CliError(`unknown timeframe "${timeframe}"`);
  if (!/^[A-Za-z0-9]+\/[A-Za-z0-9]+(:[A-Za-z0-9]+)?$/.test(symbol as string)) {
    throw new CliError(`symbol must look like BTC/USDT, got "${symbol}"`);
  }
  if (!/^[a-z0-9]+$/.test(exchange as string)) {
    throw new CliError(`exchange must be a ccxt id such as binance, got "${exchange}"`);
  }
  return { exchange: exchange as string, symbol: symbol as string, timeframe: timeframe as Timeframe };
}

function parseTimeframes(list: string | undefined, isTimeframe: (tf: string) => tf is Timeframe): Timeframe[] {
  if (!list) return [];
  return list.split(",").map((raw) => {
    const tf = raw.trim();
    if (!isTimeframe(tf)) throw new CliError(`--resample: unknown timeframe "${tf}"`);
    return tf;
  });
}

function describe(
  s: { rows: number; first: number; last: number; gaps: number; missing: number; key: SeriesKey; file: string },
  ms: number,
): string {
  const range = `${isoMinute(s.first)} .. ${isoMinute(s.last)}`;
  const gaps =
    s.gaps === 0
      ? "no gaps"
      : `${s.gaps} gap${s.gaps === 1 ? "" : "s"} (${s.missing.toLocaleString("en-US")} candles missing)`;
  const rate = Math.round((s.rows / ms) * 1000).toLocaleString("en-US");
  return (
    `${s.file}: ${s.rows.toLocaleString("en-US")} candles ${s.key.exchange} ${s.key.symbol} ${s.key.timeframe}, ` +
    `${range}, ${gaps}; ${(ms / 1000).toFixed(1)} s, ${rate} rows/s`
  );
}

function isoMinute(time: number): string {
  return new Date(time).toISOString().slice(0, 16).concat("Z");
}
