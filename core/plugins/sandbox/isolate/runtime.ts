// Runs inside the isolate: the bootstrap's state machine. The host calls `dispatch(op, json, extra)`;
// every op answers one JSON string built here from our own objects (frozen intrinsics, see harden.ts),
// and no exception ever leaves: isolated-vm would read a thrown object's getters on its way out, outside
// any time limit, so everything a plugin throws is caught and described here, under the call's timeout.

import { batchCandles } from "./batch-candles.ts";
import { createContext } from "./context.ts";
import { describeThrown, type FailureReport, PluginUsageError } from "./errors.ts";
import { deepFreeze } from "./harden.ts";
import { type Hook, pickHooks } from "./hooks.ts";
import { IntentDesk } from "./intent-desk.ts";
import { type HookName, OUTPUT_LIMITS } from "./limits.ts";
import { LogBook } from "./logbook.ts";
import { Market, type SnapshotIn } from "./market.ts";
import { show } from "./orders.ts";
import { serializeAnswer } from "./serialize.ts";
import { StateStore } from "./state.ts";
import { TargetDesk } from "./target-desk.ts";

export type IndicatorRegistry = Readonly<Record<string, { create: (...args: any[]) => unknown }>>;
export type Phase = "idle" | "init" | HookName;

/** The docs name two indicators differently from the registry; both names work. */
const TA_ALIASES: Readonly<Record<string, string>> = { supertrend: "superTrend", psar: "parabolicSar" };
const MAX_ERROR = OUTPUT_LIMITS.errorChars;

/** One plugin instance's side of the boundary. Created by the bootstrap; the plugin never sees it. */
export class Runtime {
  // Null prototypes for everything looked up by key: Object.prototype stays unfrozen (harden.ts).
  private hooks: Partial<Record<HookName, Hook>> = Object.create(null);
  private self: unknown;
  filename = "";
  private permissions: readonly string[] = [];
  private stateCap = 0;
  symbols: readonly string[] = [];
  indexOf: Record<string, number> = Object.create(null);
  market = new Market([]);
  private ctx: object = {};
  private state: StateStore | undefined;
  private readonly log = new LogBook();
  private readonly desk = new IntentDesk(this);
  private readonly targets = new TargetDesk(this);
  phase: Phase = "idle";
  private current = -1;
  stepTime = Number.NaN;
  warmup = false;
  private readonly frozenPrototypes = new Set<unknown>();

  constructor(private readonly indicators: IndicatorRegistry) {}

  dispatch(op: string, payload: string, extra: unknown): string {
    try {
      const request = JSON.parse(payload);
      switch (op) {
        case "attach":
          return this.attach(request, extra);
        case "init":
          return this.init(request);
        case "run":
          return this.run(request, extra);
        case "fill":
          return this.fill(request);
        case "stop":
          return this.stop(request);
        default:
          return this.output(undefined, { cause: "error", message: `unknown operation ${show(op)}` });
      }
    } catch (thrown) {
      return this.output(undefined, this.failure(thrown, `${op}`));
    }
  }

  private attach(
    request: { filename: string; permissions: string[]; stateCapBytes: number },
    namespace: unknown,
  ): string {
    this.filename = request.filename;
    this.permissions = request.permissions;
    this.stateCap = request.stateCapBytes;
    let exported: unknown;
    try {
      exported = (namespace as { default?: unknown }).default;
    } catch (thrown) {
      return this.output(undefined, this.failure(thrown, "reading the default export"));
    }
    const picked = pickHooks(exported);
    if ("error" in picked) return this.output(undefined, { cause: "error", message: picked.error });
    this.hooks = picked.hooks;
    this.self = exported;
    return serializeAnswer({ hooks: Object.keys(this.hooks), unknown: picked.unknown, intents: [], logs: [] });
  }

  private init(request: {
    params: Record<string, unknown>;
    symbols: string[];
    state: string | null;
    snapshot: SnapshotIn;
  }): string {
    this.symbols = Object.freeze([...request.symbols]);
    this.indexOf = Object.create(null);
    this.symbols.forEach((symbol, i) => {
      this.indexOf[symbol] = i;
    });
    this.desk.reset(this.symbols.length);
    this.targets.reset();
    this.market = new Market(this.symbols);
    this.market.applySnapshot(request.snapshot);
    const can = (permission: string) => this.permissions.includes(permission);
    if (can("state")) {
      this.state = new StateStore(this.stateCap);
      if (Object.hasOwn(request, "state") && request.state !== null) this.state.load(request.state);
    }
    this.ctx = createContext(this, {
      params: Object.freeze({ ...request.params }),
      symbols: this.symbols,
      ...(can("indicators") ? { ta: this.buildTa() } : {}),
      ...(this.state ? { state: this.state.facade } : {}),
      ...(can("log") ? { log: this.log.facade } : {}),
    });
    return this.output(undefined, this.callHook("init", [this.ctx]));
  }

