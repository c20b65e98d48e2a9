import type { Command } from "commander";
import type { Store } from "../../core/store/database.ts";
import { CliError } from "../errors.ts";

/**
 * `quantchat db migrate|rollback|status`: the schema by hand. `npm start` migrates on its own; these
 * are for operators upgrading or inspecting a database (DATABASE_URL, default var/quantchat.db).
 */
export function register(program: Command): void {
  const db = program.command("db").description("Database schema: apply, undo and list migrations (DATABASE_URL)");

  db.command("migrate")
    .description("Apply every pending migration")
    .action(() =>
      withStore(async (store, { migrateToLatest }) => {
        const applied = await migrateToLatest(store);
        for (const name of applied) print(`applied ${name}`);
        print(
          applied.length > 0 ? `${store.description} is up to date` : `${store.description} was already up to date`,
        );
      }),
    );

  db.command("rollback")
    .description("Undo the last applied migration")
    .option("--all", "undo every migration (drops all tables and their data)")
    .action((options: { all?: boolean }) =>
      withStore(async (store, { rollback }) => {
        const undone = await rollback(store, { all: options.all === true });
        for (const name of undone) print(`rolled back ${name}`);
        if (undone.length === 0) print("nothing to roll back");
      }),
    );

  db.command("status")
    .description("List migrations, applied or pending")
    .action(() =>
      withStore(async (store, { migrationStatus }) => {
        const migrations = await migrationStatus(store);
        print(`database: ${store.description}`);
        for (const m of migrations) {
          print(m.applied ? `applied  ${m.name}  ${m.appliedAt?.toISOString() ?? ""}`.trimEnd() : `pending  ${m.name}`);
        }
        const pending = migrations.filter((m) => !m.applied).length;
        print(`${migrations.length - pending} applied, ${pending} pending`);
      }),
    );
}

type Migrate = typeof import("../../core/store/migrate.ts");

/** Opens the store (heavy imports stay inside the action), runs `work`, always closes it. */
async function withStore(work: (store: Store, migrate: Migrate) => Promise<void>): Promise<void> {
  const { createStore, databaseUrlFromEnv } = await import("../../core/store/database.ts");
  const migrate = await import("../../core/store/migrate.ts");
  let store: Store;
  try {
    store = createStore(databaseUrlFromEnv());
  } catch (error) {
    throw new CliError(`cannot open the database: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    await work(store, migrate);
  } catch (error) {
    if (error instanceof migrate.MigrationError) throw new CliError(error.message);
    throw error;
  } finally {
    await store.close();
  }
}

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}
