/**
 * What a command answers, independent of the chat platform: adapters turn it into Telegram HTML,
 * Discord embeds or web JSON. Everything here is plain text; adapters escape it, so user-controlled
 * text in a reply can never inject markup.
 */

/** A paragraph. `title` is emphasised, `code` is monospace. */
export interface TextBlock {
  readonly kind: "text";
  readonly text: string;
  readonly style: "plain" | "title" | "code";
}

export type Align = "left" | "right";

/** Rows of cells under a header, shown in monospace with aligned columns. */
export interface TableBlock {
  readonly kind: "table";
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column; by default a column whose cells all look numeric is right-aligned. */
  readonly align?: readonly Align[];
}

/** A PNG (a chart) with an optional caption. */
export interface ImageBlock {
  readonly kind: "image";
  readonly png: Uint8Array;
  readonly filename: string;
  readonly caption?: string;
}

export type ReplyBlock = TextBlock | TableBlock | ImageBlock;

/**
 * What pressing a button does: run a command line as the person who pressed it (refresh, drill-down),
 * or answer a pending confirmation identified by an opaque token.
 */
export type ButtonAction =
  | { readonly type: "command"; readonly line: string }
  | { readonly type: "confirm"; readonly token: string; readonly answer: "yes" | "no" };

export interface Button {
  readonly label: string;
  readonly action: ButtonAction;
}

export interface Reply {
  readonly blocks: readonly ReplyBlock[];
  /** Rows of buttons shown under the reply. */
  readonly buttons?: readonly (readonly Button[])[];
}

/** Telegram carries a button's data in at most 64 bytes; a command line must fit with its prefix. */
export const MAX_BUTTON_LINE_BYTES = 60;

/** @example text("Trading is halted") */
export function text(value: string, style: TextBlock["style"] = "plain"): TextBlock {
  return { kind: "text", text: value, style };
}

/** @example title("quantchat status") */
export function title(value: string): TextBlock {
  return text(value, "title");
}

/**
 * @example table(["Symbol", "Qty"], [["BTC/USDT", "0.5"]])
 */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): TableBlock {
  return align ? { kind: "table", header, rows, align } : { kind: "table", header, rows };
}

/** @example image(png, { caption: "Equity, last 30 days", filename: "equity.png" }) */
export function image(png: Uint8Array, options: { caption?: string; filename?: string } = {}): ImageBlock {
  const block = { kind: "image" as const, png, filename: options.filename ?? "chart.png" };
  return options.caption === undefined ? block : { ...block, caption: options.caption };
}

/** @example reply(title("Plugins"), table(header, rows)) */
export function reply(...blocks: ReplyBlock[]): Reply {
  return { blocks };
}

/** A reply of one plain paragraph. @example textReply(t("confirm.cancelled")) */
export function textReply(value: string): Reply {
  return reply(text(value));
}

/**
 * A button that runs `line` as whoever presses it, with their role checked as for a typed command.
 * @example commandButton(t("button.refresh"), "/status")
 */
export function commandButton(label: string, line: string): Button {
  if (Buffer.byteLength(line) > MAX_BUTTON_LINE_BYTES) {
    throw new RangeError(`button command "${line}" is longer than ${MAX_BUTTON_LINE_BYTES} bytes`);
  }
  return { label, action: { type: "command", line } };
}

/** The reply with rows of buttons added under it. @example withButtons(reply, [commandButton("Refresh", "/status")]) */
export function withButtons(base: Reply, ...rows: readonly (readonly Button[])[]): Reply {
  return { ...base, buttons: [...(base.buttons ?? []), ...rows] };
}

/** True when the reply asks a confirmation question (its buttons answer a pending token). */
export function isConfirmation(value: Reply): boolean {
  return (value.buttons ?? []).some((row) => row.some((b) => b.action.type === "confirm"));
}

/** The reply's text blocks joined, for logs and tests. @example plainText(textReply("hi")) // "hi" */
export function plainText(value: Reply): string {
  return value.blocks
    .map((b) =>
      b.kind === "text" ? b.text : b.kind === "table" ? [b.header, ...b.rows].map((r) => r.join(" ")).join("\n") : "",
    )
    .filter((s) => s !== "")
    .join("\n");
}
