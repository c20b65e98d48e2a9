/** Why a credential operation failed; callers branch on it (the CLI maps "not-found" to its own wording). */
export type CredentialErrorCode =
  | "missing-master-key"
  | "invalid-master-key"
  | "invalid-input"
  | "exists"
  | "not-found"
  | "undecryptable";

/**
 * A credential could not be stored or opened. The message names the credential and the cause and is
 * safe to log or show in chat: it never holds a key, a secret or the master key, and it carries no
 * `cause`, because the underlying crypto or JSON errors may quote the bytes they choked on.
 * @example
 * try { await openCredential(store, env.QUANTCHAT_MASTER_KEY, "binance-main") }
 * catch (e) { if (e instanceof CredentialError && e.code === "undecryptable") halt(e.message) }
 */
export class CredentialError extends Error {
  constructor(
    message: string,
    readonly code: CredentialErrorCode,
  ) {
    super(message);
    this.name = "CredentialError";
  }
}
