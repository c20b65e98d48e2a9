import { ConfigError, type ConfigProblem } from "../../../core/config/errors.ts";
import { parseStrategiesYaml } from "../../../core/config/strategies.ts";

/** A minimal valid strategies.yaml: one paper account, one strategy. Tests edit copies of it. */
export const MINIMAL = `accounts:
  - id: paper
    exchange: binance
    balances: { USDT: 1000 }
strategies:
  - id: btc
    plugin: sma-cross
    account: paper
    symbols: [BTC/USDT]
    timeframe: 1h
`;

/** The problems `text` has, without the file name (every test uses "s.yaml"). Fails if there are none. */
export function problemsOf(
  text: string,
  options: { exchanges?: readonly string[] } = {},
): Omit<ConfigProblem, "file">[] {
  try {
    parseStrategiesYaml(text, "s.yaml", options);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.map(({ file, ...rest }) => {
      if (file !== "s.yaml") throw new Error(`problem names file ${file}`);
      return rest;
    });
  }
  throw new Error("expected a ConfigError, the text validated");
}
