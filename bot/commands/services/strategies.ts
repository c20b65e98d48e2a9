import { validateParams } from "../../../core/plugins/params.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listPositions } from "../../../core/store/repositories/positions.ts";
import { listRiskVerdicts } from "../../../core/store/repositories/risk-verdicts.ts";
import {
  findStrategyInstance,
  listStrategyInstances,
  type StrategyInstanceRecord,
} from "../../../core/store/repositories/strategy-instances.ts";
import { overridesOf } from "../../../core/wiring/param-overrides.ts";
import type { EngineStrategy } from "../../../core/wiring/strategies.ts";
import type { PositionView } from "../services.ts";
import type { StrategyDetailView, StrategySummaryView, VerdictView } from "../views.ts";

/** How many verdicts /strategy shows: enough to see a pattern, few enough to read. */
const LAST_VERDICTS = 5;

/** What the strategy views read besides the store. */
export interface StrategySource {
  readonly db: Db;
  /** The instances the engine loaded (none without an engine). */
  readonly loaded: () => readonly EngineStrategy[];
  readonly positions: () => readonly PositionView[];
}

/** The stored config of an instance, as the engine writes it (core/wiring/strategies.ts). */
interface StoredConfig {
  readonly symbols?: readonly string[];
  readonly timeframe?: string;
  readonly params?: Readonly<Record<string, string | number | boolean>>;
  readonly allocation?: { readonly pct: number } | { readonly quote: number };
}

/**
 * /strategies: every instance the store knows, with its state and PnL (realised, net of fees, plus
 * unrealised at the engine's marks).
 * @example await listStrategyViews(source) // [{ id: "sma-btc", pluginId: "sma-cross", state: "running", pnl: 42.5, ... }]
 */
export async function listStrategyViews(source: StrategySource): Promise<StrategySummaryView[]> {
  const [instances, pnl] = await Promise.all([listStrategyInstances(source.db), pnlByStrategy(source)]);
  return instances.map((i) => summary(i, pnl.get(i.id)));
}

/**
 * /strategy <id>: the summary plus params (with values set from chat that wait for a restart), the
 * allocation, the instance's risk override and its last verdicts. Undefined for an unknown id.
 * @example await strategyDetail(source, "sma-btc") // { params: [{ name: "fast", value: 3, pending: 5 }], verdicts: [...], ... }
 */
export async function strategyDetail(source: StrategySource, id: string): Promise<StrategyDetailView | undefined> {
  const instance = await findStrategyInstance(source.db, id);
  if (!instance) return undefined;
  const [pnl, verdicts] = await Promise.all([
    pnlByStrategy(source),
    listRiskVerdicts(source.db, { strategyId: id, limit: LAST_VERDICTS }),
  ]);
  const loaded = source.loaded().find((s) => s.config.id === id);
  const stored = instance.config as StoredConfig;
  const running = loaded
    ? validateParams(loaded.plugin.manifest, loaded.config.params)
    : { ok: true as const, params: stored.params ?? {} };
  const current: Readonly<Record<string, string | number | boolean>> = running.ok
    ? running.params
    : (stored.params ?? {});
  const overrides = overridesOf(instance.config);
  return {
    ...summary(instance, pnl.get(id)),
    params: Object.entries(current).map(([name, value]) => {
      const pending = overrides[name];
      return pending !== undefined && pending !== value ? { name, value, pending } : { name, value };
    }),
    allocation: loaded?.config.allocation ?? stored.allocation ?? { pct: 10 },
    risk: flatten(loaded?.config.risk ?? {}),
    verdicts: verdicts.map(
      (v): VerdictView => ({
        time: v.time,
        symbol: v.symbol,
        side: v.side,
        decision: v.decision,
        amount: v.amount,
        reasons: [...v.rules.filter((r) => r.decision !== "approve").map((r) => r.reason), ...v.warnings],
      }),
    ),
    failureCount: instance.failureCount,
  };
}

function summary(i: StrategyInstanceRecord, pnl: number | undefined): StrategySummaryView {
  const config = i.config as StoredConfig;
  return {
    id: i.id,
    pluginId: i.pluginId,
    pluginVersion: i.pluginVersion,
    accountId: i.accountId,
    state: i.state,
    ...(i.stateReason !== undefined && { stateReason: i.stateReason }),
    symbols: config.symbols ?? [],
    timeframe: config.timeframe ?? "",
    ...(pnl !== undefined && { pnl }),
  };
}

/** Realised PnL (already net of fees) of every position, open or flat, plus the open ones' unrealised. */
async function pnlByStrategy(source: StrategySource): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of await listPositions(source.db)) out.set(p.strategyId, (out.get(p.strategyId) ?? 0) + p.realizedPnl);
  for (const p of source.positions()) {
    if (p.unrealizedPnl !== undefined) out.set(p.strategyId, (out.get(p.strategyId) ?? 0) + p.unrealizedPnl);
  }
  return out;
}

/**
 * A risk override as name/value lines: nested groups with dots, lists joined.
 * @example flatten({ maxPositionPct: 5, volatility: { action: "reject" } }) // [{ name: "maxPositionPct", value: "5" }, { name: "volatility.action", value: "reject" }]
 */
export function flatten(value: object, prefix = ""): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const name = prefix === "" ? key : `${prefix}.${key}`;
    if (Array.isArray(v)) out.push({ name, value: v.join(", ") });
    else if (typeof v === "object" && v !== null) out.push(...flatten(v, name));
    else out.push({ name, value: String(v) });
  }
  return out;
}
