/**
 * Escapes text for Telegram's HTML parse mode, which needs exactly these three: everything a command
 * or a user wrote goes through here, so a display name like "<b>" shows as typed.
 * @example escapeHtml("P&L <today>") // "P&amp;L &lt;today&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}