  /**
   * Runs steps [from, to) of the window; stops after the first step that asked for an intent. The request
   * is [from, to, warmup, windowStart, windowSteps, snapshot] (see calls.ts); a null snapshot means the last one.
   */
  private run(request: [number, number, number, number, number, SnapshotIn | null], extra: unknown): string {
    const market = this.market;
    const from = request[0];
    const to = request[1];
    const warmup = request[2] === 1;
    if (request[3] >= 0) market.load(request[3], request[4], extra);
    const snapshot = request[5];
    if (snapshot !== null) market.applySnapshot(snapshot);
    if (from < market.start || to > market.start + market.steps || from > to) {
      return this.output(from, { cause: "error", message: `steps ${from}..${to} are outside the loaded window` });
    }
    this.warmup = warmup;
    if (this.hooks.onCandles) return this.runBatch(this.hooks.onCandles, from, to);
    const onCandle = this.hooks.onCandle;
    const onBar = this.hooks.onBar;
    const self = this.self;
    const ctx = this.ctx;
    const symbols = this.symbols;
    const count = symbols.length;
    const columns = market.columns;
    const lastClose = market.lastClose;
    const time = market.time;
    const base = market.start;
    let i = from;
    try {
      for (; i < to; i++) {
        const k = i - base;
        const t = time[k] as number;
        this.stepTime = t;
        this.desk.newStep();
        let bars: Record<string, object> | undefined;
        for (let s = 0; s < count; s++) {
          const column = columns[s]!;
          const open = column.open[k] as number;
          if (Number.isNaN(open)) continue; // this symbol has no candle at this step
          const close = column.close[k] as number;
          const candle = {
            symbol: symbols[s] as string,
            time: t,
            open,
            high: column.high[k] as number,
            low: column.low[k] as number,
            close,
            volume: column.volume[k] as number,
          };
          lastClose[s] = close;
          if (onBar) {
            bars ??= {};
            bars[candle.symbol] = candle;
          }
          if (onCandle) {
            this.current = s;
            this.phase = "onCandle";
            const result = onCandle.call(self, candle, ctx);
            if (result !== undefined) this.expectSync(result);
          }
        }
        if (onBar && bars) {
          this.current = -1;
          this.phase = "onBar";
          const result = onBar.call(self, bars, ctx);
          if (result !== undefined) this.expectSync(result);
        }
        this.phase = "idle";
        this.log.refill();
        if (this.desk.invalid !== undefined)
          return this.output(i, { cause: "invalid-output", message: this.desk.invalid });
        if (this.desk.pending.length > 0) {
          if (!warmup) {
            i++;
            break;
          }
          this.desk.take(); // warm-up: intents are ignored, by contract
        }
        if (this.log.full) {
          i++;
          break;
        }
      }
    } catch (thrown) {
      return this.output(i, this.failure(thrown, `${this.phase} at ${isoTime(this.stepTime)}`));
    }
    this.phase = "idle";
    return this.output(i);
  }

  /**
   * onCandles: steps [from, to) in one call, which says what to hold at each step with ctx.target. It
   * never stops early (there is nothing it could wait for: it sees no fills), so it always reaches `to`.
   */
  private runBatch(onCandles: Hook, from: number, to: number): string {
    const market = this.market;
    const length = to - from;
    this.targets.begin(length);
    if (length === 0) return this.output(to);
    const k = from - market.start;
    const candles = batchCandles(market, k, length);
    // Read before the plugin runs: it may write into the views it is handed.
    const first = market.time[k] as number;
    this.stepTime = market.time[k + length - 1] as number;
    this.current = -1;
    this.log.lend(length);
    this.phase = "onCandles";
    try {
      const result = onCandles.call(this.self, candles, this.ctx);
      if (result !== undefined) this.expectSync(result);
    } catch (thrown) {
      return this.output(from, this.failure(thrown, `onCandles over ${isoTime(first)} .. ${isoTime(this.stepTime)}`));
    } finally {
      this.phase = "idle";
      this.log.settle();
    }
    if (this.targets.invalid !== undefined)
      return this.output(from, { cause: "invalid-output", message: this.targets.invalid });
    return this.output(to);
  }

