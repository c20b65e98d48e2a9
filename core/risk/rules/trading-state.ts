import { approve, defineRule, fixed, reject } from "../rule.ts";

const RULE = "trading-state";
const ACTIVE = fixed(approve(RULE, "trading state ACTIVE"));
const EXITS = fixed(approve(RULE, "trading state REDUCING: exits allowed"));
const ENTRIES_REFUSED = fixed(reject(RULE, "trading state REDUCING: only exits are allowed"));
const HALTED = fixed(reject(RULE, "trading state HALTED: no orders are sent"));

/**
 * The kill switch. ACTIVE passes everything; REDUCING passes exits only; HALTED passes nothing, exits
 * included: HALTED is the operator's "send no orders at all" (a runaway strategy, a broken exchange),
 * and if it let exits through it would be REDUCING. It runs LAST in the pipeline, as NautilusTrader's
 * RiskEngine checks its trading state after the other pre-trade checks, so a verdict still shows what
 * every limit thought of the intent.
 * @example tradingState(exit, 0.1, { tradingState: "REDUCING", ... }).decision // "approve"
 */
export const tradingState = defineRule(RULE, (intent, _amount, snapshot) => {
  switch (snapshot.tradingState) {
    case "ACTIVE":
      return ACTIVE;
    case "REDUCING":
      return intent.reduceOnly ? EXITS : ENTRIES_REFUSED;
    case "HALTED":
      return HALTED;
  }
});
