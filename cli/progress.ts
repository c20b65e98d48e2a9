/** Where a progress bar draws: stderr by default; anything with write() and an optional isTTY. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressOptions {
  /** Shown before the bar, e.g. the file name. */
  readonly label: string;
  /** The amount of work, in whatever `update(done)` counts (bytes of a file). */
  readonly total: number;
  /** What `items` counts, for the rate: "rows". */
  readonly unit?: string;
  /** Draw nothing at all. */
  readonly quiet?: boolean;
  readonly stream?: ProgressStream;
  /** Milliseconds; injectable so tests need not wait. */
  readonly now?: () => number;
  /** When the work began, on the `now` clock, if before the bar was made; rate and ETA count from it. */
  readonly startedAt?: number;
}

export interface Progress {
  /** `done` of `total` work finished and `items` (rows) handled so far. Cheap to call often. */
  update(done: number, items: number): void;
  /** Removes the bar (TTY) so the caller's summary line starts clean. */
  finish(): void;
}

const WIDTH = 24;
// Nothing is drawn for the first moments: a rate measured over microseconds is nonsense, and a job
// that is over that fast needs no bar.
const TTY_DELAY_MS = 250;
const TTY_INTERVAL_MS = 100;
const LINE_INTERVAL_MS = 5_000;

/**
 * A progress bar on stderr for long work: percentage, rate and ETA. On a terminal it redraws one line
 * with \r (at most ten times a second); in a pipe or a log it prints an occasional plain line instead,
 * so CI logs are not flooded with carriage returns.
 *
 * @example
 * const bar = createProgress({ label: "btc.csv.gz", total: size, unit: "rows" });
 * bar.update(bytesRead, rows); ... bar.finish();
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = stream.isTTY === true;
  const started = options.startedAt ?? now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  if (options.quiet) return { update() {}, finish() {} };
  return {
    update(done, items) {
      const t = now();
      const complete = done >= options.total;
      if (t - lastDraw < (tty ? TTY_INTERVAL_MS : LINE_INTERVAL_MS) && !(tty && complete)) return;
      if (t - started < (tty ? TTY_DELAY_MS : LINE_INTERVAL_MS)) return; // short jobs draw nothing
      lastDraw = t;
      const text = formatProgress({ ...options, done, items, elapsedMs: t - started, bar: tty });
      stream.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
      drawn = true;
    },
    finish() {
      if (tty && drawn) stream.write("\r\x1b[K");
    },
  };
}

/**
 * One progress line. @example
 * formatProgress({ label: "x.csv", total: 100, done: 50, items: 1000, elapsedMs: 500, unit: "rows", bar: false })
 * // "x.csv  50%  2,000 rows/s  ETA 1s"
 */
export function formatProgress(state: {
  readonly label: string;
  readonly total: number;
  readonly done: number;
  readonly items: number;
  readonly elapsedMs: number;
  readonly unit?: string;
  readonly bar: boolean;
}): string {
  const fraction = state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 0;
  const pct = `${Math.floor(fraction * 100)}%`.padStart(4);
  const seconds = state.elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(state.items / seconds) : 0;
  const eta = fraction > 0 && fraction < 1 ? formatDuration((seconds * (1 - fraction)) / fraction) : "";
  const parts = [state.label];
  if (state.bar) {
    const filled = Math.round(fraction * WIDTH);
    parts.push(`[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}]`);
  }
  parts.push(pct.trim(), `${rate.toLocaleString("en-US")} ${state.unit ?? "items"}/s`);
  if (eta) parts.push(`ETA ${eta}`);
  return parts.join("  ");
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, "0")}m`;
}
