import { describe, expect, it } from "vitest";
import {
  commandButton,
  image,
  reply,
  table,
  text,
  textReply,
  title,
  withButtons,
} from "../../../bot/commands/reply.ts";
import { decodeCallbackData, encodeCallbackData } from "../../../bot/telegram/callback-data.ts";
import { escapeHtml } from "../../../bot/telegram/render/escape.ts";
import { renderReply } from "../../../bot/telegram/render/reply.ts";
import { packMessages } from "../../../bot/telegram/render/split.ts";
import { renderTable } from "../../../bot/telegram/render/table.ts";
import { displayWidth } from "../../../bot/telegram/render/width.ts";
import { checkTelegramHtml } from "../../fakes/telegram/index.ts";

const valid = (parts: string[], limit: number) => {
  for (const part of parts) {
    expect(part.length, part).toBeLessThanOrEqual(limit);
    expect(checkTelegramHtml(part).problem, part).toBeUndefined();
  }
};

describe("escapeHtml", () => {
  it("escapes exactly &, < and >", () => {
    expect(escapeHtml(`<a href="x">P&L</a> 'q'`)).toBe(`&lt;a href="x"&gt;P&amp;L&lt;/a&gt; 'q'`);
  });
});

describe("tables", () => {
  it("aligns columns, right-aligning numbers, and measures Korean as two cells", () => {
    const { header, rows } = renderTable(
      table(
        ["전략", "PnL"],
        [
          ["sma", "+12.5"],
          ["그리드", "-3"],
        ],
      ),
    );
    expect(header).toEqual(["전략      PnL", "------  -----"]);
    expect(rows).toEqual(["sma     +12.5", "그리드     -3"]);
    expect(displayWidth("그리드")).toBe(6);
    expect(displayWidth("é")).toBe(1);
  });

  it("honours explicit alignment and flattens newlines inside cells", () => {
    const { rows } = renderTable(table(["a", "b"], [["1", "x\ny"]], ["left", "right"]));
    expect(rows).toEqual(["1  x y"]);
  });
});

describe("packMessages", () => {
  const rows = Array.from({ length: 40 }, (_, i) => `row ${String(i).padStart(2, "0")} <&>`);

  it("keeps short content in one message", () => {
    expect(
      packMessages([
        { kind: "text", style: "title", lines: ["Hi & bye"] },
        { kind: "pre", header: ["h"], rows: ["1"] },
      ]),
    ).toEqual(["<b>Hi &amp; bye</b>\n\n<pre>h\n1</pre>"]);
  });

  it("closes and reopens <pre> across messages, repeating the header", () => {
    const parts = packMessages(
      [
        { kind: "text", style: "plain", lines: ["intro"] },
        { kind: "pre", header: ["HEAD", "----"], rows },
      ],
      200,
    );
    valid(parts, 200);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts[0]).toMatch(/^intro\n\n<pre>HEAD\n----\nrow 00/);
    for (const part of parts) expect(part).toMatch(/^(intro\n\n)?<pre>HEAD\n----\nrow \d\d .*<\/pre>$/s);
    const seen = parts.flatMap((p) => [...checkTelegramHtml(p).plain.matchAll(/row (\d\d)/g)].map((m) => Number(m[1])));
    expect(seen).toEqual(rows.map((_, i) => i));
  });

  it("moves a table to the next message rather than starting it with no room", () => {
    const parts = packMessages(
      [
        { kind: "text", style: "plain", lines: ["x".repeat(185)] },
        { kind: "pre", header: ["HEAD"], rows: ["r1", "r2"] },
      ],
      200,
    );
    expect(parts).toEqual(["x".repeat(185), "<pre>HEAD\nr1\nr2</pre>"]);
  });

  it("cuts a line longer than a message at a space, never inside an entity", () => {
    const words = Array.from({ length: 60 }, (_, i) => `w${i}&`).join(" ");
    const parts = packMessages([{ kind: "text", style: "title", lines: [words] }], 100);
    valid(parts, 100);
    expect(parts.every((p) => p.startsWith("<b>") && p.endsWith("</b>"))).toBe(true);
    expect(
      parts
        .map((p) => checkTelegramHtml(p).plain)
        .join(" ")
        .replace(/\s+/g, " "),
    ).toBe(words);
    const solid = packMessages([{ kind: "text", style: "plain", lines: ["&".repeat(50)] }], 22);
    valid(solid, 22);
    expect(solid.map((p) => checkTelegramHtml(p).plain).join("")).toBe("&".repeat(50));
  });

  it("does not split a surrogate pair", () => {
    const parts = packMessages([{ kind: "text", style: "plain", lines: ["📈".repeat(30)] }], 9);
    expect(parts.join("")).toBe("📈".repeat(30));
    for (const part of parts) expect(part).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });
});

describe("renderReply", () => {
  const png = new Uint8Array([137, 80, 78, 71]);

  it("sends text before an image, the image as a photo, and buttons under the last message", () => {
    const out = renderReply(
      withButtons(reply(title("PnL"), image(png, { caption: "a<b" }), text("after")), [
        commandButton("Again", "/pnl week"),
      ]),
    );
    expect(out.map((o) => o.kind)).toEqual(["text", "photo", "text"]);
    expect(out[1]).toMatchObject({ kind: "photo", captionHtml: "a&lt;b", filename: "chart.png" });
    expect(out[0]).not.toHaveProperty("keyboard");
    expect(out[2]).toMatchObject({
      keyboard: { inline_keyboard: [[{ text: "Again", callback_data: "c|/pnl week" }]] },
    });
  });

  it("sends a caption too long for a photo as a message after it", () => {
    const out = renderReply(reply(image(png, { caption: "c".repeat(1100) })));
    expect(out.map((o) => o.kind)).toEqual(["photo", "text"]);
    expect(out[0]).not.toHaveProperty("captionHtml");
  });

  it("renders nothing for an empty reply", () => {
    expect(renderReply(reply())).toEqual([]);
    expect(renderReply(textReply(""))).toEqual([]);
  });
});

describe("callback data", () => {
  it("round-trips button actions and refuses what the bot never wrote", () => {
    for (const action of [
      { type: "command", line: "/status" },
      { type: "confirm", token: "abc_DEF-123", answer: "yes" },
      { type: "confirm", token: "abc_DEF-123", answer: "no" },
    ] as const) {
      expect(decodeCallbackData(encodeCallbackData(action))).toEqual(action);
    }
    for (const data of ["", "x|y", "c|status", "y|", "status"]) expect(decodeCallbackData(data), data).toBeUndefined();
  });

  it("keeps command buttons within Telegram's 64 bytes", () => {
    expect(() => commandButton("x", `/strategy ${"a".repeat(60)}`)).toThrow(RangeError);
    expect(Buffer.byteLength(encodeCallbackData(commandButton("x", `/${"b".repeat(59)}`).action))).toBe(62);
  });
});
