/**
 * Decodes QUANTCHAT_MASTER_KEY: 32 bytes written as 64 hex characters or as base64 (standard or
 * URL-safe, padding optional). Undefined when the text is neither, so a near-miss is never
 * silently truncated or padded into a weaker key.
 * @example decodeMasterKey("00".repeat(32))?.length // 32
 * @example decodeMasterKey(randomBytes(32).toString("base64"))?.length // 32
 */
export function decodeMasterKey(text: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) return Buffer.from(text, "base64");
  if (/^[A-Za-z0-9_-]{43}=?$/.test(text)) return Buffer.from(text, "base64url");
  return undefined;
}

/**
 * A URL as it may be shown in a message or a log: any password replaced by `***`. Text that does
 * not parse as a URL but may hold credentials (it has an `@`) is reduced to its scheme.
 * @example redactUrl("postgres://bot:hunter2@db/quantchat") // "postgres://bot:***@db/quantchat"
 */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    if (!url.password) return text;
    url.password = "***";
    return url.toString();
  } catch {
    if (!text.includes("@")) return text;
    const scheme = /^[a-z][a-z0-9+.-]*:/i.exec(text)?.[0];
    return scheme ? `${scheme}//***` : "***";
  }
}
