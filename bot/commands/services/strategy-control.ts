import type { Clock } from "../../../core/clock.ts";
import type { ParamSpec, ParamValue } from "../../../core/plugins/manifest-schema.ts";
import { validateParams } from "../../../core/plugins/params.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { findStrategyInstance } from "../../../core/store/repositories/strategy-instances.ts";
import { overridesOf, saveParamOverride } from "../../../core/wiring/param-overrides.ts";
import type { SetParamResult, StrategySwitchResult } from "../views.ts";
import type { TradingSource } from "./trading-source.ts";

/**
 * /run and /stop: starts or stops feeding candles to a loaded instance (the engine's
 * setStrategyEnabled, which records the state). Unknown when the engine did not load the id.
 * @example await switchStrategy(engine, "sma-btc", false, "telegram:42") // { kind: "done", previous: "running", state: "stopped", changed: true }
 */
export async function switchStrategy(
  engine: TradingSource,
  id: string,
  enabled: boolean,
  by: string,
): Promise<StrategySwitchResult> {
  const toggle = await engine.setStrategyEnabled(id, enabled, by);
  return toggle ? { kind: "done", ...toggle } : { kind: "unknown" };
}

/**
 * /set <id> <param>=<value>: the value typed as the manifest declares the param, checked with
 * validateParams together with the instance's other params, then stored as an override of
 * strategies.yaml. The running instance keeps its value until the engine restarts: a sandboxed
 * plugin is initialised with its params once, and re-initialising it mid-stream would reset its
 * indicators and state without warning.
 * @example await setStrategyParam({ db, clock, engine }, "sma-btc", "fast", "5") // { kind: "saved", name: "fast", value: 5, running: 3, appliesAt: "restart" }
 */
export async function setStrategyParam(
  deps: { readonly db: Db; readonly clock: Clock; readonly engine: TradingSource },
  id: string,
  name: string,
  typed: string,
): Promise<SetParamResult> {
  const loaded = deps.engine.strategies().find((s) => s.config.id === id);
  const instance = await findStrategyInstance(deps.db, id);
  if (!loaded || !instance) return { kind: "unknown" };
  const manifest = loaded.plugin.manifest;
  const spec = manifest.params[name] as ParamSpec | undefined;
  const value = spec ? typedValue(spec, typed) : typed;
  const merged = { ...loaded.config.params, ...overridesOf(instance.config), [name]: value };
  const checked = validateParams(manifest, merged);
  if (!checked.ok) return { kind: "invalid", problems: checked.problems.map((p) => p.text) };
  await saveParamOverride(deps.db, id, name, value, deps.clock.now());
  const running = validateParams(manifest, loaded.config.params);
  const now = running.ok ? running.params[name] : undefined;
  return { kind: "saved", name, value, running: now ?? value, appliesAt: "restart" };
}

/**
 * A typed word as the param's type: "5" is 5 for numbers, "true"/"on"/"yes" is true for booleans.
 * A word that is not of the type stays a string, so validateParams names the problem.
 * @example typedValue({ type: "integer", default: 10 }, "12") // 12
 */
export function typedValue(spec: Pick<ParamSpec, "type">, typed: string): ParamValue {
  switch (spec.type) {
    case "integer":
    case "number": {
      const n = Number(typed);
      return typed.trim() !== "" && Number.isFinite(n) ? n : typed;
    }
    case "boolean": {
      const word = typed.toLowerCase();
      if (["true", "on", "yes", "1"].includes(word)) return true;
      if (["false", "off", "no", "0"].includes(word)) return false;
      return typed;
    }
    default:
      return typed;
  }
}
