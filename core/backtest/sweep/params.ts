import type { ParamSpec } from "../../plugins/manifest-schema.ts";
import type { ParamInput } from "../types.ts";
import { SweepInputError } from "./errors.ts";

/**
 * A param value typed as the manifest's spec says: numbers for integer and number params, true/false
 * for booleans, text for the rest. Text that does not fit stays text, so validateParams reports it with
 * the manifest's own words ("expected an integer from 1 to 500, got "ten"").
 * @example parseParamValue({ type: "integer", default: 10 }, "12") // 12
 * @example parseParamValue({ type: "boolean", default: false }, "true") // true
 */
export function parseParamValue(spec: ParamSpec | undefined, text: string): ParamInput {
  const trimmed = text.trim();
  switch (spec?.type) {
    case "integer":
    case "number": {
      const value = trimmed === "" ? Number.NaN : Number(trimmed);
      return Number.isFinite(value) ? value : trimmed;
    }
    case "boolean":
      return trimmed === "true" ? true : trimmed === "false" ? false : trimmed;
    default:
      // Unknown to the manifest: a number if it reads as one, for the "unknown param" message to show.
      return spec === undefined && trimmed !== "" && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }
}

/**
 * `--param name=value` flags as a params object, typed by the manifest. A flag without "=" or given
 * twice is an error; names the manifest does not know are kept for validateParams to report.
 * @example parseParamFlags(["fast=10", "slow=30"], manifest.params) // { fast: 10, slow: 30 }
 */
export function parseParamFlags(
  flags: readonly string[],
  specs: Readonly<Record<string, ParamSpec>>,
): Record<string, ParamInput> {
  const params: Record<string, ParamInput> = {};
  for (const flag of flags) {
    const eq = flag.indexOf("=");
    if (eq <= 0) throw new SweepInputError(`--param ${flag}: expected name=value, like fast=10`);
    const name = flag.slice(0, eq).trim();
    if (Object.hasOwn(params, name)) throw new SweepInputError(`--param ${name} is given twice`);
    params[name] = parseParamValue(specs[name], flag.slice(eq + 1));
  }
  return params;
}
