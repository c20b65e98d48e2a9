import type { PluginPackage } from "../../../core/plugins/registry.ts";
import type { Db } from "../../../core/store/repositories/common.ts";
import { listInstalledPlugins } from "../../../core/store/repositories/plugins.ts";
import type { PluginView } from "../services.ts";

/** The part of core's PluginRegistry that /plugins reads. */
export interface PluginSource {
  list(): readonly PluginPackage[];
}

/**
 * Every plugin version the registry found, with the enabled flag the store keeps for installed
 * versions. A version on disk that the store has no record of (a built-in) counts as enabled: it is
 * there to be used, and only an install record can switch it off.
 * @example await listPluginViews(PluginRegistry.discover(["plugins"]).registry, store.db)
 */
export async function listPluginViews(source: PluginSource, db: Db): Promise<PluginView[]> {
  const installed = new Map((await listInstalledPlugins(db)).map((p) => [`${p.id}@${p.version}`, p.enabled]));
  return source.list().map(({ manifest }) => ({
    id: manifest.id,
    name: manifest.name,
    version: manifest.version,
    enabled: installed.get(`${manifest.id}@${manifest.version}`) ?? true,
    ...(manifest.description !== undefined && { description: manifest.description }),
  }));
}
