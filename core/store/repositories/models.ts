import type { Selectable } from "kysely";
import type { ModelsTable } from "../schema.ts";
import { type Db, touched } from "./common.ts";

/** active trades, shadow runs beside the active version without trading, retired is kept for the record. */
export type ModelStatus = "active" | "shadow" | "retired";

export interface ModelVersion {
  readonly name: string;
  readonly version: string;
  /** The ONNX file. */
  readonly path: string;
  /** Held-out evaluation metrics. */
  readonly metrics: unknown;
  readonly status: ModelStatus;
  readonly createdAt: number;
}

/**
 * Registers a new model version; false, changing nothing, when that version exists already.
 * @example await registerModel(db, { name: "btc-dir", version: "3", path, metrics, status: "shadow", createdAt: now })
 */
export async function registerModel(db: Db, model: ModelVersion): Promise<boolean> {
  const result = await db
    .insertInto("models")
    .values({
      name: model.name,
      version: model.version,
      path: model.path,
      metrics_json: JSON.stringify(model.metrics),
      status: model.status,
      created_at: model.createdAt,
    })
    .onConflict((oc) => oc.columns(["name", "version"]).doNothing())
    .executeTakeFirst();
  return touched(result);
}

/** @example await findModel(db, "btc-dir", "3") */
export async function findModel(db: Db, name: string, version: string): Promise<ModelVersion | undefined> {
  const row = await db
    .selectFrom("models")
    .selectAll()
    .where("name", "=", name)
    .where("version", "=", version)
    .executeTakeFirst();
  return row && toModel(row);
}

/** Versions, oldest first. @example await listModels(db, { name: "btc-dir", status: "active" }) */
export async function listModels(
  db: Db,
  filter: { name?: string; status?: ModelStatus } = {},
): Promise<ModelVersion[]> {
  let query = db.selectFrom("models").selectAll();
  if (filter.name !== undefined) query = query.where("name", "=", filter.name);
  if (filter.status !== undefined) query = query.where("status", "=", filter.status);
  return (await query.orderBy("name").orderBy("created_at").orderBy("version").execute()).map(toModel);
}

/** Changes a version's status; false when there is no such version. @example await setModelStatus(db, "btc-dir", "2", "retired") */
export async function setModelStatus(db: Db, name: string, version: string, status: ModelStatus): Promise<boolean> {
  const result = await db
    .updateTable("models")
    .set({ status })
    .where("name", "=", name)
    .where("version", "=", version)
    .executeTakeFirst();
  return touched(result);
}

function toModel(row: Selectable<ModelsTable>): ModelVersion {
  return {
    name: row.name,
    version: row.version,
    path: row.path,
    metrics: JSON.parse(row.metrics_json) as unknown,
    status: row.status as ModelStatus,
    createdAt: row.created_at,
  };
}
