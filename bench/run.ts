import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Benchmark, BenchResult } from "./types.ts";

// `npm run bench [name...] [--quick]`: runs bench/<name>.bench.ts (all when none named), prints a table and
// writes bench/results/latest.json.
const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const wanted = args.filter((a) => !a.startsWith("--"));
const available = readdirSync(here)
  .filter((f) => f.endsWith(".bench.ts"))
  .map((f) => f.slice(0, -".bench.ts".length))
  .sort();
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(", ")}; available: ${available.join(", ")}\n`);
  process.exit(2);
}

const results: BenchResult[] = [];
for (const name of wanted.length > 0 ? wanted : available) {
  process.stderr.write(`running ${name}…\n`);
  const mod = (await import(pathToFileURL(path.join(here, `${name}.bench.ts`)).href)) as { default: Benchmark };
  results.push(...(await mod.default({ quick })));
}

const rows = results.map((r) => [
  r.name,
  `${format(r.value)} ${r.unit}`,
  `${r.reference}: ${format(r.referenceValue)}`,
  `${r.ratio.toFixed(2)}x`,
  r.target ?? "",
]);
const header = ["figure", "value", "reference", "ratio", "target"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ");
process.stdout.write(`${line(header)}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
for (const row of rows) process.stdout.write(`${line(row)}\n`);

mkdirSync(path.join(here, "results"), { recursive: true });
writeFileSync(path.join(here, "results", "latest.json"), `${JSON.stringify(results, null, 2)}\n`);

function format(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString("en-US");
  return Number(value.toPrecision(4)).toString();
}
