import { readFileSync } from "node:fs";
import { FONT_FILES } from "./fonts.ts";

// ECharts places legends, axis labels and margins from measured text widths. On the server it has no canvas
// and falls back to a built-in table of Arial-like widths; DejaVu Sans is about 15% wider, so legend items
// ran into each other and the last axis label was cut off. These widths come from the font resvg draws with.

/** Advance widths of one TrueType font, in em, looked up from its cmap (format 4) and hmtx tables. */
class FontWidths {
  private readonly view: DataView;
  private readonly cache = new Map<number, number>();
  private readonly unitsPerEm: number;
  private readonly hMetrics: number;
  private readonly hmtx: number;
  private readonly cmap4: number;

  constructor(file: string) {
    const bytes = readFileSync(file);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const head = this.table("head");
    const hhea = this.table("hhea");
    this.unitsPerEm = this.view.getUint16(head + 18);
    this.hMetrics = this.view.getUint16(hhea + 34);
    this.hmtx = this.table("hmtx");
    this.cmap4 = this.unicodeSubtable(this.table("cmap"));
  }

  /** Width of `code` in em; unknown characters count as a wide glyph, which errs towards more room. */
  advance(code: number): number {
    let width = this.cache.get(code);
    if (width === undefined) {
      const glyph = this.glyph(code);
      const metric = Math.min(glyph, this.hMetrics - 1);
      width = glyph === 0 ? 0.8 : this.view.getUint16(this.hmtx + 4 * metric) / this.unitsPerEm;
      this.cache.set(code, width);
    }
    return width;
  }

  private table(tag: string): number {
    const count = this.view.getUint16(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      const name = String.fromCharCode(...[0, 1, 2, 3].map((k) => this.view.getUint8(record + k)));
      if (name === tag) return this.view.getUint32(record + 8);
    }
    throw new Error(`font has no ${tag} table`);
  }

  /** The format 4 (Unicode BMP) subtable: Windows Unicode (3,1) or Unicode (0,*). */
  private unicodeSubtable(cmap: number): number {
    const count = this.view.getUint16(cmap + 2);
    for (let i = 0; i < count; i++) {
      const platform = this.view.getUint16(cmap + 4 + 8 * i);
      const encoding = this.view.getUint16(cmap + 6 + 8 * i);
      const offset = cmap + this.view.getUint32(cmap + 8 + 8 * i);
      const unicode = platform === 0 || (platform === 3 && encoding === 1);
      if (unicode && this.view.getUint16(offset) === 4) return offset;
    }
    throw new Error("font has no Unicode format 4 cmap");
  }

  private glyph(code: number): number {
    if (code > 0xffff) return 0;
    const t = this.cmap4;
    const segX2 = this.view.getUint16(t + 6);
    const ends = t + 14;
    const starts = ends + segX2 + 2;
    const deltas = starts + segX2;
    const ranges = deltas + segX2;
    for (let s = 0; s < segX2; s += 2) {
      if (this.view.getUint16(ends + s) < code) continue;
      const start = this.view.getUint16(starts + s);
      if (start > code) return 0;
      const delta = this.view.getUint16(deltas + s);
      const range = this.view.getUint16(ranges + s);
      if (range === 0) return (code + delta) & 0xffff;
      const glyph = this.view.getUint16(ranges + s + range + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  }
}

let fonts: { regular: FontWidths; bold: FontWidths } | undefined;

/**
 * The width in pixels of `text` set in a CSS font string as ECharts writes it, measured with DejaVu Sans
 * (bold when the font says so). Kerning is left out: it moves a label by a pixel or two at most.
 * @example measureText("12,345", "12px DejaVu Sans").width // ≈ 43
 */
export function measureText(text: string, font?: string): { width: number } {
  fonts ??= { regular: new FontWidths(FONT_FILES.regular), bold: new FontWidths(FONT_FILES.bold) };
  const spec = font ?? "";
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(spec)?.[1] ?? 12);
  const face = /\bbold(er)?\b|\b[6-9]00\b/.test(spec) ? fonts.bold : fonts.regular;
  let em = 0;
  for (const char of text) em += face.advance(char.codePointAt(0) as number);
  return { width: em * size };
}
