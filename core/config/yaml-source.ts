import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLError,
} from "yaml";
import type { PathSegment } from "./describe.ts";
import type { ConfigProblem } from "./errors.ts";

/** A 1-based position in a text file. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** A parsed YAML file that can say where any path of it is written. */
export interface YamlSource {
  /** The file as plain data (anchors and merge keys resolved); undefined when the file is empty. */
  readonly data: unknown;
  /** Syntax errors, with their own positions; when there are any, `data` is undefined. */
  readonly errors: readonly ConfigProblem[];
  /** What parsed but is suspect, such as an unknown tag (`!secret`) read as a plain string. */
  readonly warnings: readonly ConfigProblem[];
  /**
   * Where `path` is written: its value, or with `{ key: true }` its key. A path that is not in the
   * file (a missing key) points at the nearest enclosing value that is.
   */
  locate(path: readonly PathSegment[], options?: { key?: boolean }): SourcePosition | undefined;
}

/**
 * Parses YAML text keeping positions. Merge keys (`<<: *defaults`) are on because operators share
 * params between strategies that way; duplicate keys are errors, not a silent last-one-wins.
 * @example parseYamlSource("a:\n  b: 1\n", "x.yaml").locate(["a", "b"]) // { line: 2, column: 6 }
 */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true, uniqueKeys: true });
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const toProblem =
    (prefix: string) =>
    (error: YAMLError): ConfigProblem => ({
      file,
      ...at(error.pos[0]),
      path: "",
      message: prefix + oneLine(error.message),
    });
  const errors = doc.errors.map(toProblem("YAML syntax: "));
  const data = errors.length === 0 ? (doc.toJS() ?? undefined) : undefined;
  return {
    data,
    errors,
    warnings: doc.warnings.map(toProblem("YAML: ")),
    locate(path, options = {}) {
      const offset = findOffset(doc, path, options.key === true);
      return offset === undefined ? undefined : at(offset);
    },
  };
}

/** The yaml package's messages can span lines with context; a problem is one line. */
function oneLine(message: string): string {
  const first = message.split("\n")[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, "");
}

function findOffset(doc: Document, path: readonly PathSegment[], wantKey: boolean): number | undefined {
  let node: unknown = doc.contents;
  let best = startOf(node);
  for (const [index, segment] of path.entries()) {
    node = resolveAlias(doc, node);
    const pair = isMap(node) ? node.items.find((item) => keyText(item.key) === String(segment)) : undefined;
    let next: unknown;
    if (pair) next = pair.value;
    else if (isSeq(node) && typeof segment === "number") next = node.items[segment];
    else return best;
    node = next;
    const isLast = index === path.length - 1;
    // A key with no value (`fast:`) has an empty scalar just after the colon; its key is the better place.
    const emptyValue = isScalar(node) && node.value === null && node.source === "";
    const start = (isLast && wantKey) || emptyValue ? (startOf(pair?.key) ?? startOf(node)) : startOf(node);
    if (start !== undefined) best = start;
    if (next === undefined || next === null) return best;
  }
  return best;
}

function resolveAlias(doc: Document, node: unknown): unknown {
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  if (typeof key === "string" || typeof key === "number") return String(key);
  return undefined;
}

function startOf(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
