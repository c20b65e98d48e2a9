import type { Balances } from "../../domain/position.ts";
import type { Db } from "./common.ts";

/**
 * Writes an account's balances, currency by currency; currencies not named keep their row. The paper
 * exchange calls it after every fill so a restart resumes with the same cash.
 * @example await saveBalances(db, "paper", { USDT: { free: 9_000, used: 1_000 } }, now)
 */
export async function saveBalances(db: Db, accountId: string, balances: Balances, updatedAt: number): Promise<void> {
  const rows = Object.entries(balances).map(([currency, b]) => ({
    account_id: accountId,
    currency,
    free: b.free,
    used: b.used,
    updated_at: updatedAt,
  }));
  if (rows.length === 0) return;
  await db
    .insertInto("balances")
    .values(rows)
    .onConflict((oc) =>
      oc.columns(["account_id", "currency"]).doUpdateSet((eb) => ({
        free: eb.ref("excluded.free"),
        used: eb.ref("excluded.used"),
        updated_at: eb.ref("excluded.updated_at"),
      })),
    )
    .execute();
}

/**
 * An account's balances by currency; empty when nothing was stored (a paper account's first start).
 * @example (await loadBalances(db, "paper")).USDT?.free
 */
export async function loadBalances(db: Db, accountId: string): Promise<Balances> {
  const rows = await db
    .selectFrom("balances")
    .select(["currency", "free", "used"])
    .where("account_id", "=", accountId)
    .orderBy("currency")
    .execute();
  const balances: Record<string, { free: number; used: number }> = {};
  for (const row of rows) balances[row.currency] = { free: row.free, used: row.used };
  return balances;
}
