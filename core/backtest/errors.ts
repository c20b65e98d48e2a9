/**
 * Why a backtest could not run: bad settings, an unknown plugin or bad params, no candles, a plugin
 * that failed, or the backtest's process dying. The message is for a trader; `cause` tells what kind.
 * @example throw new BacktestError("settings", "cash must be greater than 0, got -5")
 */
export class BacktestError extends Error {
  constructor(
    readonly kind: "settings" | "plugin" | "data" | "plugin-failed" | "process",
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "BacktestError";
  }
}
