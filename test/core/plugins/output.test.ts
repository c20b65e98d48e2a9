import { describe, expect, it } from "vitest";
import { PluginFailure } from "../../../core/plugins/sandbox/failure.ts";
import { checkState, parseOutput } from "../../../core/plugins/sandbox/output.ts";

// The host's own barrier, tested directly with what a subverted bootstrap could send: these strings never
// come from the real bootstrap, which rejects the same things earlier, at the plugin's call site.

const context = { symbols: ["BTC/USDT"], stateCapBytes: 1024, range: { from: 10, to: 20 } };
const intent = {
  symbol: "BTC/USDT",
  side: "buy",
  reduceOnly: false,
  size: { kind: "fraction", value: 0.5 },
  type: "market",
};

function rejected(raw: unknown, ctx = context): string {
  try {
    parseOutput(raw, ctx);
  } catch (error) {
    expect(error).toBeInstanceOf(PluginFailure);
    expect((error as PluginFailure).cause).toBe("invalid-output");
    return (error as PluginFailure).message;
  }
  throw new Error("accepted");
}

const out = (fields: Record<string, unknown>) => JSON.stringify({ intents: [], logs: [], reached: 11, ...fields });

describe("parseOutput", () => {
  it("accepts a well-formed answer and returns plain data", () => {
    const parsed = parseOutput(out({ intents: [intent], state: '{"n":1}' }), context);
    expect(parsed.intents).toEqual([intent]);
    expect(parsed.state).toBe('{"n":1}');
    expect(Object.getPrototypeOf(parsed.intents[0])).toBe(Object.prototype);
  });

  it("rejects anything but a bounded JSON string", () => {
    expect(rejected(42)).toMatch(/expected a string/);
    expect(rejected("not json")).toMatch(/not JSON/);
    expect(rejected("x".repeat(2_000_000))).toMatch(/too long/);
  });

  it("rejects unknown fields and prototype keys anywhere", () => {
    expect(rejected(out({ admin: true }))).toMatch(/admin|Unrecognized/i);
    expect(rejected(out({ intents: [{ ...intent, leverage: 100 }] }))).toMatch(/intents\.0/);
    expect(rejected(`{"intents":[],"logs":[],"reached":11,"__proto__":{"polluted":1}}`)).toMatch(
      /__proto__|Unrecognized/,
    );
    expect(
      rejected(out({ intents: [{ ...intent, size: JSON.parse('{"kind":"quote","value":5,"__proto__":{}}') }] })),
    ).toMatch(/intents\.0\.size/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("rejects non-finite and out-of-range numbers (JSON turns NaN and Infinity into null)", () => {
    expect(rejected(out({ intents: [{ ...intent, size: { kind: "fraction", value: null } }] }))).toMatch(
      /intents\.0\.size/,
    );
    expect(rejected(out({ intents: [{ ...intent, size: { kind: "fraction", value: 1.5 } }] }))).toMatch(
      /intents\.0\.size/,
    );
    expect(rejected(out({ intents: [{ ...intent, size: { kind: "quote", value: 1e300 } }] }))).toMatch(
      /intents\.0\.size/,
    );
    expect(rejected(out({ intents: [{ ...intent, stopLoss: { pct: -1 } }] }))).toMatch(/intents\.0\.stopLoss/);
    expect(rejected(out({ intents: [{ ...intent, type: "limit" }] }))).toMatch(/limitPrice/);
  });

  it("bounds counts and string lengths", () => {
    expect(rejected(out({ intents: Array.from({ length: 17 }, () => intent) }))).toMatch(/intents/);
    expect(rejected(out({ intents: [{ ...intent, reason: "r".repeat(201) }] }))).toMatch(/reason/);
    expect(rejected(out({ logs: Array.from({ length: 300 }, () => ({ level: "info", message: "x" })) }))).toMatch(
      /logs/,
    );
  });

  it("rejects an intent for a symbol the instance does not trade", () => {
    expect(rejected(out({ intents: [{ ...intent, symbol: "ETH/USDT" }] }))).toMatch(/not traded/);
  });

  it("requires a run to make progress inside its range", () => {
    expect(rejected(out({ reached: 10 }))).toMatch(/reached 10/);
    expect(rejected(out({ reached: 21 }))).toMatch(/reached 21/);
    expect(rejected(out({ reached: 12.5 }))).toMatch(/reached/);
    expect(rejected(JSON.stringify({ intents: [], logs: [] }))).toMatch(/reached undefined/);
  });

  it("passes a failure the bootstrap reported through as data", () => {
    const parsed = parseOutput(out({ error: { cause: "memory", message: "Invalid string length" } }), context);
    expect(parsed.failure).toEqual({ cause: "memory", message: "Invalid string length" });
    expect(rejected(out({ error: { cause: "crash", message: "x" } }))).toMatch(/error/);
  });
});

describe("checkState", () => {
  it("accepts a JSON object within the cap", () => {
    expect(() => checkState('{"count":3,"nested":{"a":[1,2]}}', 1024)).not.toThrow();
  });

  it("rejects prototype keys at any depth, non-objects, and anything over the cap (in UTF-8 bytes)", () => {
    expect(() => checkState('{"a":{"__proto__":{"x":1}}}', 1024)).toThrow(/__proto__/);
    expect(() => checkState('{"constructor":1}', 1024)).toThrow(/constructor/);
    expect(() => checkState('{"a":[{"prototype":1}]}', 1024)).toThrow(/prototype/);
    expect(() => checkState("[1,2]", 1024)).toThrow(/not a JSON object/);
    expect(() => checkState(`{"a":"${"é".repeat(600)}"}`, 1024)).toThrow(/1208 bytes, over the cap of 1024/);
    expect(() => checkState(`{"a":${"[".repeat(20000)}${"]".repeat(20000)}}`, 1_000_000)).toThrow(PluginFailure);
  });
});
