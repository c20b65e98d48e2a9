import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Migration, Migrator } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MIGRATIONS_DIR,
  MigrationError,
  migrateToLatest,
  migrationStatus,
  rollback,
} from "../../../core/store/migrate.ts";
import type { Database } from "../../../core/store/schema.ts";
import { DIALECTS, openTestStore, type TestStore } from "../../helpers/db.ts";

const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
const ALL = readdirSync(MIGRATIONS_DIR)
  .filter((f) => /^\d+_.*\.ts$/.test(f))
  .sort()
  .map((f) => f.replace(/\.ts$/, ""));

/**
 * Every table's columns, and which of them may be NULL. The types make this list agree with
 * schema.ts (a column missing here, or one schema.ts lacks, fails `tsc`); the test makes the
 * migrated database agree with this list. Together: schema.ts describes what the migrations build.
 */
const COLUMNS = {
  candles: {
    columns: ["exchange", "symbol", "timeframe", "ts", "open", "high", "low", "close", "volume"],
    nullable: [],
  },
  candle_series: {
    columns: ["exchange", "symbol", "timeframe", "first_ts", "last_ts", "count", "gaps", "revision"],
    nullable: [],
  },
  accounts: { columns: ["id", "exchange", "mode", "config_json", "created_at", "updated_at"], nullable: [] },
  strategy_instances: {
    columns: [
      "id",
      "plugin_id",
      "plugin_version",
      "account_id",
      "config_json",
      "state",
      "state_reason",
      "failure_count",
      "updated_at",
    ],
    nullable: ["state_reason"],
  },
  strategy_state: { columns: ["strategy_id", "key", "value_json", "updated_at"], nullable: [] },
  orders: {
    columns: [
      "client_order_id",
      "account_id",
      "strategy_id",
      "intent_id",
      "symbol",
      "side",
      "type",
      "amount",
      "price",
      "status",
      "filled",
      "average_price",
      "fee",
      "exchange_order_id",
      "reason",
      "created_at",
      "updated_at",
    ],
    nullable: ["price", "average_price", "exchange_order_id", "reason"],
  },
  fills: {
    columns: [
      "id",
      "client_order_id",
      "account_id",
      "strategy_id",
      "symbol",
      "side",
      "amount",
      "price",
      "fee",
      "fee_currency",
      "ts",
    ],
    nullable: [],
  },
  positions: {
    columns: [
      "account_id",
      "strategy_id",
      "symbol",
      "quantity",
      "entry_price",
      "realized_pnl",
      "fees",
      "opened_at",
      "updated_at",
      "stops_json",
    ],
    nullable: ["stops_json"],
  },
  balances: { columns: ["account_id", "currency", "free", "used", "updated_at"], nullable: [] },
  equity_snapshots: {
    columns: ["account_id", "strategy_id", "ts", "equity", "cash", "unrealized_pnl"],
    nullable: [],
  },
  risk_verdicts: {
    columns: [
      "id",
      "intent_id",
      "strategy_id",
      "symbol",
      "side",
      "decision",
      "amount",
      "rules_json",
      "warnings_json",
      "ts",
    ],
    nullable: [],
  },
  trading_state: { columns: ["scope", "state", "reason", "changed_by", "changed_at"], nullable: ["reason"] },
  plugins: {
    columns: ["id", "version", "source", "sha256", "manifest_json", "installed_at", "enabled"],
    nullable: [],
  },
  models: { columns: ["name", "version", "path", "metrics_json", "status", "created_at"], nullable: [] },
  users: { columns: ["id", "display_name", "language", "created_at"], nullable: [] },
  user_identities: { columns: ["platform", "platform_user_id", "user_id"], nullable: [] },
  user_roles: { columns: ["user_id", "role", "granted_by", "granted_at"], nullable: [] },
  credentials: {
    columns: ["name", "exchange", "ciphertext", "iv", "auth_tag", "key_hint", "created_at"],
    nullable: [],
  },
  backtest_results: {
    columns: [
      "id",
      "plugin_id",
      "plugin_version",
      "code_hash",
      "params_json",
      "symbols",
      "timeframe",
      "from_ts",
      "to_ts",
      "settings_json",
      "engine_version",
      "metrics_json",
      "result_json",
      "created_at",
    ],
    nullable: [],
  },
  audit_log: {
    columns: ["id", "ts", "actor", "action", "target", "detail_json", "outcome"],
    nullable: ["target", "detail_json"],
  },
  notification_subscriptions: {
    columns: ["platform", "chat_id", "enabled", "kinds_json", "updated_at"],
    nullable: [],
  },
  sweep_results: {
    columns: ["id", "backtest_id", "plugin_id", "params_json", "metrics_json", "created_at"],
    nullable: [],
  },
} as const satisfies {
  [T in keyof Database]: { columns: readonly (keyof Database[T])[]; nullable: readonly NullableKeys<Database[T]>[] };
};

