import { type Clock, systemClock } from "../clock.ts";
import { isSlug } from "../config/fields.ts";
import type { Store } from "../store/database.ts";
import { appendAudit } from "../store/repositories/audit.ts";
import { inTransaction } from "../store/repositories/common.ts";
import {
  type CredentialSummary,
  deleteCredential,
  findCredential,
  insertCredential,
  listCredentials as listStoredCredentials,
} from "../store/repositories/credentials.ts";
import { sealCredential, unsealCredential } from "./cipher.ts";
import { CredentialError } from "./errors.ts";
import { maskApiKey } from "./mask.ts";
import { type MasterKeyInput, requireMasterKey } from "./master-key.ts";
import { type CredentialSecrets, OpenedCredential } from "./opened.ts";

export type { CredentialSummary };

/** A credential to store: its name (what strategies.yaml accounts refer to), exchange and plaintext. */
export interface NewCredential extends CredentialSecrets {
  readonly name: string;
  /** A ccxt exchange id, e.g. "binance". */
  readonly exchange: string;
}

/** Who did it and when, for created_at and the audit log. */
export interface VaultOptions {
  readonly clock?: Clock;
  /** The audit log's actor: "cli:alice", "telegram:42", "web:admin"; "system" by default. */
  readonly actor?: string;
}

const EXCHANGE_ID = /^[a-z][a-z0-9]*$/;

/**
 * Encrypts and stores a credential under a new name, with an audit entry (name, exchange, masked key;
 * never secrets). Throws a CredentialError when the master key is missing, the input is invalid or the
 * name is taken; replacing keys is a remove and an add. The plaintext is never written anywhere.
 * @example
 * const summary = await addCredential(store, env.QUANTCHAT_MASTER_KEY, { name: "binance-main", exchange: "binance", apiKey, secret });
 * summary.keyHint // "AbCd…WxYz"
 */
export async function addCredential(
  store: Pick<Store, "db">,
  masterKey: MasterKeyInput,
  credential: NewCredential,
  options: VaultOptions = {},
): Promise<CredentialSummary> {
  requireMasterKey(masterKey).fill(0); // fail on a missing key before touching anything
  validate(credential);
  const { name, exchange } = credential;
  const sealed = sealCredential(masterKey, { name, exchange }, credential);
  const summary = {
    name,
    exchange,
    keyHint: maskApiKey(credential.apiKey),
    createdAt: (options.clock ?? systemClock).now(),
  };
  await inTransaction(store.db, async (trx) => {
    if (!(await insertCredential(trx, { ...summary, ...sealed }))) {
      throw new CredentialError(`a credential named ${name} already exists: remove it first to replace it`, "exists");
    }
    await appendAudit(trx, {
      time: summary.createdAt,
      actor: options.actor ?? "system",
      action: "credentials.add",
      target: name,
      detail: { exchange, keyHint: summary.keyHint },
      outcome: "ok",
    });
  });
  return summary;
}

/**
 * Every stored credential by name, with the API key masked; secrets are never read.
 * @example (await listCredentials(store))[0] // { name: "binance-main", exchange: "binance", keyHint: "AbCd…WxYz", createdAt: 1700000000000 }
 */
export function listCredentials(store: Pick<Store, "db">): Promise<CredentialSummary[]> {
  return listStoredCredentials(store.db);
}

/**
 * Deletes a credential and records it in the audit log; false when there was none by that name.
 * @example if (!(await removeCredential(store, "binance-old"))) console.log("nothing to remove")
 */
export async function removeCredential(
  store: Pick<Store, "db">,
  name: string,
  options: VaultOptions = {},
): Promise<boolean> {
  return inTransaction(store.db, async (trx) => {
    const removed = await deleteCredential(trx, name);
    if (removed) {
      const time = (options.clock ?? systemClock).now();
      await appendAudit(trx, {
        time,
        actor: options.actor ?? "system",
        action: "credentials.remove",
        target: name,
        outcome: "ok",
      });
    }
    return removed;
  });
}

/**
 * Decrypts a stored credential: the only place plaintext comes back out, meant for the executor as it
 * builds an exchange client. The result prints as `[redacted]` however it is logged or serialised.
 * Throws a CredentialError when the key is missing, the credential does not exist, or it cannot be
 * decrypted (wrong master key, tampered or swapped rows).
 * @example
 * const creds = await openCredential(store, env.QUANTCHAT_MASTER_KEY, account.credentials);
 * createCcxtAdapter({ exchange: creds.exchange, options: account.ccxt, credentials: creds });
 */
export async function openCredential(
  store: Pick<Store, "db">,
  masterKey: MasterKeyInput,
  name: string,
): Promise<OpenedCredential> {
  requireMasterKey(masterKey).fill(0);
  const row = await findCredential(store.db, name);
  if (!row) {
    throw new CredentialError(
      `no credential named ${name}: add it with \`quantchat credentials add ${name} --exchange <id>\``,
      "not-found",
    );
  }
  const secrets = unsealCredential(masterKey, { name: row.name, exchange: row.exchange }, row);
  return new OpenedCredential(row.name, row.exchange, secrets);
}

function validate(credential: NewCredential): void {
  const problem = (message: string) => new CredentialError(message, "invalid-input");
  if (!isSlug(credential.name)) {
    throw problem(
      `invalid credential name ${JSON.stringify(credential.name)}: use lowercase letters, digits, "-" and "_" (at most 64)`,
    );
  }
  if (!EXCHANGE_ID.test(credential.exchange)) {
    throw problem(
      `invalid exchange ${JSON.stringify(credential.exchange)}: expected a ccxt exchange id like "binance"`,
    );
  }
  // Values are never quoted here: a mistyped secret is still a secret.
  for (const field of ["apiKey", "secret"] as const) {
    if (typeof credential[field] !== "string" || credential[field].trim() === "")
      throw problem(`the ${field} is empty`);
  }
  if (credential.password !== undefined && credential.password.trim() === "") {
    throw problem("the password is empty: leave it out instead");
  }
}
