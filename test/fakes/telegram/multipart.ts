/** One part of a multipart/form-data body. */
export interface FormPart {
  readonly name: string;
  readonly filename?: string;
  readonly contentType?: string;
  readonly data: Buffer;
}

/**
 * Parses a multipart/form-data body the way the Bot API server must: grammY writes its part headers
 * in lower case without spaces (`content-disposition:form-data;name="photo"`) and leaves filenames
 * unquoted, so this reads headers loosely and keeps file bytes exactly.
 * @example parseMultipart(body, "multipart/form-data; boundary=abc") // [{ name: "chat_id", data: <Buffer 34 32> }, …]
 */
export function parseMultipart(body: Buffer, contentType: string): FormPart[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) throw new Error(`no boundary in content-type "${contentType}"`);
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]!.trim()}`);
  const parts: FormPart[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw new Error("multipart body without its boundary");
  for (;;) {
    at += delimiter.length;
    if (body.subarray(at, at + 2).toString() === "--") break; // the closing delimiter
    at += 2; // CRLF after the delimiter
    const next = body.indexOf(delimiter, at);
    if (next < 0) throw new Error("multipart part without a closing boundary");
    const part = body.subarray(at, next - 2); // the CRLF before the next delimiter belongs to it
    const split = part.indexOf("\r\n\r\n");
    if (split < 0) throw new Error("multipart part without a header/body separator");
    parts.push(readPart(part.subarray(0, split).toString("utf8"), part.subarray(split + 4)));
    at = next;
  }
  return parts;
}

function readPart(headerText: string, data: Buffer): FormPart {
  let name: string | undefined;
  let filename: string | undefined;
  let contentType: string | undefined;
  for (const line of headerText.split("\r\n")) {
    const colon = line.indexOf(":");
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === "content-type") contentType = value;
    if (key !== "content-disposition") continue;
    name = /;\s*name="([^"]*)"/i.exec(value)?.[1];
    const file = /;\s*filename=(?:"([^"]*)"|([^;]*))/i.exec(value);
    if (file) filename = file[1] ?? file[2]!.trim();
  }
  if (name === undefined) throw new Error(`multipart part without a name: ${headerText}`);
  return {
    name,
    data: Buffer.from(data),
    ...(filename !== undefined && { filename }),
    ...(contentType !== undefined && { contentType }),
  };
}