type NullableKeys<Row> = { [K in keyof Row]: null extends Row[K] ? K : never }[keyof Row];
type Unlisted = {
  [T in keyof Database]:
    | Exclude<keyof Database[T], (typeof COLUMNS)[T]["columns"][number]>
    | Exclude<NullableKeys<Database[T]>, (typeof COLUMNS)[T]["nullable"][number]>;
}[keyof Database];
// Fails to compile while any column of schema.ts is missing from COLUMNS.
const everyColumnListed: [Unlisted] extends [never] ? true : false = true;

describe.each(DIALECTS)("migrations on %s", (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await openTestStore(dialect, "migrate");
  });
  afterEach(async () => {
    await t.cleanup();
  });

  async function tableNames(): Promise<string[]> {
    const tables = await t.store.db.introspection.getTables();
    return tables.map((table) => table.name).sort();
  }

  it("builds every table schema.ts describes, column for column", async () => {
    expect(everyColumnListed).toBe(true);
    expect(await migrateToLatest(t.store)).toEqual(ALL);
    const tables = await t.store.db.introspection.getTables();
    const found = Object.fromEntries(
      tables
        .filter((table) => !table.name.startsWith("kysely_"))
        .map((table) => [
          table.name,
          {
            columns: table.columns.map((c) => c.name).sort(),
            nullable: table.columns
              .filter((c) => c.isNullable)
              .map((c) => c.name)
              .sort(),
          },
        ]),
    );
    const expected = Object.fromEntries(
      Object.entries(COLUMNS).map(([name, spec]) => [
        name,
        { columns: [...spec.columns].sort(), nullable: [...spec.nullable].sort() },
      ]),
    );
    expect(found).toEqual(expected);
  });

  it("goes up to the latest, all the way down, and up again", async () => {
    expect(ALL.length).toBeGreaterThan(20);
    expect(await migrateToLatest(t.store)).toEqual(ALL);
    expect(await migrateToLatest(t.store)).toEqual([]);
    expect((await migrationStatus(t.store)).every((m) => m.applied)).toBe(true);

    expect(await rollback(t.store)).toEqual([ALL.at(-1)]);
    const status = await migrationStatus(t.store);
    expect(status.filter((m) => !m.applied).map((m) => m.name)).toEqual([ALL.at(-1)]);
    expect(await tableNames()).not.toContain("sweep_results");
    expect(await tableNames()).toContain("notification_subscriptions");

    expect(await rollback(t.store, { all: true })).toEqual(ALL.slice(0, -1).reverse());
    expect((await tableNames()).filter((name) => !name.startsWith("kysely_"))).toEqual([]);
    expect(await rollback(t.store)).toEqual([]);

    expect(await migrateToLatest(t.store)).toEqual(ALL);
    expect(await tableNames()).toEqual(expect.arrayContaining(["orders", "fills", "audit_log", "candles"]));
  });

  it("reports a failed migration by name and cause, and leaves nothing of the failed run behind", async () => {
    const folder = `${FIXTURES}failing-migrations`;
    const error = await migrateToLatest(t.store, undefined, { folder }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).migration).toBe("0002_broken");
    expect((error as MigrationError).message).toMatch(/^migration 0002_broken failed: .*no_such_table/);
    // One transaction for the run, on both engines: neither the half-done table nor 0001 stays.
    expect(await tableNames()).not.toContain("fixture_half_done");
    expect(await tableNames()).not.toContain("fixture_first");
    expect((await migrationStatus(t.store, { folder })).map((m) => m.applied)).toEqual([false, false]);
  });

  it("keeps migrations applied by an earlier run when a later one fails", async () => {
    const folder = `${FIXTURES}failing-migrations`;
    // A database an older release migrated: 0001 applied, through Kysely's Migrator directly.
    const first = (await import(`${folder}/0001_first.ts`)) as Migration;
    const older = new Migrator({ db: t.store.db, provider: { getMigrations: async () => ({ "0001_first": first }) } });
    expect((await older.migrateToLatest()).error).toBeUndefined();

    await expect(migrateToLatest(t.store, undefined, { folder })).rejects.toThrow(/^migration 0002_broken failed/);
    expect((await migrationStatus(t.store, { folder })).map((m) => m.applied)).toEqual([true, false]);
    expect(await tableNames()).toContain("fixture_first");
    expect(await tableNames()).not.toContain("fixture_half_done");
  });

  it("refuses a migration file without up()", async () => {
    await expect(migrateToLatest(t.store, undefined, { folder: `${FIXTURES}no-up` })).rejects.toThrow(
      "migration 0001_no_up has no exported up() function",
    );
  });

  it("logs each applied migration", async () => {
    const lines: string[] = [];
    await migrateToLatest(t.store, { info: (fields, message) => lines.push(`${message} ${JSON.stringify(fields)}`) });
    expect(lines).toHaveLength(ALL.length);
    expect(lines[0]).toBe(`migration applied {"migration":"${ALL[0]}"}`);
  });
});
