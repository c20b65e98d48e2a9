import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { evaluatePlugin } from "../../../core/plugins/evaluate.ts";
import { SandboxPool } from "../../../core/plugins/sandbox/pool.ts";
import { candlesFrom, fixture, fixtureSpec, syntaxErrorPlugin } from "./helpers.ts";

// A fake secret in the host's environment, set before any worker starts: no plugin may read it.
const SECRET = "qc-secret-7f3a9d2e-do-not-leak";
process.env.QUANTCHAT_TEST_SECRET = SECRET;

const candles = { "BTC/USDT": candlesFrom([100, 101, 102, 103, 104, 105, 106, 107]) };
const sane = { "BTC/USDT": candlesFrom([10, 10, 10, 10, 10, 12, 13, 14, 13, 11, 9, 8, 8, 10, 12, 7, 6, 6]) };

function attack(name: string, at = 2) {
  return evaluatePlugin({ pluginDir: fixture("hostile"), params: { attack: name, at }, candles });
}

function saneRun() {
  return evaluatePlugin({ pluginDir: fixture("sma-cross"), params: { fast: 2, slow: 4 }, candles: sane });
}

/** A host timer that must keep ticking while plugins misbehave. */
let ticks = 0;
let ticker: NodeJS.Timeout;
let saneBefore: Awaited<ReturnType<typeof saneRun>>;

beforeAll(async () => {
  ticker = setInterval(() => ticks++, 5);
  saneBefore = await saneRun();
});
afterAll(() => clearInterval(ticker));

describe("a hostile plugin is stopped with the right cause", () => {
  const cases: [attack: string, cause: string, message: RegExp, at?: number][] = [
    [
      "constructor-escape",
      "error",
      /process is not defined \(test\/fixtures\/plugins\/hostile\/strategy\.js:\d+:\d+\)/,
    ],
    ["require", "error", /require is not defined/],
    ["function-this", "error", /reading 'env'/],
    ["patch-builtin", "error", /Cannot assign to read only property 'push'/],
    ["then-return", "error", /hooks must be synchronous/],
    ["throw-getter-throws", "error", /whose message cannot be read/],
    ["throw-proxy", "error", /whose message cannot be read/],
    ["throw-symbol", "error", /threw Symbol\(sym\)/],
    ["intent-in-init", "error", /only allowed in onCandle/, -1],
    // These loop in their first call of a hook, which gets the cold-start allowance: 10 x 20 ms.
    ["throw-getter-loop", "timeout", /still running after \d+ ms; its CPU limit is 200 ms/],
    ["reject-hostile", "timeout", /run: still running long after its 200 ms CPU limit; stopped/],
    ["loop", "timeout", /still running after \d+ ms; its CPU limit is 200 ms/],
    ["loop", "timeout", /init: still running after 650 ms; its CPU limit is 200 ms/, -1],
    ["memory-array", "memory", /memory limit/],
    ["memory-buffer", "memory", /outside it|Array buffer allocation failed/, -1],
    ["memory-string", "memory", /Invalid string length/],
    ["memory-buffer", "memory", /outside it|Array buffer allocation failed/],
    ["memory-recursion", "memory", /Maximum call stack size exceeded/],
    ["proto-key", "invalid-output", /unknown field "__proto__"/],
    ["tojson-order", "invalid-output", /unknown field "toJSON"/],
    ["symbol-size", "invalid-output", /size\.fraction must be a number/],
    ["nan-size", "invalid-output", /got NaN/],
    ["infinity-size", "invalid-output", /got Infinity/],
    ["many-intents", "invalid-output", /more than 16 intents in one step/],
    ["huge-reason", "invalid-output", /longer than 200 characters/],
    ["unknown-field", "invalid-output", /unknown field "leverage"/],
  ];
  for (const [name, cause, message, at] of cases) {
    it(`${name}${at === -1 ? " in init" : ""}: ${cause}`, async () => {
      const result = await attack(name, at);
      expect(result.failed?.cause).toBe(cause);
      expect(result.failed?.message).toMatch(message);
      expect(result.intents).toEqual([]);
    });
  }
});

