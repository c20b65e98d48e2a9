import path from "node:path";
import type { LoadedConfig } from "../config/index.ts";
import type { Logger } from "../log.ts";
import type { ParamValue } from "../plugins/manifest-schema.ts";
import { validateParams } from "../plugins/params.ts";
import type { PluginRegistry } from "../plugins/registry.ts";
import type { Db } from "../store/repositories/common.ts";
import { findStrategyInstance, listStrategyInstances } from "../store/repositories/strategy-instances.ts";

/**
 * Params an operator set from chat or the web (`/set sma-btc fast=5`), kept in the instance's stored
 * config under this key. strategies.yaml stays the operator's file: nothing here writes to it, and a
 * stored value wins over the file's until it is set again.
 */
const KEY = "paramOverrides";

export type ParamOverrides = Readonly<Record<string, ParamValue>>;

/**
 * The stored overrides of every instance that has some.
 * @example await loadParamOverrides(db) // Map { "sma-btc" => { fast: 5 } }
 */
export async function loadParamOverrides(db: Db): Promise<Map<string, ParamOverrides>> {
  const out = new Map<string, ParamOverrides>();
  for (const instance of await listStrategyInstances(db)) {
    const overrides = overridesOf(instance.config);
    if (Object.keys(overrides).length > 0) out.set(instance.id, overrides);
  }
  return out;
}

/**
 * Stores one override for an instance (already validated against its manifest by the caller). Returns
 * false when the store has no such instance.
 * @example await saveParamOverride(db, "sma-btc", "fast", 5, now)
 */
export async function saveParamOverride(
  db: Db,
  id: string,
  name: string,
  value: ParamValue,
  now: number,
): Promise<boolean> {
  const instance = await findStrategyInstance(db, id);
  if (!instance) return false;
  const config = { ...asObject(instance.config), [KEY]: { ...overridesOf(instance.config), [name]: value } };
  await db
    .updateTable("strategy_instances")
    .set({ config_json: JSON.stringify(config), updated_at: now })
    .where("id", "=", id)
    .execute();
  return true;
}

/**
 * Writes overrides back after the engine re-saved each instance's config from strategies.yaml at
 * start (which replaces the stored config as a whole).
 * @example await keepParamOverrides(db, overrides)
 */
export async function keepParamOverrides(db: Db, overrides: ReadonlyMap<string, ParamOverrides>): Promise<void> {
  for (const [id, values] of overrides) {
    const instance = await findStrategyInstance(db, id);
    if (!instance) continue;
    const config = { ...asObject(instance.config), [KEY]: values };
    await db
      .updateTable("strategy_instances")
      .set({ config_json: JSON.stringify(config) })
      .where("id", "=", id)
      .execute();
  }
}

/**
 * The config with each instance's stored overrides on top of its strategies.yaml params. An override
 * the plugin no longer accepts (a new version renamed or narrowed the param) is dropped with a
 * warning, so a stale chat setting can never stop the engine from starting; the file's own mistakes
 * are left for the engine to report as usual. Returns the overrides it applied.
 * @example const { loaded: merged, applied } = withParamOverrides(loaded, await loadParamOverrides(db), registry, log)
 */
export function withParamOverrides(
  loaded: LoadedConfig,
  overrides: ReadonlyMap<string, ParamOverrides>,
  registry: PluginRegistry,
  log: Logger,
): { loaded: LoadedConfig; applied: Map<string, ParamOverrides> } {
  const applied = new Map<string, ParamOverrides>();
  if (overrides.size === 0) return { loaded, applied };
  const baseDir = path.dirname(path.resolve(loaded.file));
  const strategies = loaded.config.strategies.map((s) => {
    const wanted = overrides.get(s.id);
    if (!wanted) return s;
    let manifest: Parameters<typeof validateParams>[0];
    try {
      manifest = registry.resolve(s.plugin, s.version, baseDir).manifest;
    } catch {
      return s; // the engine reports the missing plugin itself
    }
    const kept: Record<string, ParamValue> = {};
    for (const [name, value] of Object.entries(wanted)) {
      const alone = validateParams(manifest, { [name]: value });
      if (alone.ok) kept[name] = value;
      else log.warn({ strategy: s.id, param: name, value }, "a param set from chat no longer fits the plugin; dropped");
    }
    if (Object.keys(kept).length === 0) return s;
    applied.set(s.id, kept);
    return { ...s, params: { ...s.params, ...kept } };
  });
  return { loaded: { ...loaded, config: { ...loaded.config, strategies }, locate: loaded.locate }, applied };
}

/** @example overridesOf({ params: {}, paramOverrides: { fast: 5 } }) // { fast: 5 } */
export function overridesOf(config: unknown): ParamOverrides {
  const value = asObject(config)[KEY];
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const out: Record<string, ParamValue> = {};
  for (const [name, v] of Object.entries(value)) {
    if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") out[name] = v;
  }
  return out;
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
