// Types of bundle-fresh.js, which is JavaScript so that bin/quantchat.js can run it before tsx is loaded.
import type { Stats } from "node:fs";

/** How an entry is bundled (see compiled-entry.ts): which packages go in, and whether it is split. */
export interface BundleWay {
  /** "bundled" (default): npm packages go in, but for native addons; "external": none does. */
  readonly packages?: "bundled" | "external";
  /** One file per dynamic import (esbuild's code splitting) rather than one file in all. */
  readonly split?: boolean;
}

/** What a bundle's last line records about how it was made. */
export interface Manifest {
  /** The options the bundle was built with, as a hash: other options are another bundle. */
  readonly key: string;
  readonly inputs: readonly { readonly path: string; readonly size: number; readonly mtimeMs: number }[];
  /** Folders a glob import (`import(\`./migrations/${file}\`)`) took every file of: a file added there changes them. */
  readonly dirs: readonly { readonly path: string; readonly mtimeMs: number }[];
  /** A split bundle's other files, relative to the cache folder. */
  readonly chunks?: readonly string[];
}

export const MARK: string;
export const BUNDLE_CACHE_DIR: string;
export function bundleName(source: string, way?: BundleWay): string;
export function freshBundle(file: string, key?: string): string | undefined;
export function trusted(stat: Pick<Stats, "uid" | "mode">): boolean;
