import { readFileSync } from "node:fs";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { z } from "zod";
import { ConfigError, loadStrategiesFile, parseStrategiesYaml } from "../../../core/config/index.ts";
import { mergeRiskLimits, type riskLimitsSchema } from "../../../core/config/risk-schema.ts";
import { DEFAULT_RISK_LIMITS, type RiskLimits } from "../../../core/domain/risk.ts";
import { MINIMAL } from "./helpers.ts";

describe("strategies.yaml that validates", () => {
  it("loads the shipped example with the accounts and strategies it names", () => {
    const { config, file } = loadStrategiesFile("strategies.yaml");
    expect(file).toBe("strategies.yaml");
    expect(config.accounts.map((a) => [a.id, a.exchange, a.mode])).toEqual([["paper", "binance", "paper"]]);
    expect(config.strategies.map((s) => [s.id, s.plugin, s.symbols, s.timeframe])).toEqual([
      ["btc-sma-cross", "sma-cross", ["BTC/USDT"], "1h"],
      ["eth-rsi-reversion", "rsi-reversion", ["ETH/USDT"], "1h"],
    ]);
    expect(config.strategies[0]?.params).toEqual({ fast: 10, slow: 30 });
    expect(config.strategies[1]?.params).toEqual({ period: 14, oversold: 30, overbought: 70 });
    // The example's per-strategy risk is a partial override: only what it writes.
    expect(config.strategies[1]?.risk).toEqual({ maxPositionPct: 15, volatility: { maxAtrPct: 8 } });
  });

  it("applies every default to a minimal file", () => {
    const { config } = parseStrategiesYaml(MINIMAL, "s.yaml");
    expect(config.accounts[0]).toEqual({
      id: "paper",
      exchange: "binance",
      mode: "paper",
      balances: { USDT: 1000 },
      shorting: false,
      fees: { maker: 0.1, taker: 0.1 },
      ccxt: {},
    });
    expect(config.strategies[0]).toEqual({
      id: "btc",
      plugin: "sma-cross",
      version: "*",
      account: "paper",
      symbols: ["BTC/USDT"],
      timeframe: "1h",
      params: {},
      allocation: { pct: 10 },
      risk: {},
      enabled: true,
    });
    expect(config.risk).toEqual(DEFAULT_RISK_LIMITS);
    expect(config.feed).toEqual({
      mode: "auto",
      replay: { candlesPerSecond: 200, loop: true },
      live: { pollSeconds: 10, warmupCandles: 300, probeSeconds: 5 },
    });
  });

  it("reads an empty file as an empty configuration with default limits", () => {
    const { config } = parseStrategiesYaml("# nothing yet\n", "s.yaml");
    expect(config).toEqual({
      accounts: [],
      risk: DEFAULT_RISK_LIMITS,
      feed: {
        mode: "auto",
        replay: { candlesPerSecond: 200, loop: true },
        live: { pollSeconds: 10, warmupCandles: 300, probeSeconds: 5 },
      },
      strategies: [],
    });
  });

  it("maps risk.symbols to enabledSymbols/disabledSymbols and fills nested groups key by key", () => {
    const text = `risk:
  maxOpenPositions: 3
  volatility: { action: reject }
  symbols: { enabled: [BTC/USDT], disabled: [DOGE/USDT] }
`;
    const { risk } = parseStrategiesYaml(text, "s.yaml").config;
    expect(risk).toEqual({
      ...DEFAULT_RISK_LIMITS,
      maxOpenPositions: 3,
      volatility: { atrPeriod: 14, maxAtrPct: 10, action: "reject" },
      enabledSymbols: ["BTC/USDT"],
      disabledSymbols: ["DOGE/USDT"],
    });
  });

  it("merges a strategy override over the global limits", () => {
    const merged = mergeRiskLimits(DEFAULT_RISK_LIMITS, { maxPositionPct: 15, stopLossGuard: { stops: 2 } });
    expect(merged.maxPositionPct).toBe(15);
    expect(merged.stopLossGuard).toEqual({ stops: 2, windowMinutes: 240, lockMinutes: 240 });
    expect(merged.maxExposurePct).toBe(DEFAULT_RISK_LIMITS.maxExposurePct);
  });

  it("produces exactly the domain's RiskLimits type", () => {
    expectTypeOf<z.output<typeof riskLimitsSchema>>().toEqualTypeOf<RiskLimits>();
  });

  it("accepts a quote allocation, a plugin path, a semver range and a live account with credentials", () => {
    const text = `accounts:
  - id: live-main
    exchange: upbit
    mode: live
    credentials: upbit-main
    ccxt: { options: { defaultType: spot } }
strategies:
  - id: mine
    plugin: ./plugins/mine
    version: ">=1.2 <2"
    account: live-main
    symbols: [BTC/KRW, ETH/KRW]
    timeframe: 4h
    params: { fast: 7, label: "a b", short: false }
    allocation: { quote: 250000 }
    enabled: false
`;
    const { config } = parseStrategiesYaml(text, "s.yaml");
    expect(config.accounts[0]).toMatchObject({ mode: "live", credentials: "upbit-main", balances: {} });
    expect(config.accounts[0]?.ccxt).toEqual({ options: { defaultType: "spot" } });
    expect(config.strategies[0]).toMatchObject({
      plugin: "./plugins/mine",
      version: ">=1.2 <2",
      allocation: { quote: 250000 },
      params: { fast: 7, label: "a b", short: false },
      enabled: false,
    });
  });

  it("resolves merge keys in params", () => {
    const text = MINIMAL.replace(
      "    timeframe: 1h\n",
      "    timeframe: 1h\n    params: { <<: { fast: 5, slow: 20 }, fast: 7 }\n",
    );
    expect(parseStrategiesYaml(text, "s.yaml").config.strategies[0]?.params).toEqual({ fast: 7, slow: 20 });
  });

  it("locates paths for later checks, and a missing key at its parent", () => {
    const loaded = parseStrategiesYaml(MINIMAL, "s.yaml");
    expect(loaded.locate(["strategies", 0, "timeframe"])).toEqual({ line: 10, column: 16 });
    expect(loaded.locate(["accounts", 0, "balances", "USDT"])).toEqual({ line: 4, column: 23 });
    // No params in the file: the strategy's map, which starts at "id" after the dash.
    expect(loaded.locate(["strategies", 0, "params", "fast"])).toEqual({ line: 6, column: 5 });
  });
});

describe("a strategies file that cannot be read", () => {
  it("is a ConfigError naming the missing file", () => {
    let error: unknown;
    try {
      loadStrategiesFile("does/not/exist.yaml");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe("does/not/exist.yaml: file not found");
  });

  it("is a ConfigError when the path is a directory", () => {
    expect(() => loadStrategiesFile("test")).toThrow("test: is a directory, not a file");
  });

  it("reads the same file the loader reads", () => {
    const text = readFileSync("strategies.yaml", "utf8");
    expect(parseStrategiesYaml(text, "strategies.yaml").config).toEqual(loadStrategiesFile("strategies.yaml").config);
  });
});
