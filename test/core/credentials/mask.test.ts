import { describe, expect, it } from "vitest";
import { maskApiKey } from "../../../core/credentials/mask.ts";

describe("maskApiKey", () => {
  it("shows the first and last four characters of a long key", () => {
    expect(maskApiKey("AbCdEfGhIjKlMnOpQrStUvWxYz")).toBe("AbCd…WxYz");
  });

  it("hides a short key entirely rather than showing most of it", () => {
    expect(maskApiKey("abcdefghijklmno")).toBe("…");
    expect(maskApiKey("abcdefghijklmnop")).toBe("abcd…mnop");
  });
});
