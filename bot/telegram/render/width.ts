// Code point ranges a monospace font draws two cells wide: Hangul, CJK, full-width forms, most emoji.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function cells(codePoint: number): number {
  if (codePoint >= 0x300 && codePoint <= 0x36f) return 0; // combining accents sit on the previous cell
  for (const [from, to] of WIDE) if (codePoint >= from && codePoint <= to) return 2;
  return 1;
}

/**
 * How many monospace cells `text` takes, so that Korean column headers line up with ASCII numbers.
 * @example displayWidth("전략") // 4; displayWidth("BTC") // 3
 */
export function displayWidth(text: string): number {
  let width = 0;
  for (const c of text) width += cells(c.codePointAt(0)!);
  return width;
}

/** @example padTo("전략", 6) // "전략  " */
export function padTo(text: string, width: number, align: "left" | "right" = "left"): string {
  const fill = " ".repeat(Math.max(0, width - displayWidth(text)));
  return align === "left" ? text + fill : fill + text;
}
