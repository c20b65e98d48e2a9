/** How a table lays out: the indexes of numeric columns (aligned right), and a rule of dashes under the header. */
export interface TableLayout {
  readonly right?: ReadonlySet<number>;
  readonly rule?: boolean;
}

/**
 * A plain-text table for a terminal, columns two spaces apart, each line ending in a newline. What every
 * listing of the CLI prints: backtests, sweeps, plugins, credentials, candle series.
 * @example textTable(["id", "return"], [["a1", "+3.2%"]], { right: new Set([1]) })
 * // "id  return\n--  ------\na1   +3.2%\n"
 */
export function textTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  layout: TableLayout = {},
): string {
  const { right, rule = true } = layout;
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right?.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const lines = [line(header), ...(rule ? [line(widths.map((w) => "-".repeat(w)))] : []), ...rows.map(line)];
  return lines.map((l) => `${l}\n`).join("");
}
