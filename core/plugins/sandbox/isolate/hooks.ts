// Runs inside the isolate: reads the hooks off a plugin's default export, once, when it is attached.

import { HOOK_NAMES, type HookName } from "./limits.ts";
import { show } from "./orders.ts";

export type Hook = (this: unknown, ...args: unknown[]) => unknown;

/** Hooks that need the host's position, which onCandles never sees (it runs ahead of the fills). */
const PER_CANDLE_HOOKS: readonly HookName[] = ["onCandle", "onBar", "onFill"];

/**
 * The hooks of `exported` (on a null prototype) and the names of its other functions (often a misspelt
 * hook), or the reason it cannot be used.
 * @example pickHooks({ onCandle() {} }) // { hooks: { onCandle }, unknown: [] }
 */
export function pickHooks(
  exported: unknown,
): { hooks: Partial<Record<HookName, Hook>>; unknown: string[] } | { error: string } {
  if (typeof exported !== "object" || exported === null) {
    return {
      error:
        "the entry must `export default { onCandle(candle, ctx) { ... } }`; its default export is " + show(exported),
    };
  }
  const hooks: Partial<Record<HookName, Hook>> = Object.create(null);
  const unknown: string[] = [];
  for (const key of Object.keys(exported)) {
    const value = (exported as Record<string, unknown>)[key];
    if ((HOOK_NAMES as readonly string[]).includes(key)) {
      if (typeof value !== "function") return { error: `${key} must be a function, got ${show(value)}` };
      hooks[key as HookName] = value as Hook;
    } else if (typeof value === "function" && unknown.length < 20) {
      unknown.push(key.slice(0, 60));
    }
  }
  if (Object.keys(hooks).length === 0) return { error: `the default export defines none of ${HOOK_NAMES.join(", ")}` };
  if (hooks.onCandles) {
    const clash = PER_CANDLE_HOOKS.filter((name) => hooks[name] !== undefined);
    if (clash.length > 0) {
      return {
        error: `onCandles cannot be exported together with ${clash.join(", ")}: onCandles never sees fills or positions (it runs a batch of candles ahead of them and says what to hold with ctx.target); export onCandles or the per-candle hooks, not both`,
      };
    }
  }
  return { hooks, unknown };
}
