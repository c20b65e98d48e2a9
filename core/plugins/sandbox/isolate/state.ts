// Runs inside the isolate: the plugin's small key-value state (ctx.state). Values are kept as JSON text,
// so a get returns a fresh copy, nothing the plugin holds aliases the stored value, and the size the
// host will see is known at every set.

import { PluginUsageError } from "./errors.ts";
import { FORBIDDEN_KEYS, OUTPUT_LIMITS } from "./limits.ts";

/** What ctx.state offers a plugin. */
export interface PluginState {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  delete(key: string): boolean;
  keys(): string[];
}

/**
 * The store behind ctx.state. `size` is an upper bound of the byte length of `serialize()` (UTF-8),
 * kept up to date on every change, so the cap is enforced at the `set` that would cross it.
 * @example const s = new StateStore(65536); s.facade.set("n", 1); s.serialize() // '{"n":1}'
 */
export class StateStore {
  private readonly values: Record<string, string> = Object.create(null);
  private readonly sizes: Record<string, number> = Object.create(null);
  private size = 2;
  dirty = false;
  readonly facade: PluginState;

  constructor(private readonly capBytes: number) {
    const store = this;
    this.facade = Object.freeze({
      get(key: string): unknown {
        const text = store.values[checkKey(key)];
        return text === undefined ? undefined : JSON.parse(text);
      },
      set(key: string, value: unknown): void {
        store.set(checkKey(key), value);
      },
      delete(key: string): boolean {
        return store.remove(checkKey(key));
      },
      keys(): string[] {
        return Object.keys(store.values);
      },
    });
  }

  /** Loads state saved by an earlier run (already validated by the host). */
  load(json: string): void {
    const parsed = JSON.parse(json) as Record<string, unknown>;
    for (const key of Object.keys(parsed)) this.set(key, parsed[key]);
    this.dirty = false;
  }

  /** The whole state as one JSON object text. */
  serialize(): string {
    const parts: string[] = [];
    for (const key of Object.keys(this.values)) parts.push(`${JSON.stringify(key)}:${this.values[key]}`);
    return `{${parts.join(",")}}`;
  }

  private set(key: string, value: unknown): void {
    if (value === undefined) {
      this.remove(key);
      return;
    }
    const text = JSON.stringify(value);
    if (typeof text !== "string") throw new PluginUsageError(`ctx.state.set("${key}"): value is not JSON-serialisable`);
    if (hasForbiddenKey(text)) {
      throw new PluginUsageError(`ctx.state.set("${key}"): keys ${FORBIDDEN_KEYS.join(", ")} are not allowed`);
    }
    // key text + colon + value + comma; an upper bound of the serialized size.
    const entry = utf8Length(JSON.stringify(key)) + utf8Length(text) + 2;
    const next = this.size - (this.sizes[key] ?? 0) + entry;
    if (next > this.capBytes) {
      throw new PluginUsageError(
        `ctx.state is capped at ${this.capBytes} bytes; setting "${key}" would make it ${next}`,
      );
    }
    this.values[key] = text;
    this.sizes[key] = entry;
    this.size = next;
    this.dirty = true;
  }

  private remove(key: string): boolean {
    if (this.values[key] === undefined) return false;
    this.size -= this.sizes[key] ?? 0;
    delete this.values[key];
    delete this.sizes[key];
    this.dirty = true;
    return true;
  }
}

function checkKey(key: unknown): string {
  if (typeof key !== "string" || key.length === 0 || key.length > OUTPUT_LIMITS.stateKeyChars) {
    throw new PluginUsageError(`ctx.state keys are strings of 1 to ${OUTPUT_LIMITS.stateKeyChars} characters`);
  }
  if (FORBIDDEN_KEYS.includes(key)) throw new PluginUsageError(`ctx.state key "${key}" is not allowed`);
  return key;
}

/** The host refuses these keys anywhere in a state; check the text cheaply, then precisely. */
function hasForbiddenKey(text: string): boolean {
  if (!FORBIDDEN_KEYS.some((key) => text.includes(`"${key}"`))) return false;
  let found = false;
  JSON.parse(text, (key, value) => {
    if (FORBIDDEN_KEYS.includes(key)) found = true;
    return value;
  });
  return found;
}

/** Bytes of `text` in UTF-8 (lone surrogates count 3, as TextEncoder writes U+FFFD for them). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}
