import type { z } from "zod";
import { describeValue, formatPath, type PathSegment, valueAt } from "./describe.ts";
import type { ConfigProblem } from "./errors.ts";
import { didYouMean } from "./suggest.ts";
import type { SourcePosition } from "./yaml-source.ts";

/** Where a path is written, if anywhere; `key` asks for the key rather than the value. */
export type Locate = (path: readonly PathSegment[], options?: { key?: boolean }) => SourcePosition | undefined;

/**
 * Turns zod's issues into problems a person can act on: the full path, the position in the file,
 * what was expected (the schemas' own messages) and what was found, and a "did you mean" on typos.
 * @example issuesToProblems(result.error.issues, { file, data, schema, locate })
 */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  context: { file: string; data: unknown; schema: z.ZodType; locate: Locate },
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (path: readonly PathSegment[], message: string, key = false) => {
    const position = context.locate(path, { key });
    problems.push({ file: context.file, ...position, path: formatPath(path), message });
  };
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== "symbol");
    if (issue.code === "unrecognized_keys") {
      const present = Object.keys((valueAt(context.data, path).value as object | null) ?? {});
      const known = knownKeys(context.schema, path).filter((key) => !present.includes(key));
      for (const key of issue.keys) add([...path, key], `unknown key "${key}"${didYouMean(key, known)}`, true);
    } else if (issue.code === "invalid_key") {
      const inner = issue.issues[0]?.message ?? "invalid key";
      add(path, `invalid key ${JSON.stringify(path.at(-1))}: ${inner}`, true);
    } else {
      add(path, describeIssue(issue, path, context.data));
    }
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, path: readonly PathSegment[], data: unknown): string {
  const { found, value } = valueAt(data, path);
  const last = path.at(-1);
  // Only the schemas' own "expected ..." messages get a "got"; zod's defaults already say enough.
  if (!issue.message.startsWith("expected ")) return issue.message;
  if (!found && typeof last === "string") return `missing required key "${last}": ${issue.message}`;
  const hint =
    issue.code === "invalid_value" && typeof value === "string"
      ? didYouMean(
          value,
          issue.values.filter((v): v is string => typeof v === "string"),
        )
      : "";
  return `${issue.message}, got ${describeValue(value)}${hint}`;
}

/** The keys an object schema accepts at `path`, found by walking the schema the way zod walked the data. */
export function knownKeys(schema: z.core.$ZodType, path: readonly PathSegment[]): string[] {
  let node: z.core.$ZodType | undefined = unwrap(schema);
  for (const segment of path) {
    const def = node?._zod.def as unknown as Record<string, unknown> | undefined;
    if (!def) return [];
    if (def.type === "object") node = (def.shape as Record<string, z.core.$ZodType>)[String(segment)];
    else if (def.type === "array") node = def.element as z.core.$ZodType;
    else if (def.type === "record") node = def.valueType as z.core.$ZodType;
    else return [];
    node = node ? unwrap(node) : undefined;
  }
  const def = node?._zod.def as unknown as { type: string; shape?: Record<string, unknown> } | undefined;
  return def?.type === "object" && def.shape ? Object.keys(def.shape) : [];
}

/** Sees through defaults, optionals and transforms to the schema that checks the input. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let node = schema;
  for (;;) {
    const def = node._zod.def as unknown as Record<string, unknown>;
    if (def.innerType) node = def.innerType as z.core.$ZodType;
    else if (def.type === "pipe") node = def.in as z.core.$ZodType;
    else return node;
  }
}
