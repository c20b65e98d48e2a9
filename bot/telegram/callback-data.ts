import type { ButtonAction } from "../commands/reply.ts";

/** Telegram's limit on a button's callback data. */
export const CALLBACK_DATA_LIMIT = 64;

/**
 * A button action as callback data: "c|/status" runs a command, "y|<token>" and "n|<token>" answer a
 * confirmation. Short prefixes leave the 64 bytes to the command line.
 * @example encodeCallbackData({ type: "confirm", token: "abc", answer: "yes" }) // "y|abc"
 */
export function encodeCallbackData(action: ButtonAction): string {
  const data =
    action.type === "command" ? `c|${action.line}` : `${action.answer === "yes" ? "y" : "n"}|${action.token}`;
  if (Buffer.byteLength(data) > CALLBACK_DATA_LIMIT) throw new RangeError(`callback data over 64 bytes: ${data}`);
  return data;
}

/**
 * The action behind callback data, or undefined for data this bot never wrote (an old keyboard, a forgery).
 * @example decodeCallbackData("c|/status") // { type: "command", line: "/status" }
 */
export function decodeCallbackData(data: string): ButtonAction | undefined {
  const [prefix, value] = [data.slice(0, 2), data.slice(2)];
  if (value === "") return undefined;
  if (prefix === "c|") return value.startsWith("/") ? { type: "command", line: value } : undefined;
  if (prefix === "y|" || prefix === "n|")
    return { type: "confirm", token: value, answer: prefix === "y|" ? "yes" : "no" };
  return undefined;
}
