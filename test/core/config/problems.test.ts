import { describe, expect, it } from "vitest";
import { ConfigError, parseStrategiesYaml } from "../../../core/config/index.ts";
import { MINIMAL, problemsOf } from "./helpers.ts";

/** MINIMAL with one piece of text replaced; throws if the text is not there, so a test cannot pass vacuously. */
function strategyWith(find: string, replace: string): string {
  if (!MINIMAL.includes(find)) throw new Error(`MINIMAL has no ${find}`);
  return MINIMAL.replace(find, replace);
}

describe("strategies.yaml problems name the path, the line and column, what was expected and what was found", () => {
  it("reports a value of the wrong type", () => {
    expect(problemsOf(`risk:\n  maxOpenPositions: ten\n`)).toEqual([
      { line: 2, column: 21, path: "risk.maxOpenPositions", message: 'expected an integer of at least 1, got "ten"' },
    ]);
  });

  it("reports a number out of range", () => {
    expect(problemsOf(`risk:\n  maxPositionPct: 150\n  volatility: { atrPeriod: 0 }\n`)).toEqual([
      { line: 2, column: 19, path: "risk.maxPositionPct", message: "expected a number from 0 to 100, got 150" },
      { line: 3, column: 28, path: "risk.volatility.atrPeriod", message: "expected an integer of at least 1, got 0" },
    ]);
  });

  it("reports an unknown key at the key, suggesting the closest known key", () => {
    const text = MINIMAL.replace("    balances: { USDT: 1000 }\n", "    balances: { USDT: 1000 }\n    sorting: true\n");
    expect(problemsOf(text)).toEqual([
      { line: 5, column: 5, path: "accounts[0].sorting", message: 'unknown key "sorting" (did you mean "shorting"?)' },
    ]);
  });

  it("reports an unknown key with no suggestion when nothing is close", () => {
    expect(problemsOf(`feed:\n  mode: auto\n  colour: red\n`)).toEqual([
      { line: 3, column: 3, path: "feed.colour", message: 'unknown key "colour"' },
    ]);
  });

  it("reports a misspelt required key both as unknown and as missing", () => {
    expect(problemsOf(strategyWith("    timeframe: 1h\n", "    timefrme: 1h\n"))).toEqual([
      // The missing key points at the strategy's map, which starts at "id" after the dash.
      {
        line: 6,
        column: 5,
        path: "strategies[0].timeframe",
        message: 'missing required key "timeframe": expected one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w',
      },
      {
        line: 10,
        column: 5,
        path: "strategies[0].timefrme",
        message: 'unknown key "timefrme" (did you mean "timeframe"?)',
      },
    ]);
  });

  it("reports a missing required field at the map that lacks it", () => {
    expect(problemsOf(strategyWith("    plugin: sma-cross\n", ""))).toEqual([
      {
        line: 6,
        column: 5,
        path: "strategies[0].plugin",
        message:
          'missing required key "plugin": expected a plugin id like "sma-cross" or a relative path starting with "./"',
      },
    ]);
  });

  it("reports duplicate account and strategy ids at the second one", () => {
    const text = `accounts:
  - { id: paper, exchange: binance }
  - { id: paper, exchange: upbit }
strategies:
  - { id: s1, plugin: sma-cross, account: paper, symbols: [BTC/USDT], timeframe: 1h }
  - { id: s1, plugin: sma-cross, account: paper, symbols: [ETH/USDT], timeframe: 1h }
`;
    expect(problemsOf(text)).toEqual([
      { line: 3, column: 11, path: "accounts[1].id", message: 'duplicate account id "paper" (accounts[0] has it too)' },
      {
        line: 6,
        column: 11,
        path: "strategies[1].id",
        message: 'duplicate strategy id "s1" (strategies[0] has it too)',
      },
    ]);
  });

  it("reports a strategy naming an account that does not exist, with a suggestion or the known ids", () => {
    expect(problemsOf(strategyWith("account: paper", "account: papr"))).toEqual([
      { line: 8, column: 14, path: "strategies[0].account", message: 'unknown account "papr" (did you mean "paper"?)' },
    ]);
    expect(problemsOf(strategyWith("account: paper", "account: main"))).toEqual([
      { line: 8, column: 14, path: "strategies[0].account", message: 'unknown account "main" (accounts: paper)' },
    ]);
  });

  it("reports a timeframe that is not one of TIMEFRAMES, suggesting the right case", () => {
    const allowed = "expected one of 1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w";
    expect(problemsOf(strategyWith("timeframe: 1h", "timeframe: 1H"))).toEqual([
      { line: 10, column: 16, path: "strategies[0].timeframe", message: `${allowed}, got "1H" (did you mean "1h"?)` },
    ]);
    expect(problemsOf(strategyWith("timeframe: 1h", "timeframe: 2d"))[0]?.message).toBe(`${allowed}, got "2d"`);
  });

  it("reports a version that is not a semver range, including a bare YAML number", () => {
    const withVersion = (v: string) =>
      strategyWith("    plugin: sma-cross\n", `    plugin: sma-cross\n    version: ${v}\n`);
    expect(problemsOf(withVersion("1.2"))).toEqual([
      {
        line: 8,
        column: 14,
        path: "strategies[0].version",
        message: 'expected a semver range like "^1.2.0" or "*", got 1.2',
      },
    ]);
    expect(problemsOf(withVersion('"one point two"'))[0]?.message).toBe(
      'expected a semver range like "^1.2.0" or "*", got "one point two"',
    );
  });

  it("reports a YAML syntax error at its own line and column, and nothing else", () => {
    const text = "accounts:\n  - id: paper\n    exchange: binance\n   mode: paper\n";
    expect(problemsOf(text)).toEqual([
      { line: 4, column: 1, path: "", message: "YAML syntax: Sequence item without - indicator" },
    ]);
  });

  it("reports a duplicate YAML key rather than keeping the last one", () => {
    expect(problemsOf("feed:\n  mode: auto\n  mode: live\n")).toEqual([
      { line: 3, column: 3, path: "", message: "YAML syntax: Map keys must be unique" },
    ]);
  });

  it("reports an unknown YAML tag instead of reading it as a string", () => {
    expect(problemsOf("feed:\n  mode: !env FEED_MODE\n")).toEqual([
      { line: 2, column: 9, path: "", message: "YAML: Unresolved tag: !env" },
      { line: 2, column: 14, path: "feed.mode", message: 'expected one of auto, replay, live, got "FEED_MODE"' },
    ]);
  });

  it("reports a file that is not a map", () => {
    expect(problemsOf("- paper\n")).toEqual([
      { line: 1, column: 1, path: "", message: "expected a map with accounts, risk, feed and strategies, got a list" },
    ]);
  });

  it("reports several problems at once, in file order, one per line in the message", () => {
    const text = `accounts:
  - id: Paper
    exchange: binance
    mode: live
    balances: { usdt: -5 }
strategies:
  - id: s1
    plugin: ../outside
    account: paper
    symbols: []
    timeframe: 1h
    params: { fast: [5] }
    allocation: { pct: 10, quote: 100 }
    enabled: yes
`;
    let error: ConfigError | undefined;
    try {
      parseStrategiesYaml(text, "s.yaml");
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message.split("\n")).toEqual([
      's.yaml:2:5 accounts[0].credentials: missing required key "credentials": a live account needs the name of a stored credential',
      's.yaml:2:9 accounts[0].id: expected an id of lowercase letters, digits, "-" and "_" (at most 64), got "Paper"',
      's.yaml:5:17 accounts[0].balances.usdt: invalid key "usdt": expected a currency code in capitals like "USDT"',
      's.yaml:8:13 strategies[0].plugin: expected a plugin id like "sma-cross" or a relative path starting with "./", got "../outside"',
      's.yaml:9:14 strategies[0].account: unknown account "paper" (did you mean "Paper"?)',
      's.yaml:10:14 strategies[0].symbols: expected a non-empty list of symbols like ["BTC/USDT"], got an empty list',
      "s.yaml:12:21 strategies[0].params.fast: expected a number, true/false or a string, got a list",
      "s.yaml:13:17 strategies[0].allocation: takes pct or quote, not both",
      's.yaml:14:14 strategies[0].enabled: expected true or false, got "yes"',
    ]);
    expect(error?.problems).toHaveLength(9);
  });
});

