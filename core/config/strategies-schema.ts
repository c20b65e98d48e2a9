import { z } from "zod";
import { TIMEFRAMES } from "../domain/timeframe.ts";
import {
  bool,
  currency,
  expected,
  isoDate,
  isSlug,
  matching,
  numberIn,
  oneOf,
  semverRange,
  slug,
  strictMap,
  symbol,
} from "./fields.ts";
import { riskLimitsSchema, riskOverrideSchema } from "./risk-schema.ts";

// The schema of strategies.yaml. Every map is strict (see strictMap).

/** One exchange account: which exchange, paper or live, and how to build its ccxt client. */
export const accountSchema = strictMap(
  {
    id: slug(),
    exchange: matching(/^[a-z][a-z0-9]*$/, 'a ccxt exchange id in lowercase like "binance"'),
    mode: oneOf(["paper", "live"]).default("paper"),
    /** Starting balances of a paper account; a live account reads its balances from the exchange. */
    balances: z
      .record(currency(), numberIn({ min: 0 }), expected("a map of currency to amount like { USDT: 10000 }"))
      .default({}),
    shorting: bool().default(false),
    /** Percent of the notional, like exchanges publish them: 0.1 = 0.1%. Makers may earn a rebate. */
    fees: strictMap(
      { maker: numberIn({ min: -1, max: 10 }).default(0.1), taker: numberIn({ min: 0, max: 10 }).default(0.1) },
      "a map with maker and taker fees in percent",
    ).prefault({}),
    /** Passed to the ccxt constructor as is: sandbox, urls, options, timeout, proxies. Never keys. */
    ccxt: z.record(z.string(), z.unknown(), expected("a map of ccxt constructor options")).default({}),
    /** Name of a stored (encrypted) credential; required for live accounts. */
    credentials: slug().optional(),
  },
  "an account: a map with id, exchange, mode, ...",
);

/** `./plugins/mine`: relative to strategies.yaml and never climbing out of its folder with "..". */
function isPluginPath(value: string): boolean {
  return value.startsWith("./") && value.length > 2 && !value.split(/[\\/]/).includes("..");
}

const plugin = () => {
  const message = expected('a plugin id like "sma-cross" or a relative path starting with "./"');
  return z.string(message).refine((value) => isSlug(value) || isPluginPath(value), message);
};

const paramValue = z.union([z.number(), z.boolean(), z.string()], expected("a number, true/false or a string"));

const ALLOCATION_WORDS =
  "a map with either pct (percent of the account's equity) or quote (an amount), like { pct: 10 }";

/** How much of the account's equity a strategy trades with: a share, or a fixed quote amount. */
export type Allocation = { readonly pct: number } | { readonly quote: number };

const allocation = strictMap(
  {
    pct: numberIn({ above: 0, max: 100 }).optional(),
    quote: numberIn({ above: 0 }).optional(),
  },
  ALLOCATION_WORDS,
)
  .superRefine((value, ctx) => {
    if (value.pct !== undefined && value.quote !== undefined) {
      ctx.addIssue({ code: "custom", message: "takes pct or quote, not both" });
    } else if (value.pct === undefined && value.quote === undefined) {
      ctx.addIssue({
        code: "custom",
        message: "needs pct (percent of the account's equity) or quote (an amount), like { pct: 10 }",
      });
    }
  })
  .transform((value): Allocation => (value.pct !== undefined ? { pct: value.pct } : { quote: value.quote! }));

/** One running strategy: a plugin, its params, what it trades and with which account. */
export const strategyInstanceSchema = strictMap(
  {
    id: slug(),
    plugin: plugin(),
    version: semverRange().default("*"),
    account: slug(),
    symbols: z
      .array(symbol(), expected('a list of symbols like ["BTC/USDT"]'))
      .min(1, expected('a non-empty list of symbols like ["BTC/USDT"]')),
    timeframe: oneOf(TIMEFRAMES),
    /** Checked against the plugin's manifest when the plugin loads (types, ranges, defaults). */
    params: z.record(z.string(), paramValue, expected("a map of parameter names to values")).default({}),
    allocation: allocation.prefault({ pct: 10 }),
    risk: riskOverrideSchema.prefault({}),
    enabled: bool().default(true),
  },
  "a strategy: a map with id, plugin, account, symbols, timeframe, ...",
);

/** Where candles come from: replay of stored candles, the exchange live, or live when reachable. */
export const feedSchema = strictMap(
  {
    mode: oneOf(["auto", "replay", "live"]).default("auto"),
    replay: strictMap(
      {
        candlesPerSecond: numberIn({ above: 0 }).default(200),
        loop: bool().default(true),
        from: isoDate().optional(),
      },
      "a map with candlesPerSecond, loop, from",
    ).prefault({}),
    live: strictMap(
      {
        /** How often each series is polled; a closed candle reaches the strategies within this long. */
        pollSeconds: numberIn({ above: 0, max: 3600 }).default(10),
        /** Candles fetched and stored (not traded) at start, so strategies warm up on recent data. */
        warmupCandles: numberIn({ int: true, min: 0, max: 1000 }).default(300),
        /** `auto` waits this long for the exchange to answer before it replays stored candles instead. */
        probeSeconds: numberIn({ above: 0, max: 60 }).default(5),
      },
      "a map with pollSeconds, warmupCandles, probeSeconds",
    ).prefault({}),
  },
  "a map with mode, replay and live",
);

/**
 * The whole of strategies.yaml. Cross-references (account ids, duplicate ids, live credentials) are
 * checked by cross-checks.ts, which also sees the file when this schema fails.
 */
export const strategiesConfigSchema = strictMap(
  {
    accounts: z.array(accountSchema, expected("a list of accounts")).default([]),
    risk: riskLimitsSchema.prefault({}),
    feed: feedSchema.prefault({}),
    strategies: z.array(strategyInstanceSchema, expected("a list of strategies")).default([]),
  },
  "a map with accounts, risk, feed and strategies",
);

/** strategies.yaml after validation, defaults applied. */
export type StrategiesConfig = z.output<typeof strategiesConfigSchema>;
/** One entry of `accounts:`. */
export type AccountConfig = z.output<typeof accountSchema>;
/** One entry of `strategies:`. */
export type StrategyInstanceConfig = z.output<typeof strategyInstanceSchema>;
/** The `feed:` block. */
export type FeedConfig = z.output<typeof feedSchema>;
