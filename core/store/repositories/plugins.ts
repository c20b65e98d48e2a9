import type { Selectable } from "kysely";
import type { PluginsTable } from "../schema.ts";
import { type Db, touched } from "./common.ts";

/** An installed plugin version, with the digest it was verified against. */
export interface InstalledPlugin {
  readonly id: string;
  readonly version: string;
  /** "builtin", a marketplace index URL, or the local path it was installed from. */
  readonly source: string;
  readonly sha256: string;
  /** The validated manifest. */
  readonly manifest: unknown;
  readonly installedAt: number;
  readonly enabled: boolean;
}

/**
 * Records an installed version, or replaces the record of a reinstall of the same version.
 * @example await saveInstalledPlugin(db, { id: "sma-cross", version: "1.0.0", source: "builtin", sha256, manifest, installedAt: now, enabled: true })
 */
export async function saveInstalledPlugin(db: Db, plugin: InstalledPlugin): Promise<void> {
  const values = {
    source: plugin.source,
    sha256: plugin.sha256,
    manifest_json: JSON.stringify(plugin.manifest),
    installed_at: plugin.installedAt,
    enabled: plugin.enabled ? 1 : 0,
  };
  await db
    .insertInto("plugins")
    .values({ id: plugin.id, version: plugin.version, ...values })
    .onConflict((oc) => oc.columns(["id", "version"]).doUpdateSet(values))
    .execute();
}

/** @example await findInstalledPlugin(db, "sma-cross", "1.0.0") */
export async function findInstalledPlugin(db: Db, id: string, version: string): Promise<InstalledPlugin | undefined> {
  const row = await db
    .selectFrom("plugins")
    .selectAll()
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return row && toPlugin(row);
}

/** Installed versions, by id then install time. @example await listInstalledPlugins(db, { id: "sma-cross" }) */
export async function listInstalledPlugins(db: Db, filter: { id?: string } = {}): Promise<InstalledPlugin[]> {
  let query = db.selectFrom("plugins").selectAll();
  if (filter.id !== undefined) query = query.where("id", "=", filter.id);
  return (await query.orderBy("id").orderBy("installed_at").orderBy("version").execute()).map(toPlugin);
}

/** Enables or disables a version; false when it is not installed. @example await setPluginEnabled(db, "grid", "1.2.0", false) */
export async function setPluginEnabled(db: Db, id: string, version: string, enabled: boolean): Promise<boolean> {
  const result = await db
    .updateTable("plugins")
    .set({ enabled: enabled ? 1 : 0 })
    .where("id", "=", id)
    .where("version", "=", version)
    .executeTakeFirst();
  return touched(result);
}

/** Forgets an installed version; false when it was not installed. @example await deleteInstalledPlugin(db, "grid", "1.2.0") */
export async function deleteInstalledPlugin(db: Db, id: string, version: string): Promise<boolean> {
  return touched(await db.deleteFrom("plugins").where("id", "=", id).where("version", "=", version).executeTakeFirst());
}

function toPlugin(row: Selectable<PluginsTable>): InstalledPlugin {
  return {
    id: row.id,
    version: row.version,
    source: row.source,
    sha256: row.sha256,
    manifest: JSON.parse(row.manifest_json) as unknown,
    installedAt: row.installed_at,
    enabled: row.enabled !== 0,
  };
}