describe("accounts", () => {
  it("rejects API keys in ccxt options without repeating them", () => {
    const text = MINIMAL.replace(
      "    balances:",
      "    ccxt: { apiKey: AKIA-not-a-real-key, secret: hush-hush }\n    balances:",
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.column, p.path])).toEqual([
      [4, 13, "accounts[0].ccxt.apiKey"],
      [4, 42, "accounts[0].ccxt.secret"],
    ]);
    expect(problems[0]?.message).toMatch(/^secrets do not belong in strategies.yaml/);
    expect(JSON.stringify(problems)).not.toMatch(/AKIA|hush/);
  });

  it("checks the exchange against a given list of ccxt ids", () => {
    const text = MINIMAL.replace("exchange: binance", "exchange: binanse");
    expect(problemsOf(text, { exchanges: ["binance", "upbit"] })).toEqual([
      {
        line: 3,
        column: 15,
        path: "accounts[0].exchange",
        message: 'unknown exchange "binanse" (did you mean "binance"?)',
      },
    ]);
    // Without a list only the spelling is checked.
    expect(() => parseStrategiesYaml(text, "s.yaml")).not.toThrow();
  });

  it("rejects an exchange id that is not lowercase", () => {
    expect(problemsOf(MINIMAL.replace("exchange: binance", "exchange: Binance"))[0]?.message).toBe(
      'expected a ccxt exchange id in lowercase like "binance", got "Binance"',
    );
  });
});

