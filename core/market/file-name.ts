import path from "node:path";
import { isTimeframe, type SeriesKey } from "../domain/index.ts";

const PATTERN = /^([a-z0-9]+)_([A-Za-z0-9]+)-([A-Za-z0-9]+)_([0-9]+[mhdw])\.csv(\.gz)?$/;

/**
 * The series a candle file is named after: `<exchange>_<BASE>-<QUOTE>_<tf>.csv[.gz]`, the naming of
 * data/. Undefined when the name does not follow it.
 * @example seriesKeyFromFileName("data/binance_BTC-USDT_5m.csv.gz") // { exchange: "binance", symbol: "BTC/USDT", timeframe: "5m" }
 */
export function seriesKeyFromFileName(file: string): SeriesKey | undefined {
  const match = PATTERN.exec(path.basename(file));
  if (!match) return undefined;
  const [, exchange, base, quote, timeframe] = match as unknown as [string, string, string, string, string];
  if (!isTimeframe(timeframe)) return undefined;
  return { exchange, symbol: `${base}/${quote}`, timeframe };
}