  private fill(request: { fill: Record<string, unknown>; snapshot: SnapshotIn }): string {
    this.market.applySnapshot(request.snapshot);
    const fill = Object.freeze({ ...request.fill });
    this.desk.newStep();
    this.current = this.indexOf[fill.symbol as string] ?? -1;
    return this.output(undefined, this.callHook("onFill", [fill, this.ctx]));
  }

  private stop(request: { snapshot: SnapshotIn }): string {
    this.market.applySnapshot(request.snapshot);
    this.desk.newStep();
    this.current = -1;
    return this.output(undefined, this.callHook("onStop", [this.ctx]));
  }

  private callHook(name: Phase & HookName, args: unknown[]): FailureReport | undefined {
    const hook = this.hooks[name];
    if (!hook) return undefined;
    this.phase = name;
    try {
      const result = hook.apply(this.self, args);
      if (result !== undefined) this.expectSync(result);
    } catch (thrown) {
      return this.failure(thrown, name);
    } finally {
      this.phase = "idle";
    }
    return this.desk.invalid === undefined ? undefined : { cause: "invalid-output", message: this.desk.invalid };
  }

  /** Hooks are synchronous: a promise's continuation would run after the host has its answer. */
  private expectSync(result: unknown): void {
    if ((typeof result === "object" && result !== null) || typeof result === "function") {
      if (typeof (result as { then?: unknown }).then === "function") {
        throw new PluginUsageError(`${this.phase} returned a promise; hooks must be synchronous`);
      }
    }
  }

  private failure(thrown: unknown, where: string): FailureReport {
    const invalid = this.desk.invalid ?? this.targets.invalid;
    if (invalid !== undefined) return { cause: "invalid-output", message: invalid };
    return describeThrown(thrown, this.filename, where, MAX_ERROR);
  }

  // --- called by ctx -------------------------------------------------------------------------------

  symbolIndex(symbol: unknown, where: string): number {
    if (symbol === undefined) {
      if (this.current >= 0) return this.current;
      if (this.symbols.length === 1) return 0;
      throw new PluginUsageError(`${where}: name the symbol; this instance trades ${this.symbols.join(", ")}`);
    }
    const index = typeof symbol === "string" ? this.indexOf[symbol] : undefined;
    if (index === undefined)
      throw new PluginUsageError(`${where}: ${show(symbol)} is not one of ${this.symbols.join(", ")}`);
    return index;
  }

  order(side: "buy" | "sell", order: unknown): boolean {
    return this.desk.order(side, order);
  }

  close(order: unknown): boolean {
    return this.desk.close(order);
  }

  target(i: unknown, side: unknown, order: unknown): void {
    this.targets.target(i, side, order);
  }

  private buildTa(): Readonly<Record<string, (...args: unknown[]) => unknown>> {
    const ta: Record<string, (...args: unknown[]) => unknown> = Object.create(null);
    for (const name of Object.keys(this.indicators)) {
      const spec = this.indicators[name]!;
      ta[name] = (...args: unknown[]) => {
        const indicator = spec.create(...args);
        this.freezePrototype(indicator);
        return indicator;
      };
    }
    for (const alias of Object.keys(TA_ALIASES)) {
      const target = ta[TA_ALIASES[alias] as string];
      if (target && !ta[alias]) ta[alias] = target;
    }
    return Object.freeze(ta);
  }

  /** Indicator classes are shared by every indicator of the isolate; a plugin must not patch them. */
  private freezePrototype(indicator: unknown): void {
    const proto = typeof indicator === "object" && indicator !== null ? Object.getPrototypeOf(indicator) : null;
    if (proto === null || this.frozenPrototypes.has(proto)) return;
    deepFreeze([proto], [Object.prototype]);
    this.frozenPrototypes.add(proto);
  }

  private output(reached: number | undefined, failure?: FailureReport): string {
    const intents = this.desk.take();
    const answer: Parameters<typeof serializeAnswer>[0] = { intents: failure ? [] : intents, logs: this.log.take() };
    if (reached !== undefined) answer.reached = reached;
    // Targets of a warm-up batch are dropped, as its intents are; a failed batch hands back none.
    if (this.hooks.onCandles && reached !== undefined) {
      const targets = this.targets.take();
      if (!failure && !this.warmup) answer.targets = targets;
    }
    if (!failure && this.state?.dirty) {
      answer.state = this.state.serialize();
      this.state.dirty = false;
    }
    if (failure) answer.error = failure;
    return serializeAnswer(answer);
  }
}

function isoTime(time: number): string {
  return Number.isFinite(time) && Math.abs(time) < 8.64e15 ? new Date(time).toISOString() : String(time);
}
