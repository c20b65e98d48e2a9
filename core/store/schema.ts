import type { Generated } from "kysely";

/**
 * The database as Kysely sees it: one interface per table, as the migrations in `migrations/` create
 * it. Portable types only, so the same queries run on SQLite and PostgreSQL: times are integer epoch
 * milliseconds (`bigint` columns, handed back as numbers), money is `double precision`, JSON is text,
 * and flags are integers 0/1 (better-sqlite3 cannot bind a JS boolean).
 */
export interface Database {
  candles: CandlesTable;
  candle_series: CandleSeriesTable;
  accounts: AccountsTable;
  strategy_instances: StrategyInstancesTable;
  strategy_state: StrategyStateTable;
  orders: OrdersTable;
  fills: FillsTable;
  positions: PositionsTable;
  balances: BalancesTable;
  equity_snapshots: EquitySnapshotsTable;
  risk_verdicts: RiskVerdictsTable;
  trading_state: TradingStateTable;
  plugins: PluginsTable;
  models: ModelsTable;
  users: UsersTable;
  user_identities: UserIdentitiesTable;
  user_roles: UserRolesTable;
  credentials: CredentialsTable;
  backtest_results: BacktestResultsTable;
  audit_log: AuditLogTable;
  notification_subscriptions: NotificationSubscriptionsTable;
  sweep_results: SweepResultsTable;
}

export interface CandlesTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One row per stored series: what `quantchat candles` lists and what the candle cache checks. */
export interface CandleSeriesTable {
  exchange: string;
  symbol: string;
  timeframe: string;
  first_ts: number;
  last_ts: number;
  count: number;
  /** How many holes the series has (missing candles between first_ts and last_ts). */
  gaps: Generated<number>;
  /** Bumped on every change to the series' candles; a cache built at an older revision is stale. */
  revision: Generated<number>;
}

export interface AccountsTable {
  id: string;
  exchange: string;
  /** "paper" or "live". */
  mode: string;
  config_json: string;
  created_at: number;
  updated_at: number;
}

export interface StrategyInstancesTable {
  id: string;
  plugin_id: string;
  plugin_version: string;
  account_id: string;
  config_json: string;
  /** ready | running | stopped | degraded | failed | disabled */
  state: Generated<string>;
  state_reason: string | null;
  failure_count: Generated<number>;
  updated_at: number;
}

/** A plugin's small key-value state (`ctx.state`), kept between runs. */
export interface StrategyStateTable {
  strategy_id: string;
  key: string;
  value_json: string;
  updated_at: number;
}

export interface OrdersTable {
  client_order_id: string;
  account_id: string;
  strategy_id: string;
  intent_id: string;
  symbol: string;
  side: string;
  type: string;
  amount: number;
  price: number | null;
  status: string;
  filled: number;
  average_price: number | null;
  fee: number;
  exchange_order_id: string | null;
  reason: string | null;
  created_at: number;
  updated_at: number;
}

export interface FillsTable {
  id: string;
  client_order_id: string;
  account_id: string;
  strategy_id: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  fee: number;
  fee_currency: string;
  ts: number;
}

export interface PositionsTable {
  account_id: string;
  strategy_id: string;
  symbol: string;
  quantity: number;
  entry_price: number;
  realized_pnl: number;
  fees: number;
  opened_at: number;
  updated_at: number;
  /** The position's stop-loss, take-profit and trailing-stop state, so stops survive a restart. */
  stops_json: string | null;
}

export interface BalancesTable {
  account_id: string;
  currency: string;
  free: number;
  used: number;
  updated_at: number;
}

export interface EquitySnapshotsTable {
  account_id: string;
  /** The strategy instance, or "" for the account as a whole (NULL would not be unique in the key). */
  strategy_id: string;
  ts: number;
  equity: number;
  cash: number;
  unrealized_pnl: number;
}

export interface RiskVerdictsTable {
  id: Generated<number>;
  intent_id: string;
  strategy_id: string;
  symbol: string;
  side: string;
  /** approve | resize | reject */
  decision: string;
  amount: number;
  rules_json: string;
  warnings_json: string;
  ts: number;
}

/** The kill switch: one row per scope, "global" or an account id. */
export interface TradingStateTable {
  scope: string;
  /** ACTIVE | REDUCING | HALTED */
  state: string;
  reason: string | null;
  changed_by: string;
  changed_at: number;
}

export interface PluginsTable {
  id: string;
  version: string;
  source: string;
  sha256: string;
  manifest_json: string;
  installed_at: number;
  enabled: Generated<number>;
}

export interface ModelsTable {
  name: string;
  version: string;
  path: string;
  metrics_json: string;
  /** active | shadow | retired */
  status: Generated<string>;
  created_at: number;
}

export interface UsersTable {
  id: Generated<number>;
  display_name: string;
  language: Generated<string>;
  created_at: number;
}

export interface UserIdentitiesTable {
  /** telegram | discord | web */
  platform: string;
  platform_user_id: string;
  user_id: number;
}

export interface UserRolesTable {
  user_id: number;
  /** viewer | trader | admin */
  role: string;
  granted_by: string;
  granted_at: number;
}

/** Exchange API keys, AES-256-GCM encrypted elsewhere; this table never sees a plaintext secret. */
export interface CredentialsTable {
  name: string;
  exchange: string;
  ciphertext: string;
  iv: string;
  auth_tag: string;
  /** The API key masked for `credentials list`, e.g. "abcd…wxyz". */
  key_hint: string;
  created_at: number;
}

export interface BacktestResultsTable {
  /** A hash of everything that determines the result, so the same run is stored once. */
  id: string;
  plugin_id: string;
  plugin_version: string;
  code_hash: string;
  params_json: string;
  /** Comma-separated, in the order the run used them. */
  symbols: string;
  timeframe: string;
  from_ts: number;
  to_ts: number;
  settings_json: string;
  engine_version: string;
  metrics_json: string;
  /** Trades and the equity curve; can be megabytes, so list queries leave it out. */
  result_json: string;
  created_at: number;
}

export interface AuditLogTable {
  id: Generated<number>;
  ts: number;
  /** "telegram:12345", "web:admin" or "system". */
  actor: string;
  action: string;
  target: string | null;
  detail_json: string | null;
  /** ok | denied | error */
  outcome: string;
}

/** Which chats receive which notifications (`/notify on|off|<kinds>`). */
export interface NotificationSubscriptionsTable {
  platform: string;
  chat_id: string;
  enabled: Generated<number>;
  /** JSON array of notification kinds; ["*"] for all of them. */
  kinds_json: string;
  updated_at: number;
}

/** One combination of a sweep: its metrics, kept so that a sweep run again reruns only what is missing. */
export interface SweepResultsTable {
  /** A hash of the combination's backtest id, the metrics options and the engine's sources (see sweepRowKey). */
  id: string;
  backtest_id: string;
  plugin_id: string;
  params_json: string;
  /** The MetricsSummary the combination ranked with. */
  metrics_json: string;
  created_at: number;
}
