import type { Align, TableBlock } from "../../commands/reply.ts";
import { displayWidth, padTo } from "./width.ts";

/** A table as monospace lines: the header and its rule (repeated when a table is split), then rows. */
export interface TableLines {
  readonly header: readonly string[];
  readonly rows: readonly string[];
}

const NUMERIC = /^[+-]?[\d.,]+%?$|^-$/;
const GAP = "  ";

/**
 * Lays a table out in aligned columns for a `<pre>` block. Columns whose cells all look numeric are
 * right-aligned unless the table says otherwise; trailing spaces are trimmed.
 * @example renderTable(table(["Sym", "Qty"], [["BTC", "0.5"]])) // { header: ["Sym  Qty", "---  ---"], rows: ["BTC  0.5"] }
 */
export function renderTable(block: TableBlock): TableLines {
  const columns = Math.max(block.header.length, ...block.rows.map((r) => r.length));
  const cell = (row: readonly string[], i: number) => (row[i] ?? "").replace(/\s+/g, " ");
  const widths = Array.from({ length: columns }, (_, i) =>
    Math.max(displayWidth(cell(block.header, i)), ...block.rows.map((r) => displayWidth(cell(r, i)))),
  );
  const align: Align[] = Array.from(
    { length: columns },
    (_, i) =>
      block.align?.[i] ??
      (block.rows.length > 0 && block.rows.every((r) => NUMERIC.test(cell(r, i)) || cell(r, i) === "")
        ? "right"
        : "left"),
  );
  const line = (row: readonly string[]) =>
    widths
      .map((w, i) => padTo(cell(row, i), w, align[i]))
      .join(GAP)
      .trimEnd();
  return {
    header: [line(block.header), widths.map((w) => "-".repeat(w)).join(GAP)],
    rows: block.rows.map(line),
  };
}
