// The merge lives in core/domain so that config (parsing) and risk (evaluation) share one definition.
export { mergeLimits, type RiskLimitsOverride } from "../domain/risk.ts";
