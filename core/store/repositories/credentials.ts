import { type Db, touched } from "./common.ts";

/**
 * An exchange API key pair as stored: AES-256-GCM ciphertext with its IV and tag (base64), encrypted
 * and decrypted elsewhere (the executor, with QUANTCHAT_MASTER_KEY). The store never sees plaintext.
 */
export interface StoredCredential {
  readonly name: string;
  readonly exchange: string;
  readonly ciphertext: string;
  readonly iv: string;
  readonly authTag: string;
  /** The API key masked for display, e.g. "abcd…wxyz". */
  readonly keyHint: string;
  readonly createdAt: number;
}

/** What `credentials list` shows: everything but the secret material. */
export type CredentialSummary = Pick<StoredCredential, "name" | "exchange" | "keyHint" | "createdAt">;

/**
 * Stores a credential under a new name; false, changing nothing, when the name is taken (replacing
 * keys is a remove and an add, so it shows in the audit log as both).
 * @example await insertCredential(db, { name: "binance-main", exchange: "binance", ...encrypted, keyHint, createdAt: now })
 */
export async function insertCredential(db: Db, credential: StoredCredential): Promise<boolean> {
  const result = await db
    .insertInto("credentials")
    .values({
      name: credential.name,
      exchange: credential.exchange,
      ciphertext: credential.ciphertext,
      iv: credential.iv,
      auth_tag: credential.authTag,
      key_hint: credential.keyHint,
      created_at: credential.createdAt,
    })
    .onConflict((oc) => oc.column("name").doNothing())
    .executeTakeFirst();
  return touched(result);
}

/** The encrypted credential, for the executor to decrypt. @example await findCredential(db, "binance-main") */
export async function findCredential(db: Db, name: string): Promise<StoredCredential | undefined> {
  const row = await db.selectFrom("credentials").selectAll().where("name", "=", name).executeTakeFirst();
  return (
    row && {
      name: row.name,
      exchange: row.exchange,
      ciphertext: row.ciphertext,
      iv: row.iv,
      authTag: row.auth_tag,
      keyHint: row.key_hint,
      createdAt: row.created_at,
    }
  );
}

/** Every credential without its secret material, by name. @example await listCredentials(db) */
export async function listCredentials(db: Db): Promise<CredentialSummary[]> {
  const rows = await db
    .selectFrom("credentials")
    .select(["name", "exchange", "key_hint", "created_at"])
    .orderBy("name")
    .execute();
  return rows.map((r) => ({ name: r.name, exchange: r.exchange, keyHint: r.key_hint, createdAt: r.created_at }));
}

/** Removes a credential; false when there was none. @example await deleteCredential(db, "binance-main") */
export async function deleteCredential(db: Db, name: string): Promise<boolean> {
  return touched(await db.deleteFrom("credentials").where("name", "=", name).executeTakeFirst());
}
