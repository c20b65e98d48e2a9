import { createHash } from "node:crypto";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import type { SeriesUsed } from "./input.ts";
import type { BacktestSettings } from "./types.ts";

/** What makes a backtest the backtest it is. */
export interface FingerprintInputs {
  readonly plugin: { readonly id: string; readonly version: string; readonly codeHash: string };
  /** The params as the plugin gets them (defaults applied), so `fast=10` and "nothing" (default 10) match. */
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly settings: BacktestSettings;
  /** Open times of the first and last candle traded, and how many steps. */
  readonly data: { readonly first: number; readonly last: number; readonly candles: number };
  readonly series: readonly SeriesUsed[];
  readonly engineVersion: string;
}

/**
 * The id of a backtest result: sha256 over the plugin (id, version, hash of its code), its effective
 * params, the settings, the data range with each series' revision and count, and the engine version,
 * as canonical JSON (keys sorted, so the order a caller wrote them in does not matter). Equal ids mean
 * equal inputs, and the engine gives equal inputs byte-identical results: a stored result with this id
 * IS the result, and re-running is a cache hit.
 * @example backtestId({ plugin, params, settings, data, series, engineVersion: VERSION }) // "3f9a…" (64 hex digits)
 */
export function backtestId(inputs: FingerprintInputs): string {
  return createHash("sha256").update(canonicalJson(inputs)).digest("hex");
}

/**
 * JSON with object keys sorted at every depth; undefined members left out, as JSON.stringify does.
 * @example canonicalJson({ b: 1, a: { d: 2, c: 3 } }) // '{"a":{"c":3,"d":2},"b":1}'
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}
