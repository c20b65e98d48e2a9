// Request bodies as the Bot API receives them: JSON, or multipart/form-data when a file is uploaded.
import type { IncomingMessage } from "node:http";
import { parseMultipart } from "./multipart.ts";
import type { UploadedFile } from "./server.ts";

/** The whole request body. @example const body = await readBody(req) */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** JSON bodies as they are; multipart fields JSON-decoded where grammY JSON-encoded them, attach:// resolved. */
export function decodePayload(
  contentType: string,
  body: Buffer,
): { payload: Record<string, any>; file?: UploadedFile } {
  if (body.length === 0) return { payload: {} };
  if (!contentType.startsWith("multipart/form-data")) return { payload: JSON.parse(body.toString("utf8")) };
  const parts = parseMultipart(body, contentType);
  const files = new Map(parts.filter((p) => p.filename !== undefined).map((p) => [p.name, p]));
  const payload: Record<string, any> = {};
  let file: UploadedFile | undefined;
  for (const part of parts) {
    if (part.filename !== undefined) continue;
    const text = part.data.toString("utf8");
    const attached = /^attach:\/\/(.+)$/.exec(text);
    if (attached && files.has(attached[1]!)) {
      const upload = files.get(attached[1]!)!;
      file = { field: part.name, filename: upload.filename!, bytes: upload.data };
      payload[part.name] = text;
    } else if (/^[[{]/.test(text) || /^-?\d+$/.test(text) || text === "true" || text === "false") {
      payload[part.name] = JSON.parse(text);
    } else {
      payload[part.name] = text;
    }
  }
  return file ? { payload, file } : { payload };
}
