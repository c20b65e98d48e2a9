// Positions, PnL and equity: the arithmetic of fills on positions, valuation at marks, equity
// snapshots over time and daily PnL.
export * from "./currencies.ts";
export * from "./daily-pnl.ts";
export * from "./equity.ts";
export * from "./portfolio.ts";
export * from "./position-math.ts";
export * from "./snapshot.ts";
export * from "./valuation.ts";
