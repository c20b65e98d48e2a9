/** One figure a benchmark prints and writes to bench/results/latest.json (ARCHITECTURE.md §7). */
export interface BenchResult {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** What was measured beside it in the same run: a peer library or the plain-loop limit. */
  readonly reference: string;
  readonly referenceValue: number;
  /** value / referenceValue, oriented so that > 1 means we are better (faster, smaller) than the reference. */
  readonly ratio: number;
  /** The target for this figure, in words, for the printed table. */
  readonly target?: string;
}

/** A benchmark module: `bench/<name>.bench.ts` exporting a default function. */
export type Benchmark = (options: { readonly quick: boolean }) => Promise<BenchResult[]>;
