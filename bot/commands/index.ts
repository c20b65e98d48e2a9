// The platform-neutral command layer: replies, the command definition, the dispatcher, core services.
export { type Access, resolveAccess, seedAdmins, storedName } from "./access.ts";
export { type ArgLayout, collectArgs, type Token, tokenize } from "./args.ts";
export { BUILTIN_COMMANDS, backtestCommand } from "./builtin/index.ts";
export { type Invocation, parseCommandLine } from "./command-line.ts";
export { CONFIRMATION_TTL_MS, ConfirmationBook, type PendingConfirmation } from "./confirmations.ts";
export {
  actorOf,
  type Caller,
  type CommandContext,
  type ConfirmedAction,
  type ProgressHandle,
  type Surface,
} from "./context.ts";
export { type DailySummaryScheduleOptions, dailySummary, scheduleDailySummary } from "./daily-summary.ts";
export { type ArgsSchema, type Command, type CommandSpec, defineCommand, type ParsedArgs } from "./define.ts";
export {
  createDispatcher,
  type Dispatcher,
  type DispatcherOptions,
  type DispatchResult,
  type Outcome,
  type PressResult,
} from "./dispatcher.ts";
export {
  NOTICE_TOPICS,
  NOTIFICATION_KINDS,
  type Notice,
  type NoticeTopic,
  type NotificationKind,
  noticeFor,
  stopKindOf,
} from "./notices.ts";
export { type CommandRegistry, createRegistry } from "./registry.ts";
export * from "./reply.ts";
export { highestRole, isRole, roleAllows } from "./roles.ts";
export { type ChartPort, coreCharts } from "./services/charts.ts";
export { type CoreServicesDeps, createCoreServices } from "./services/core-services.ts";
export { readEngineStatus, type StatusSource } from "./services/engine-status.ts";
export { listPluginViews, type PluginSource } from "./services/plugins.ts";
export { MANUAL_STRATEGY, type TradingSource } from "./services/trading-source.ts";
export type * from "./services.ts";
