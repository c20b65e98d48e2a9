import { describe, expect, it } from "vitest";
import { PluginFailure } from "../../../core/plugins/sandbox/failure.ts";
import { checkState, commonAnswer, parseOutput, schemaChecked } from "../../../core/plugins/sandbox/output.ts";

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

/** The targets of a batch over steps [10, 20): long at 13 and 15, flat at 15 for ETH, short at 19. */
const order = { symbol: "BTC/USDT", size: { kind: "fraction", value: 0.5 }, stopLoss: { pct: 2 }, reason: "up" };
const ethOrder = { symbol: "ETH/USDT", size: { kind: "fraction", value: 1 } };
const goodTargets = { at: [3, 5, 5, 9], side: [1, 1, 0, 2], order: [0, 0, 1, 0], orders: [order, ethOrder] };

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
    expect(rejected("x".repeat(3_000_000))).toMatch(/too long/);
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

describe("the shortcut for common answers", () => {
  // Every answer below is checked both ways: the shortcut may decline anything, but what it accepts
  // the schema must accept too, with the same values.
  const bad: unknown[] = [null, true, 0, -1, 1.5, 2 ** 53, "x", "", [], {}, [1], { a: 1 }, Number.NaN];
  const sizes = [
    ...["fraction", "quote", "base", "percent", "", 1].flatMap((kind) =>
      [1, 0.5, 1e-12, 1 + 1e-12, 1e15, 1e15 * (1 + 1e-15), 0, -0, -1, "1", null].map((value) => ({ kind, value })),
    ),
    { kind: "fraction" },
    { value: 1 },
    { kind: "fraction", value: 1, extra: 1 },
    JSON.parse('{"kind":"quote","value":5,"__proto__":{}}'),
  ];
  const intents: unknown[] = [
    intent,
    { ...intent, reason: "fast SMA crossed above slow" },
    { ...intent, reason: "r".repeat(200) },
    { ...intent, reason: "r".repeat(201) },
    { ...intent, symbol: "s".repeat(64) },
    { ...intent, symbol: "s".repeat(65) },
    { ...intent, symbol: "" },
    { ...intent, side: "sell", reduceOnly: true, size: { kind: "fraction", value: 1 } },
    { ...intent, type: "limit" },
    { ...intent, type: "limit", limitPrice: 100 },
    { ...intent, limitPrice: 100 },
    { ...intent, stopLoss: { pct: 2 } },
    { ...intent, takeProfit: { price: 100 } },
    { ...intent, trailingStop: { mode: "percent", pct: 1 } },
    { ...intent, leverage: 100 },
    JSON.parse(
      `{"symbol":"BTC/USDT","side":"buy","reduceOnly":false,"size":{"kind":"base","value":1},"type":"market","__proto__":{}}`,
    ),
    ...sizes.map((size) => ({ ...intent, size })),
    ...["symbol", "side", "reduceOnly", "size", "type"].map((key) => {
      const { [key as keyof typeof intent]: _, ...rest } = intent;
      return rest;
    }),
    ...(["symbol", "side", "reduceOnly", "size", "type", "reason"] as const).flatMap((key) =>
      bad.map((value) => ({ ...intent, [key]: value })),
    ),
  ];
  const answers: unknown[] = [
    ...intents.map((i) => ({ intents: [i], logs: [], reached: 11 })),
    { intents: [], logs: [], reached: 11 },
    { intents: [], logs: [] },
    { intents: Array.from({ length: 16 }, () => intent), logs: [], reached: 3 },
    { intents: Array.from({ length: 17 }, () => intent), logs: [], reached: 3 },
    { intents: [intent], logs: [{ level: "info", message: "hi" }], reached: 11 },
    { intents: [intent], logs: [], reached: 11, state: '{"n":1}' },
    { intents: [], logs: [], hooks: ["onCandle"] },
    { intents: [], logs: [], error: { cause: "error", message: "x" } },
    { intents: [], logs: [], reached: 11, admin: true },
    { intents: [], reached: 11 },
    { logs: [], reached: 11 },
    ...bad.map((reached) => ({ intents: [], logs: [], reached })),
    ...bad.map((value) => ({ intents: value, logs: [], reached: 1 })),
    ...bad.map((value) => ({ intents: [], logs: value, reached: 1 })),
    ...bad,
    JSON.parse('{"intents":[],"logs":[],"reached":11,"__proto__":{"polluted":1}}'),
    // Targets are checked apart from the rest (parseTargets); neither check takes an answer carrying them.
    { intents: [], logs: [], reached: 11, targets: goodTargets },
    { intents: [], logs: [], reached: 11, targets: null },
  ];

  it("accepts only what the schema accepts, and gives the same values", () => {
    let taken = 0;
    for (const answer of answers) {
      const data = JSON.parse(JSON.stringify(answer) ?? "null");
      const quick = commonAnswer(data);
      if (quick === undefined) continue;
      taken++;
      expect(schemaChecked(JSON.parse(JSON.stringify(answer)))).toEqual(quick);
    }
    // It does take the common answers, or there would be nothing to compare.
    expect(taken).toBeGreaterThan(20);
    expect(commonAnswer({ intents: [intent], logs: [], reached: 11 })).toBeDefined();
  });

  it("leaves every answer the schema rejects to the schema", () => {
    let rejectedBySchema = 0;
    for (const answer of answers) {
      const data = JSON.parse(JSON.stringify(answer) ?? "null");
      let schemaOk = true;
      try {
        schemaChecked(data);
      } catch (error) {
        expect(error).toBeInstanceOf(PluginFailure);
        schemaOk = false;
      }
      if (schemaOk) continue;
      rejectedBySchema++;
      expect(commonAnswer(data)).toBeUndefined();
    }
    expect(rejectedBySchema).toBeGreaterThan(50);
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

describe("parseOutput of an onCandles batch", () => {
  const batch = { symbols: ["BTC/USDT", "ETH/USDT"], stateCapBytes: 1024, range: { from: 10, to: 20 }, targets: true };
  const answer = (targets: unknown, fields: Record<string, unknown> = {}) =>
    JSON.stringify({ intents: [], logs: [], reached: 20, targets, ...fields });
  const withTargets = (fields: Record<string, unknown>) => answer({ ...goodTargets, ...fields });

  it("returns the targets at absolute steps, one shared object per order and side", () => {
    const parsed = parseOutput(answer(goodTargets), batch);
    const { symbol, size, stopLoss, reason } = order;
    expect(parsed.targets).toEqual([
      { step: 13, target: { symbol, side: "long", size, stopLoss, reason } },
      { step: 15, target: { symbol, side: "long", size, stopLoss, reason } },
      { step: 15, target: { symbol: "ETH/USDT", side: "flat", size: ethOrder.size } },
      { step: 19, target: { symbol, side: "short", size, stopLoss, reason } },
    ]);
    expect(parsed.targets?.[1]?.target).toBe(parsed.targets?.[0]?.target);
    expect(Object.isFrozen(parsed.targets?.[0]?.target)).toBe(true);
  });

  it("takes an answer without targets as a batch that asked for none", () => {
    expect(parseOutput(JSON.stringify({ intents: [], logs: [], reached: 20 }), batch).targets).toEqual([]);
  });

  it("rejects targets where none may come, intents from a batch, and a batch that stops short", () => {
    expect(rejected(out({ targets: goodTargets }))).toMatch(/targets from a call that is not a run of an onCandles/);
    expect(rejected(answer(goodTargets), { ...batch, targets: false } as typeof batch)).toMatch(/not a run/);
    expect(rejected(answer(goodTargets, { intents: [intent] }), batch)).toMatch(/intents from an onCandles batch/);
    expect(rejected(answer(goodTargets, { reached: 19 }), batch)).toMatch(/reached 19: an onCandles batch runs to 20/);
  });

  const bad: [what: string, raw: string, message: RegExp][] = [
    ["not an object", answer([1, 2]), /targets must be an object/],
    ["null", answer(null), /targets must be an object/],
    ["an unknown field", withTargets({ admin: true }), /exactly the fields at, side, order, orders/],
    ["a missing field", answer({ at: [], side: [], order: [] }), /exactly the fields/],
    ["a prototype key", answer(JSON.parse('{"at":[],"side":[],"order":[],"__proto__":[]}')), /exactly the fields/],
    ["lists that are not lists", withTargets({ at: "3" }), /at, side and order must be lists/],
    ["lists of different lengths", withTargets({ side: [1, 1, 0] }), /of one length/],
    ["a step past the batch", withTargets({ at: [3, 5, 5, 10] }), /targets\.at\.3: 10 is not a batch index/],
    ["a negative step", withTargets({ at: [-1, 5, 5, 9] }), /targets\.at\.0: -1/],
    ["a fractional step", withTargets({ at: [3, 5.5, 5.5, 9] }), /targets\.at\.1: 5\.5/],
    ["a step as a string", withTargets({ at: [3, "5", 5, 9] }), /targets\.at\.1: 5 is not/],
    ["steps out of order", withTargets({ at: [3, 5, 4, 9] }), /targets\.at\.2: 4 is not a batch index at or after 5/],
    ["an unknown side", withTargets({ side: [1, 3, 0, 2] }), /targets\.side\.1: unknown side code 3/],
    ["a side as a name", withTargets({ side: [1, "long", 0, 2] }), /targets\.side\.1/],
    [
      "an order past the table",
      withTargets({ order: [0, 2, 1, 0] }),
      /targets\.order\.1: 2 is not an index into the 2 orders/,
    ],
    ["a null order", withTargets({ order: [0, null, 1, 0] }), /targets\.order\.1/],
    [
      "two targets for one symbol at a step",
      withTargets({ order: [0, 0, 0, 0] }),
      /a second target for BTC\/USDT at step 15/,
    ],
    [
      "more targets than the steps allow",
      answer({
        at: new Array(161).fill(0),
        side: new Array(161).fill(0),
        order: new Array(161).fill(0),
        orders: [order],
      }),
      /161 targets for a batch of 10 steps/,
    ],
    [
      "an order with a limit price",
      withTargets({ orders: [{ ...order, limitPrice: 5 }, ethOrder] }),
      /targets\.orders\.0/,
    ],
    ["an order with a type", withTargets({ orders: [{ ...order, type: "market" }, ethOrder] }), /targets\.orders\.0/],
    [
      "an order without a size",
      withTargets({ orders: [{ symbol: "BTC/USDT" }, ethOrder] }),
      /targets\.orders\.0\.size/,
    ],
    [
      "an order of a non-finite size",
      withTargets({ orders: [{ ...order, size: { kind: "fraction", value: null } }, ethOrder] }),
      /targets\.orders\.0\.size/,
    ],
    [
      "an order with a prototype key",
      withTargets({
        orders: [JSON.parse('{"symbol":"BTC/USDT","size":{"kind":"base","value":1},"__proto__":{}}'), ethOrder],
      }),
      /targets\.orders\.0/,
    ],
    [
      "an order for a symbol not traded",
      withTargets({ orders: [order, { ...ethOrder, symbol: "DOGE/USDT" }] }),
      /targets\.orders\.1\.symbol: "DOGE\/USDT" is not traded/,
    ],
    [
      "a long reason",
      withTargets({ orders: [{ ...order, reason: "r".repeat(201) }, ethOrder] }),
      /targets\.orders\.0\.reason/,
    ],
    [
      "a table of more than 256 orders",
      withTargets({ orders: [order, ethOrder, ...new Array(255).fill(order)] }),
      /targets\.orders: /,
    ],
  ];
  it("rejects more than 16 targets at one step, even for 17 symbols", () => {
    const symbols = Array.from({ length: 17 }, (_, i) => `S${i}/USDT`);
    const orders = symbols.map((symbol) => ({ symbol, size: { kind: "fraction", value: 1 } }));
    const many = { at: new Array(17).fill(2), side: new Array(17).fill(1), order: symbols.map((_, i) => i), orders };
    expect(rejected(answer(many), { ...batch, symbols })).toMatch(/more than 16 at step 12/);
    const sixteen = { at: many.at.slice(1), side: many.side.slice(1), order: many.order.slice(1), orders };
    expect(parseOutput(answer(sixteen), { ...batch, symbols }).targets).toHaveLength(16);
  });

  for (const [what, raw, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(rejected(raw, batch)).toMatch(message);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }
});
