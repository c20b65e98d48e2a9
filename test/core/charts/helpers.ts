import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync, inflateSync } from "node:zlib";
import type { Candle } from "../../../core/domain/index.ts";

const repoData = fileURLToPath(new URL("../../../data/", import.meta.url));

/**
 * The first `rows` candles of a sample file shipped in the repository's data/.
 * @example const btc = shippedCandles("binance_BTC-USDT_1h.csv.gz", 300);
 */
export function shippedCandles(file: string, rows: number): Candle[] {
  const raw = readFileSync(path.join(repoData, file));
  const lines = (file.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8").split("\n");
  return lines
    .slice(1, rows + 1)
    .filter((l) => l !== "")
    .map((line) => {
      const [time, open, high, low, close, volume] = line.split(",").map(Number) as number[];
      return { time, open, high, low, close, volume } as Candle;
    });
}

/** A decoded PNG: size and RGBA pixels. */
export interface Pixels {
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Width and height from the IHDR chunk, after checking the signature; throws on anything that is not a PNG.
 * @example pngSize(chart.png) // { width: 1000, height: 600 }
 */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (!SIGNATURE.every((b, i) => buf[i] === b)) throw new Error("not a PNG: bad signature");
  if (buf.toString("latin1", 12, 16) !== "IHDR") throw new Error("not a PNG: IHDR is not the first chunk");
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * Decodes an 8-bit RGB or RGBA PNG (what resvg writes) into RGBA pixels: inflate the IDAT chunks, undo each
 * row's filter. Enough to count colours and look at regions without an image library.
 */
export function decodePng(png: Uint8Array): Pixels {
  const { width, height } = pngSize(png);
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  const depth = buf[24];
  const colourType = buf[25];
  if (depth !== 8 || (colourType !== 6 && colourType !== 2)) throw new Error(`unsupported PNG: ${depth}/${colourType}`);
  const channels = colourType === 6 ? 4 : 3;
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length; ) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    if (type === "IDAT") idat.push(buf.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? (cur[i - channels] as number) : 0;
      const b = prev[i] as number;
      const c = i >= channels ? (prev[i - channels] as number) : 0;
      const x = line[i] as number;
      let v: number;
      if (filter === 0) v = x;
      else if (filter === 1) v = x + a;
      else if (filter === 2) v = x + b;
      else if (filter === 3) v = x + ((a + b) >> 1);
      else {
        const p = a + b - c;
        const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
        v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
      }
      cur[i] = v & 0xff;
    }
    for (let px = 0; px < width; px++) {
      for (let k = 0; k < 4; k++) {
        out[(y * width + px) * 4 + k] = k < channels ? (cur[px * channels + k] as number) : 255;
      }
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** How many distinct colours a region of the picture holds (the whole picture by default). */
export function distinctColours(p: Pixels, region = { x: 0, y: 0, width: p.width, height: p.height }): number {
  const seen = new Set<number>();
  for (let y = region.y; y < region.y + region.height; y++) {
    for (let x = region.x; x < region.x + region.width; x++) {
      const i = (y * p.width + x) * 4;
      seen.add(((p.rgba[i] as number) << 16) | ((p.rgba[i + 1] as number) << 8) | (p.rgba[i + 2] as number));
    }
  }
  return seen.size;
}

/** The colour at a pixel as "#rrggbb". */
export function colourAt(p: Pixels, x: number, y: number): string {
  const i = (y * p.width + x) * 4;
  return `#${[0, 1, 2].map((k) => (p.rgba[i + k] as number).toString(16).padStart(2, "0")).join("")}`;
}

/** Every text element's content in an SVG, entities decoded, in document order. */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] as string)
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

/**
 * The drawn data elements (not legend icons) of an SVG from ECharts, optionally only those filled with a colour:
 * ECharts' SSR output tags each with ecmeta_ssr_type="chart" and its series and data index.
 */
export function chartElements(svg: string, fill?: string): { series: number; index: number }[] {
  const out: { series: number; index: number }[] = [];
  for (const m of svg.matchAll(/<path[^>]*ecmeta_ssr_type="chart"[^>]*>/g)) {
    const tag = m[0];
    if (fill && !tag.includes(`fill="${fill}"`)) continue;
    const series = /ecmeta_series_index="(\d+)"/.exec(tag)?.[1];
    const index = /ecmeta_data_index="(\d+)"/.exec(tag)?.[1];
    if (series !== undefined && index !== undefined) out.push({ series: Number(series), index: Number(index) });
  }
  return out;
}
