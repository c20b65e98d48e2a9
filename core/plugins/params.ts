import { describeValue } from "../config/describe.ts";
import { describeRange } from "../config/fields.ts";
import { didYouMean } from "../config/suggest.ts";
import type { ParamSpec, ParamValue, PluginManifest } from "./manifest-schema.ts";

/** One param that does not fit the manifest. `text` is the full line: `params.fast: expected ...`. */
export interface ParamProblem {
  readonly name: string;
  readonly message: string;
  readonly text: string;
}

export type ParamsResult =
  | { readonly ok: true; readonly params: Readonly<Record<string, ParamValue>> }
  | { readonly ok: false; readonly problems: readonly ParamProblem[] };

/**
 * Checks params given in strategies.yaml or chat against the manifest and applies the defaults of
 * those not given. Unknown names are problems (with a "did you mean").
 * @example
 * validateParams(manifest, { fast: 1.5 })
 * // { ok: false, problems: [{ name: "fast", text: "params.fast: expected an integer from 2 to 200, got 1.5", ... }] }
 */
export function validateParams(
  manifest: Pick<PluginManifest, "params">,
  given: Readonly<Record<string, unknown>> = {},
): ParamsResult {
  const specs = manifest.params;
  const problems: ParamProblem[] = [];
  const params: Record<string, ParamValue> = {};
  const names = Object.keys(specs);
  for (const name of Object.keys(given)) {
    if (!Object.hasOwn(specs, name)) {
      const known = names.length === 0 ? "this plugin takes no params" : `known: ${names.join(", ")}`;
      problems.push(problem(name, `unknown param${didYouMean(name, names)} (${known})`));
    }
  }
  for (const name of names) {
    const spec = specs[name] as ParamSpec;
    if (!Object.hasOwn(given, name) || given[name] === undefined) {
      params[name] = spec.default;
      continue;
    }
    const value = given[name];
    const expectation = check(spec, value);
    if (expectation === undefined) params[name] = value as ParamValue;
    else problems.push(problem(name, `expected ${expectation}, got ${describeValue(value)}${hint(spec, value)}`));
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, params: Object.freeze(params) };
}

/**
 * What a param accepts, in words, as forms and `plugins show` print it.
 * @example describeParam({ type: "integer", default: 10, min: 2, max: 200 }) // "an integer from 2 to 200"
 */
export function describeParam(spec: ParamSpec): string {
  switch (spec.type) {
    case "integer":
    case "number": {
      const range = describeRange({ int: spec.type === "integer", min: spec.min, max: spec.max });
      return spec.type === "integer" && spec.step !== undefined && spec.step > 1 && spec.min !== undefined
        ? `${range} in steps of ${spec.step}`
        : range;
    }
    case "boolean":
      return "true or false";
    case "enum":
      return `one of ${spec.values.join(", ")}`;
    case "string":
      return "a string of at most 200 characters";
  }
}

/** The expectation `value` fails, or undefined when it fits. */
function check(spec: ParamSpec, value: unknown): string | undefined {
  const expectation = describeParam(spec);
  switch (spec.type) {
    case "integer":
    case "number": {
      if (typeof value !== "number" || !Number.isFinite(value)) return expectation;
      if (spec.type === "integer" && !Number.isInteger(value)) return expectation;
      if ((spec.min !== undefined && value < spec.min) || (spec.max !== undefined && value > spec.max))
        return expectation;
      if (
        spec.type === "integer" &&
        spec.step !== undefined &&
        spec.min !== undefined &&
        (value - spec.min) % spec.step !== 0
      ) {
        return expectation;
      }
      return undefined;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : expectation;
    case "enum":
      return typeof value === "string" && spec.values.includes(value) ? undefined : expectation;
    case "string":
      return typeof value === "string" && value.length <= 200 ? undefined : expectation;
  }
}

function hint(spec: ParamSpec, value: unknown): string {
  return spec.type === "enum" && typeof value === "string" ? didYouMean(value, spec.values) : "";
}

function problem(name: string, message: string): ParamProblem {
  return { name, message, text: `params.${name}: ${message}` };
}
