import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Logger } from "pino";
import type { Store } from "../store/database.ts";
import { cacheFilePath } from "./cache-file.ts";
import { type ImportProgress, type ImportSummary, importCandleFile } from "./csv-import.ts";
import { seriesKeyFromFileName } from "./file-name.ts";

/** What importSampleData did: the files it imported, or that it skipped a database holding candles. */
export interface SampleDataResult {
  readonly skipped: boolean;
  readonly files: number;
  readonly rows: number;
  readonly imported: readonly ImportSummary[];
}

/**
 * Imports the shipped sample candles (every `<exchange>_<BASE>-<QUOTE>_<tf>.csv[.gz]` in `dataDir`) into
 * an EMPTY database, so a fresh install has something to replay and backtest. A database that holds
 * any candle is left alone: the operator's data is never overwritten by samples. The main job calls
 * this on every start; only the first does anything.
 *
 * @example await importSampleData(store, marketSettings().dataDir, marketSettings().cacheDir, log)
 */
export async function importSampleData(
  store: Store,
  dataDir: string,
  cacheDir: string,
  log: Logger,
  onProgress?: (file: string, progress: ImportProgress) => void,
): Promise<SampleDataResult> {
  const any = await store.db.selectFrom("candles").select("ts").limit(1).executeTakeFirst();
  if (any) {
    log.debug("candles already stored; sample data not imported");
    return { skipped: true, files: 0, rows: 0, imported: [] };
  }
  const files = readdirSync(dataDir)
    .filter((name) => seriesKeyFromFileName(name) !== undefined)
    .sort();
  const imported: ImportSummary[] = [];
  for (const name of files) {
    const file = path.join(dataDir, name);
    const key = seriesKeyFromFileName(name);
    if (!key) continue;
    // Revisions restart in a new database; a cache file left by an older one must not be trusted.
    rmSync(cacheFilePath(cacheDir, key), { force: true });
    const summary = await importCandleFile(store, file, key, {
      onProgress: onProgress && ((p) => onProgress(file, p)),
    });
    log.info({ file: name, rows: summary.rows, gaps: summary.gaps }, "imported sample candles");
    imported.push(summary);
  }
  return { skipped: false, files: imported.length, rows: imported.reduce((n, s) => n + s.rows, 0), imported };
}
