import { mkdirSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes `relative` under `root`, dated `ageS` seconds back: a bundle build records an input saved while
 * it ran as changed (so the next call builds again), and these sources are meant to be older than it.
 */
export function writeDated(root: string, relative: string, text: string, ageS = 3600): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  age(file, ageS);
  return file;
}

/** Sets a file's access and modification times `seconds` back from now. */
export function age(file: string, seconds: number): void {
  const time = Date.now() / 1000 - seconds;
  utimesSync(file, time, time);
}
