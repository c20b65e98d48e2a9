import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  Kysely,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
  Migrator,
  NO_MIGRATIONS,
  SqliteAdapter,
  SqliteDialect,
} from "kysely";
import type { Store } from "./database.ts";

/** The project's migrations folder. */
export const MIGRATIONS_DIR = fileURLToPath(new URL("../../migrations/", import.meta.url));

/** Where to find migrations; tests point it at a folder of their own. */
export interface MigrationOptions {
  readonly folder?: string;
}

/** Enough of a pino logger to report progress; the CLI passes none and prints the results itself. */
export interface MigrationLog {
  info(fields: object, message: string): void;
}

/** One migration as `db status` lists it. */
export interface MigrationState {
  readonly name: string;
  readonly applied: boolean;
  readonly appliedAt?: Date;
}

/** A migration run failed; the message names the migration and the cause. Start-up prints it and stops. */
export class MigrationError extends Error {
  constructor(
    message: string,
    /** The migration that failed, when one did (not for, say, a missing migration file). */
    readonly migration: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "MigrationError";
  }
}

/**
 * Applies every pending migration and returns the names applied, oldest first. All of them run in one
 * transaction, on SQLite as on PostgreSQL, so a failure leaves the database as it was.
 * @example const applied = await migrateToLatest(store, log) // ["0002_candle_series", …]
 */
export async function migrateToLatest(
  store: Store,
  log?: MigrationLog,
  options: MigrationOptions = {},
): Promise<string[]> {
  const applied = await run(store, options, (m) => m.migrateToLatest());
  for (const name of applied) log?.info({ migration: name }, "migration applied");
  return applied;
}

/**
 * Undoes the last applied migration, or all of them with `{ all: true }`; returns the names undone,
 * newest first (empty when nothing was applied).
 * @example await rollback(store) // ["0021_notification_subscriptions"]
 */
export async function rollback(store: Store, options: MigrationOptions & { all?: boolean } = {}): Promise<string[]> {
  return run(store, options, (m) => (options.all ? m.migrateTo(NO_MIGRATIONS) : m.migrateDown()));
}

/**
 * Every known migration in order, applied or pending.
 * @example (await migrationStatus(store)).filter((m) => !m.applied) // the pending ones
 */
export async function migrationStatus(store: Store, options: MigrationOptions = {}): Promise<MigrationState[]> {
  const migrations = await createMigrator(store, options).getMigrations();
  return migrations.map((m) =>
    m.executedAt ? { name: m.name, applied: true, appliedAt: m.executedAt } : { name: m.name, applied: false },
  );
}

async function run(
  store: Store,
  options: MigrationOptions,
  step: (migrator: Migrator) => Promise<MigrationResultSet>,
): Promise<string[]> {
  const { error, results = [] } = await step(createMigrator(store, options));
  if (error !== undefined) {
    if (error instanceof MigrationError) throw error;
    const failed = results.find((r) => r.status === "Error")?.migrationName;
    const cause = error instanceof Error ? error.message : String(error);
    const where = failed ? `migration ${failed} failed` : "migrations failed";
    throw new MigrationError(`${where}: ${cause}`, failed, { cause: error });
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}

function createMigrator(store: Store, options: MigrationOptions): Migrator {
  return new Migrator({ db: migrationDb(store), provider: new FolderProvider(options.folder ?? MIGRATIONS_DIR) });
}

/**
 * Kysely's SQLite adapter says SQLite has no transactional DDL, so its migrator would run each
 * statement on its own and a failure would leave half a migration behind. SQLite does roll back
 * CREATE, ALTER and DROP; the one catch is that `PRAGMA foreign_keys` is ignored inside a
 * transaction, so a future migration that rebuilds a table must not rely on switching it off.
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class TransactionalSqliteDialect extends SqliteDialect {
  override createAdapter(): SqliteAdapter {
    return new TransactionalSqliteAdapter();
  }
}

function migrationDb(store: Store): Kysely<any> {
  if (store.dialect !== "sqlite" || !store.sqlite) return store.db;
  // A second Kysely over the same better-sqlite3 handle. It is never destroyed: destroying it would
  // close the store's connection, and it holds nothing else.
  return new Kysely<any>({ dialect: new TransactionalSqliteDialect({ database: store.sqlite }) });
}

/**
 * Loads `NNNN_name.ts` files from a folder. Migrations are keyed by name without the extension, so
 * the rows in kysely_migration stay valid if the files are ever compiled to .js.
 */
class FolderProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await readdir(this.folder)).filter((f) => /^\d+_[\w-]+\.(ts|js)$/.test(f)).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      const name = file.replace(/\.(ts|js)$/, "");
      const mod = (await importMigration(this.folder, file)) as Partial<Migration>;
      if (typeof mod.up !== "function") {
        throw new MigrationError(`migration ${name} has no exported up() function`, name);
      }
      migrations[name] = mod as Migration;
    }
    return migrations;
  }
}

/**
 * The project's own migrations through a path esbuild can follow, so that a bundled process (a backtest
 * child, see core/util/compiled-entry.ts) carries them compiled; any other folder by its URL.
 */
function importMigration(folder: string, file: string): Promise<unknown> {
  if (folder === MIGRATIONS_DIR && file.endsWith(".ts")) return import(`../../migrations/${file.slice(0, -3)}.ts`);
  return import(pathToFileURL(path.join(folder, file)).href);
}