describe("what a plugin can reach", () => {
  it("no process, require, fetch, timers, WebAssembly, SharedArrayBuffer, Atomics, host references or secrets", async () => {
    const result = await attack("probe");
    expect(result.failed).toBeUndefined();
    const all = result.logs.join("\n");
    expect(all).not.toContain(SECRET);
    const globals = (result.logs[0] ?? "")
      .replace(/^info: globals: /, "")
      .replace(/…$/, "")
      .split(",");
    expect(globals).toContain("Object");
    for (const name of [
      "process",
      "require",
      "fetch",
      "setTimeout",
      "WebAssembly",
      "SharedArrayBuffer",
      "Atomics",
      "ivm",
    ]) {
      expect(globals).not.toContain(name);
    }
    expect(result.logs[1]).toBe(
      "info: process=throws ReferenceError require=throws ReferenceError fetch=throws ReferenceError " +
        "setTimeout=throws ReferenceError WebAssembly=throws ReferenceError SharedArrayBuffer=throws ReferenceError " +
        "Atomics=throws ReferenceError ivm=throws ReferenceError global=throws ReferenceError " +
        "Buffer=throws ReferenceError dispatch=throws ReferenceError frozenArrayPrototype=true frozenJSON=true",
    );
    // Seven escape attempts, each failing to find a process object.
    expect(result.logs.filter((l) => /attempt \d/.test(l))).toHaveLength(7);
    expect(all).not.toMatch(/attempt \d: (?!\[object Promise\]|undefined)/);
  });

  it("dynamic import() of a Node module is refused inside the isolate", async () => {
    const result = await attack("dynamic-import");
    expect(result.failed).toBeUndefined();
    expect(result.logs.join("\n")).not.toContain("imported");
  });

  it("a getter that lies on its second read is read once: the intent is what the first read said", async () => {
    const result = await attack("getter-order");
    expect(result.failed).toBeUndefined();
    expect(result.logs).toEqual(["info: size read 1 time(s)"]);
    expect(result.intents.map((i) => i.size)).toEqual([{ kind: "fraction", value: 0.25 }]);
    expect(Object.getPrototypeOf(result.intents[0]!.size)).toBe(Object.prototype);
  });

  it("prototype pollution changes neither the intents the bootstrap reports nor anything on the host", async () => {
    const result = await attack("pollute-prototype");
    expect(result.failed).toBeUndefined();
    expect(result.intents).toEqual([
      {
        index: 2,
        time: candles["BTC/USDT"][2]!.time,
        symbol: "BTC/USDT",
        side: "buy",
        reduceOnly: false,
        size: { kind: "fraction", value: 0.5 },
        type: "market",
        stopLoss: { pct: 2 },
        reason: "after pollution",
      },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify({ a: 1 })).toBe('{"a":1}');
  });

  it("a worker process gets no environment of ours to read, even if an isolate were escaped", async () => {
    const pool = new SandboxPool({ workers: 1, unref: true });
    try {
      const instance = await pool.createInstance(fixtureSpec("sma-cross"));
      const pid = pool.workerPid(instance.instanceId)!;
      const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").filter(Boolean);
      expect(environ.join("\n")).not.toContain(SECRET);
      // Node adds its IPC channel's descriptor and mode; nothing else is inherited.
      expect(environ.map((e) => e.split("=")[0]).sort()).toEqual(
        [
          "NODE_CHANNEL_FD",
          "NODE_CHANNEL_SERIALIZATION_MODE",
          "PATH",
          ...(process.env.TMPDIR ? ["TMPDIR"] : []),
        ].sort(),
      );
    } finally {
      await pool.dispose();
    }
  });
});

describe("top-level code", () => {
  it("an infinite loop while loading: timeout", async () => {
    const r = await evaluatePlugin({ pluginDir: fixture("toplevel-loop"), candles });
    expect(r.failed).toEqual({
      cause: "timeout",
      // Loading gets the cold-start allowance, 10 x the manifest's 20 ms: wall-clock limit 2 x 200 + 250.
      message: expect.stringMatching(/top-level code: still running after 650 ms; its CPU limit is 200 ms/),
    });
  });

  it("throwing an object whose message getter never returns: timeout, the worker stays usable", async () => {
    const r = await evaluatePlugin({ pluginDir: fixture("toplevel-throw-getter"), candles });
    expect(r.failed?.cause).toBe("timeout");
  });

  it("a static import: refused before any code runs", async () => {
    const r = await evaluatePlugin({ pluginDir: fixture("toplevel-import"), candles });
    expect(r.failed).toEqual({
      cause: "error",
      message: expect.stringMatching(/imports are not allowed \("node:fs"\)/),
    });
  });

  it("a syntax error: reported with file, line and column", async () => {
    const dir = syntaxErrorPlugin();
    const r = await evaluatePlugin({ pluginDir: dir, candles });
    expect(r.failed?.cause).toBe("error");
    const file = path.relative(process.cwd(), path.join(dir, "strategy.js"));
    expect(r.failed?.message).toBe(`${file}:5:4: SyntaxError: Unexpected token ','`);
    rmSync(dir, { recursive: true });
  });
});

describe("the host", () => {
  it("kept its timers running and still runs a sane plugin correctly after all of the above", async () => {
    const after = await saneRun();
    expect(saneBefore.failed).toBeUndefined();
    expect(saneBefore.intents.map((i) => [i.index, i.side])).toEqual([
      [5, "buy"],
      [9, "sell"],
      [13, "buy"],
      [16, "sell"],
    ]);
    expect(after).toEqual(saneBefore);
    expect(ticks).toBeGreaterThan(50);
  });
});
