/** A command as typed: its name and the text after it. */
export interface Invocation {
  readonly name: string;
  readonly args: string;
  /** The bot named in `/status@quantchat_bot`, lower case, when one was. */
  readonly addressedTo?: string;
}

const COMMAND = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+([\s\S]*))?$/;

/**
 * Splits `/name[@bot] args…` into its parts; undefined when the text is not a command.
 * @example parseCommandLine("/grant@qc_bot @bob trader") // { name: "grant", args: "@bob trader", addressedTo: "qc_bot" }
 */
export function parseCommandLine(text: string): Invocation | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match) return undefined;
  const invocation = { name: match[1]!.toLowerCase(), args: (match[3] ?? "").trim() };
  return match[2] ? { ...invocation, addressedTo: match[2].toLowerCase() } : invocation;
}
