import { inflateSync } from "node:zlib";

/** What decodePng learnt from a file. */
export interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly bitDepth: number;
  readonly colorType: number;
  /** Bytes of the inflated image data: height rows of (1 filter byte + width × bytes per pixel). */
  readonly rawBytes: number;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Channels per pixel by colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a PNG far enough to trust it: the signature, each chunk's length and order, IHDR's size, the
 * IDAT stream inflated and its length checked against that size (so a truncated upload or a file
 * that merely starts like a PNG fails). Throws with the reason otherwise.
 * @example decodePng(call.file!.bytes) // { width: 1000, height: 600, bitDepth: 8, colorType: 6, rawBytes: 2_400_600 }
 */
export function decodePng(bytes: Uint8Array): DecodedPng {
  const buf = Buffer.from(bytes);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) throw new Error("not a PNG: bad signature");
  let offset = 8;
  let header: Omit<DecodedPng, "rawBytes"> | undefined;
  const data: Buffer[] = [];
  let ended = false;
  while (offset < buf.length) {
    if (offset + 12 > buf.length) throw new Error("truncated chunk header");
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (body.length !== length) throw new Error(`truncated ${type} chunk`);
    if (header === undefined && type !== "IHDR") throw new Error("the first chunk is not IHDR");
    if (type === "IHDR") {
      header = {
        width: body.readUInt32BE(0),
        height: body.readUInt32BE(4),
        bitDepth: body.readUInt8(8),
        colorType: body.readUInt8(9),
      };
    } else if (type === "IDAT") data.push(body);
    else if (type === "IEND") {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (!header || !ended) throw new Error("no IHDR or no IEND");
  const channels = CHANNELS[header.colorType];
  if (channels === undefined) throw new Error(`unknown colour type ${header.colorType}`);
  const raw = inflateSync(Buffer.concat(data));
  const rowBytes = 1 + Math.ceil((header.width * channels * header.bitDepth) / 8);
  if (raw.length !== header.height * rowBytes) {
    throw new Error(
      `image data is ${raw.length} bytes, ${header.width}x${header.height} needs ${header.height * rowBytes}`,
    );
  }
  return { ...header, rawBytes: raw.length };
}
