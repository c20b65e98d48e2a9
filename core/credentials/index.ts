// Exchange credentials: encrypted at rest under QUANTCHAT_MASTER_KEY, decrypted only by the executor.
export { type CredentialBinding, type SealedCredential, sealCredential, unsealCredential } from "./cipher.ts";
export { CredentialError, type CredentialErrorCode } from "./errors.ts";
export { maskApiKey } from "./mask.ts";
export { GENERATE_MASTER_KEY, type MasterKeyInput, requireMasterKey } from "./master-key.ts";
export { type CredentialSecrets, OpenedCredential } from "./opened.ts";
export {
  addCredential,
  type CredentialSummary,
  listCredentials,
  type NewCredential,
  openCredential,
  removeCredential,
  type VaultOptions,
} from "./vault.ts";
