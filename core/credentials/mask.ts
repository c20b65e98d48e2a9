// Below this length, first-4-and-last-4 would show most of the key, so nothing of it is shown.
const MIN_MASKABLE = 16;

/**
 * The API key as `credentials list` shows it: its first and last four characters, enough to tell
 * which key of an exchange account it is. Short keys are hidden entirely. Never used on secrets.
 * @example maskApiKey("AbCdEfGhIjKlMnOpQrStUvWxYz") // "AbCd…WxYz"
 * @example maskApiKey("short-key") // "…"
 */
export function maskApiKey(apiKey: string): string {
  if (apiKey.length < MIN_MASKABLE) return "…";
  return `${apiKey.slice(0, 4)}…${apiKey.slice(-4)}`;
}
