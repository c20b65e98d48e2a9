import { describe, expect, it } from "vitest";
import { textTable } from "../../cli/table.ts";

describe("textTable", () => {
  it("pads each column to its widest cell, two spaces apart, numbers to the right, under a rule", () => {
    const out = textTable(
      ["id", "return"],
      [
        ["abc123", "+3.2%"],
        ["x", "-12.75%"],
      ],
      { right: new Set([1]) },
    );
    expect(out).toBe("id       return\n------  -------\nabc123    +3.2%\nx       -12.75%\n");
  });

  it("leaves out the rule when asked, and trailing spaces always", () => {
    expect(textTable(["name", "note"], [["a", ""]], { rule: false })).toBe("name  note\na\n");
  });
});
