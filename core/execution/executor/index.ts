// The order executor: intent -> stored order -> exchange -> fills, positions -> events.
export { createExecutor, type Executor } from "./executor.ts";
export { type Applied, ledgerFor, type OrderLedger } from "./ledger.ts";
export { createKyselyLedger } from "./ledger-kysely.ts";
export { createSqliteLedger } from "./ledger-sqlite.ts";
export { UNKNOWN_AFTER_RESTART } from "./reconcile.ts";
export { backoffDelay, DEFAULT_RETRY, type RetryPolicy, type RetryRuntime, withRetry } from "./retry.ts";
export type {
  BalanceDifference,
  ExecutorHooks,
  ExecutorOptions,
  ReconcileReport,
  SubmitResult,
} from "./types.ts";
