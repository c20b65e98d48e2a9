import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import type pg from "pg";
import type { Database } from "./schema.ts";
import { startWalCheckpointer } from "./wal-checkpointer.ts";

export type DialectName = "sqlite" | "postgres";

/** An open database: the typed Kysely handle plus what callers need to know about the engine under it. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  /** The better-sqlite3 handle on SQLite, for the bulk paths (candle import) that Kysely would slow down. */
  readonly sqlite?: SQLite.Database;
  /** The pg pool on PostgreSQL, for COPY-like bulk paths. */
  readonly pool?: pg.Pool;
  /** Where the database lives, with any password removed, for logs and /health. */
  readonly description: string;
  close(): Promise<void>;
}

let pgModule: typeof pg | undefined;

/** pg, loaded when a PostgreSQL URL is first opened: a SQLite process (a backtest child) never pays for it. */
function loadPg(): typeof pg {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)("pg") as typeof pg;
    // int8 columns hold epoch milliseconds, well inside 2^53; pg would hand them over as strings.
    pgModule.types.setTypeParser(pgModule.types.builtins.INT8, (value: string) => Number(value));
    pgModule.types.setTypeParser(pgModule.types.builtins.NUMERIC, (value: string) => Number(value));
  }
  return pgModule;
}

/**
 * DATABASE_URL from the environment, or the default SQLite file. An empty value counts as unset, as
 * it does when a .env line is left blank. (core/config's loadEnv will take this over.)
 * @example createStore(databaseUrlFromEnv()) // var/quantchat.db when DATABASE_URL is unset
 */
export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const url = env.DATABASE_URL?.trim();
  return url ? url : DEFAULT_DATABASE_URL;
}

/** Where the embedded mode keeps its data when DATABASE_URL is not set. */
export const DEFAULT_DATABASE_URL = "var/quantchat.db";

/** True when DATABASE_URL names PostgreSQL rather than a SQLite file. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/**
 * Opens the database DATABASE_URL names: `postgres://…` for PostgreSQL, anything else a SQLite file
 * path (`:memory:` for tests). SQLite runs in WAL mode so readers never wait for the importer, with
 * `synchronous = NORMAL` (a commit survives a crash of the process; the log is fsynced at checkpoints)
 * and its checkpoints on a background thread (wal-checkpointer.ts).
 * @example const store = createStore("var/quantchat.db")
 */
export function createStore(url: string): Store {
  if (isPostgresUrl(url)) {
    const pool = new (loadPg().Pool)({ connectionString: url, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      dialect: "postgres",
      pool,
      description: redactUrl(url),
      close: () => db.destroy(),
    };
  }
  const file = url.replace(/^(sqlite|file):(\/\/)?/i, "");
  if (file !== ":memory:") mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return sqliteStore(new SQLite(file), file);
}

/**
 * An in-memory SQLite store opened from the bytes of another database (better-sqlite3's serialize()):
 * a copy of it, schema and rows, in a fraction of a millisecond.
 * @example const store = storeFromImage(migrated.sqlite.serialize())
 */
export function storeFromImage(image: Buffer): Store {
  return sqliteStore(new SQLite(image), ":memory:");
}

function sqliteStore(sqlite: SQLite.Database, file: string): Store {
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  // Checkpoints (and their fsyncs) run on a worker thread, off the order path; see wal-checkpointer.ts.
  const inFile = file !== ":memory:" && file !== "";
  const checkpointer = inFile ? startWalCheckpointer(sqlite, path.resolve(file)) : undefined;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return {
    db,
    dialect: "sqlite",
    sqlite,
    description: `sqlite:${file}`,
    close: async () => {
      await checkpointer?.stop();
      await db.destroy();
      // Kysely closes the handle only if it ever used it; closing here folds the log back in either way.
      if (sqlite.open) sqlite.close();
    },
  };
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "postgres://(unparseable url)";
  }
}