describe("strategies", () => {
  it("rejects an allocation with neither pct nor quote, or a pct out of range", () => {
    const withAllocation = (a: string) =>
      strategyWith("    timeframe: 1h\n", `    timeframe: 1h\n    allocation: ${a}\n`);
    expect(problemsOf(withAllocation("{}"))).toEqual([
      {
        line: 11,
        column: 17,
        path: "strategies[0].allocation",
        message: "needs pct (percent of the account's equity) or quote (an amount), like { pct: 10 }",
      },
    ]);
    expect(problemsOf(withAllocation("{ pct: 0 }"))[0]?.message).toBe(
      "expected a number greater than 0 and at most 100, got 0",
    );
    expect(problemsOf(withAllocation("10"))[0]?.message).toBe(
      "expected a map with either pct (percent of the account's equity) or quote (an amount), like { pct: 10 }, got 10",
    );
  });

  it("rejects symbols that are not unified, and duplicates", () => {
    expect(problemsOf(strategyWith("[BTC/USDT]", "[btcusdt, ETH/USDT, ETH/USDT]"))).toEqual([
      {
        line: 9,
        column: 15,
        path: "strategies[0].symbols[0]",
        message: 'expected a unified symbol like "BTC/USDT", got "btcusdt"',
      },
      { line: 9, column: 34, path: "strategies[0].symbols[2]", message: 'duplicate symbol "ETH/USDT"' },
    ]);
  });

  it("reports an empty value at its key", () => {
    expect(problemsOf(strategyWith("    timeframe: 1h\n", "    timeframe: 1h\n    params:\n"))).toEqual([
      {
        line: 11,
        column: 5,
        path: "strategies[0].params",
        message: "expected a map of parameter names to values, got an empty value",
      },
    ]);
  });

  it("rejects an unknown key inside a strategy's risk override", () => {
    const text = strategyWith("    timeframe: 1h\n", "    timeframe: 1h\n    risk: { maxOpenPositons: 2 }\n");
    expect(problemsOf(text)).toEqual([
      {
        line: 11,
        column: 13,
        path: "strategies[0].risk.maxOpenPositons",
        message: 'unknown key "maxOpenPositons" (did you mean "maxOpenPositions"?)',
      },
    ]);
  });
});

describe("feed", () => {
  it("rejects a replay start that is not a real date, and a non-positive speed", () => {
    expect(problemsOf(`feed:\n  replay: { from: "2024-02-30", candlesPerSecond: -1 }\n`)).toEqual([
      {
        line: 2,
        column: 19,
        path: "feed.replay.from",
        message: 'expected an ISO date like "2024-01-01" or "2024-01-01T00:00:00Z", got "2024-02-30"',
      },
      {
        line: 2,
        column: 51,
        path: "feed.replay.candlesPerSecond",
        message: "expected a number greater than 0, got -1",
      },
    ]);
  });

  it("bounds the live feed's poll interval, warm-up and probe wait", () => {
    expect(problemsOf("feed:\n  live: { pollSeconds: 0, warmupCandles: 2.5, probeSeconds: 600 }\n")).toEqual([
      {
        line: 2,
        column: 24,
        path: "feed.live.pollSeconds",
        message: "expected a number greater than 0 and at most 3600, got 0",
      },
      { line: 2, column: 42, path: "feed.live.warmupCandles", message: "expected an integer from 0 to 1000, got 2.5" },
      {
        line: 2,
        column: 61,
        path: "feed.live.probeSeconds",
        message: "expected a number greater than 0 and at most 60, got 600",
      },
    ]);
  });

  it("accepts an ISO date and date-time", () => {
    const { feed } = parseStrategiesYaml(
      `feed:\n  mode: replay\n  replay: { from: 2024-01-01, loop: false }\n`,
      "s.yaml",
    ).config;
    expect(feed).toEqual({
      mode: "replay",
      replay: { candlesPerSecond: 200, loop: false, from: "2024-01-01" },
      live: { pollSeconds: 10, warmupCandles: 300, probeSeconds: 5 },
    });
  });
});
