import { describe, expect, it } from "vitest";
import { formatPath } from "../../../core/config/describe.ts";
import { formatProblem, formatProblems } from "../../../core/config/errors.ts";
import { closest } from "../../../core/config/suggest.ts";

describe("formatProblem", () => {
  it("writes file:line:column path: message, leaving out what is unknown", () => {
    expect(formatProblem({ file: "s.yaml", line: 3, column: 7, path: "risk.maxOpenPositions", message: "m" })).toBe(
      "s.yaml:3:7 risk.maxOpenPositions: m",
    );
    expect(formatProblem({ file: "s.yaml", line: 2, column: 1, path: "", message: "syntax" })).toBe(
      "s.yaml:2:1: syntax",
    );
    expect(formatProblem({ file: "", path: "PORT", message: "bad" })).toBe("PORT: bad");
    expect(formatProblem({ file: "gone.yaml", path: "", message: "file not found" })).toBe("gone.yaml: file not found");
  });

  it("puts one problem per line", () => {
    const problems = [
      { file: "a", line: 1, column: 2, path: "x", message: "one" },
      { file: "", path: "PORT", message: "two" },
    ];
    expect(formatProblems(problems)).toBe("a:1:2 x: one\nPORT: two");
  });
});

describe("formatPath", () => {
  it("brackets indices and quotes keys that are not identifiers", () => {
    expect(formatPath(["strategies", 2, "params", "fast"])).toBe("strategies[2].params.fast");
    expect(formatPath(["accounts", 0, "balances", "1INCH"])).toBe('accounts[0].balances["1INCH"]');
    expect(formatPath([])).toBe("");
  });
});

describe("closest", () => {
  it("finds swapped letters, a missing letter and case differences", () => {
    expect(closest("fsat", ["fast", "slow"])).toBe("fast");
    expect(closest("alocation", ["allocation", "account"])).toBe("allocation");
    expect(closest("1H", ["1h", "4h"])).toBe("1h");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(closest("period", ["fast", "slow"])).toBeUndefined();
    expect(closest("2d", ["1d", "2h"])).toBeUndefined();
  });
});
