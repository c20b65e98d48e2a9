import { describe, expect, it } from "vitest";
import { createProgress, formatProgress } from "../../../cli/progress.ts";

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, write: (t: string) => writes.push(t) } };
}

describe("progress bar", () => {
  it("formats percentage, rate and ETA", () => {
    expect(
      formatProgress({ label: "x.csv", total: 200, done: 50, items: 1000, elapsedMs: 500, unit: "rows", bar: true }),
    ).toBe("x.csv  [######------------------]  25%  2,000 rows/s  ETA 2s");
    expect(
      formatProgress({ label: "y", total: 10, done: 1, items: 1, elapsedMs: 600_000, unit: "rows", bar: false }),
    ).toBe("y  10%  0 rows/s  ETA 1h30m");
    expect(formatProgress({ label: "z", total: 10, done: 10, items: 5, elapsedMs: 1000, bar: false })).toBe(
      "z  100%  5 items/s",
    );
  });

  it("redraws one line with \\r on a terminal, at most ten times a second, and clears it at the end", () => {
    const { writes, stream } = fakeStream(true);
    let now = 0;
    const bar = createProgress({ label: "f", total: 100, unit: "rows", stream, now: () => now });
    now = 100;
    bar.update(5, 50); // too early to say anything
    now = 300;
    bar.update(30, 3000);
    now = 350;
    bar.update(35, 3500); // too soon after the last draw
    now = 400;
    bar.update(100, 4000); // done: always drawn
    bar.finish();
    expect(writes).toHaveLength(3);
    expect(writes[0]).toBe("\rf  [#######-----------------]  30%  10,000 rows/s  ETA 1s\x1b[K");
    expect(writes[1]).toBe("\rf  [########################]  100%  10,000 rows/s\x1b[K");
    expect(writes[2]).toBe("\r\x1b[K");
  });

  it("prints an occasional plain line when not a terminal, and nothing for short jobs", () => {
    const { writes, stream } = fakeStream(false);
    let now = 0;
    const bar = createProgress({ label: "f", total: 100, unit: "rows", stream, now: () => now });
    for (now = 100; now < 4_000; now += 100) bar.update(now / 100, now);
    expect(writes).toEqual([]);
    for (; now < 16_000; now += 100) bar.update(now / 200, now);
    bar.finish();
    // one line every 5 s: at 5, 10 and 15 s
    expect(writes).toEqual([
      "f  25%  1,000 rows/s  ETA 15s\n",
      "f  50%  1,000 rows/s  ETA 10s\n",
      "f  75%  1,000 rows/s  ETA 5s\n",
    ]);
  });

  it("stays silent with quiet", () => {
    const { writes, stream } = fakeStream(true);
    const bar = createProgress({ label: "f", total: 1, quiet: true, stream, now: () => 1000 });
    bar.update(1, 1);
    bar.finish();
    expect(writes).toEqual([]);
  });
});
