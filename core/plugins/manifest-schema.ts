import semver from "semver";
import { z } from "zod";
import { describeRange, expected, matching, numberIn, oneOf, semverRange, slug } from "../config/fields.ts";
import { TIMEFRAMES } from "../domain/timeframe.ts";
import { DEFAULT_PLUGIN_LIMITS, HOST_API_VERSION, MIN_MEMORY_MB } from "./host-api.ts";

// The schema of plugin.yaml. Strict like strategies.yaml: an unknown key is a typo until proven
// otherwise. Every message starts "expected ..." so core/config's converter appends ", got <value>".

const text = (max: number, what: string) => {
  const message = expected(`${what} (1 to ${max} characters)`);
  return z.string(message).trim().min(1, message).max(max, message);
};

const version = () => {
  const message = expected('a semver version like "1.2.0"');
  return z.string(message).refine((v) => semver.valid(v) !== null, message);
};

/** An entry path inside the plugin folder: relative, forward slashes, no "..", a .js or .mjs file. */
const entry = () => {
  const message = expected('a .js file inside the plugin folder, like "strategy.js" (no "..", no absolute path)');
  return z
    .string(message)
    .refine(
      (p) =>
        /^[A-Za-z0-9_][A-Za-z0-9_./-]*\.m?js$/.test(p) &&
        !p.split("/").some((part) => part === ".." || part === "." || part === ""),
      message,
    );
};

const apiRange = () =>
  semverRange().refine(
    (range) => semver.satisfies(HOST_API_VERSION, range),
    expected(`a range that includes this host's plugin API ${HOST_API_VERSION}, like "^1.0.0"`),
  );

const description = () => text(500, "a description").optional();
const strict = <T extends z.core.$ZodLooseShape>(shape: T, what: string) => z.strictObject(shape, expected(what));
const finite = () => numberIn({});
const integer = () => numberIn({ int: true });

const integerParam = strict(
  {
    type: z.literal("integer"),
    // Checked with its range below, so a bad default reads "expected an integer from 2 to 200".
    default: finite(),
    min: integer().optional(),
    max: integer().optional(),
    step: numberIn({ int: true, min: 1 }).optional(),
    description: description(),
  },
  "an integer param: a map with type, default, min, max, step, description",
);
const numberParam = strict(
  {
    type: z.literal("number"),
    default: finite(),
    min: finite().optional(),
    max: finite().optional(),
    step: numberIn({ above: 0 }).optional(),
    description: description(),
  },
  "a number param: a map with type, default, min, max, step, description",
);
const booleanParam = strict(
  { type: z.literal("boolean"), default: z.boolean(expected("true or false")), description: description() },
  "a boolean param: a map with type, default, description",
);
const enumParam = strict(
  {
    type: z.literal("enum"),
    values: z
      .array(text(100, "a value"), expected("a non-empty list of strings"))
      .min(1, expected("a non-empty list of strings"))
      .max(100, expected("at most 100 values")),
    default: z.string(expected("one of the values")),
    description: description(),
  },
  "an enum param: a map with type, values, default, description",
);
const stringParam = strict(
  {
    type: z.literal("string"),
    default: z.string(expected("a string")).max(200, expected("a string of at most 200 characters")),
    description: description(),
  },
  "a string param: a map with type, default, description",
);

const PARAM_TYPES = ["integer", "number", "boolean", "enum", "string"] as const;

/** One typed parameter; cross-field rules (min <= default <= max, ...) are checked below. */
export const paramSchema = z
  .discriminatedUnion("type", [integerParam, numberParam, booleanParam, enumParam, stringParam], {
    error: (issue) =>
      issue.code === "invalid_union" ? `expected a param with type one of ${PARAM_TYPES.join(", ")}` : undefined,
  })
  .superRefine((param, ctx) => {
    if (param.type === "integer" || param.type === "number") {
      const { min, max } = param;
      if (min !== undefined && max !== undefined && min > max) {
        ctx.addIssue({ code: "custom", path: ["max"], message: `expected a number of at least min (${min})` });
        return;
      }
      const range = { int: param.type === "integer", min, max };
      const notInteger = param.type === "integer" && !Number.isInteger(param.default);
      if (notInteger || (min !== undefined && param.default < min) || (max !== undefined && param.default > max)) {
        ctx.addIssue({ code: "custom", path: ["default"], message: `expected ${describeRange(range)}` });
      } else if (param.type === "integer" && param.step !== undefined && min !== undefined) {
        if ((param.default - min) % param.step !== 0) {
          ctx.addIssue({
            code: "custom",
            path: ["default"],
            message: `expected ${describeRange(range)} in steps of ${param.step}`,
          });
        }
      }
    } else if (param.type === "enum") {
      if (!param.values.includes(param.default)) {
        ctx.addIssue({ code: "custom", path: ["default"], message: `expected one of ${param.values.join(", ")}` });
      }
      if (new Set(param.values).size !== param.values.length) {
        ctx.addIssue({ code: "custom", path: ["values"], message: "expected values without duplicates" });
      }
    }
  });

const PERMISSION = /^(indicators|state|log|model:[a-z0-9][a-z0-9_.-]{0,63})$/;
const permission = () =>
  matching(PERMISSION, 'a permission: indicators, state, log or model:<name> like "model:btc-lstm"');

const symbolsSchema = z
  .union(
    [
      numberIn({ int: true, min: 1, max: 100 }),
      strict(
        { min: numberIn({ int: true, min: 1, max: 100 }), max: numberIn({ int: true, min: 1, max: 100 }) },
        "a map with min and max",
      ).refine((s) => s.min <= s.max, { message: "expected min not above max", path: ["max"] }),
    ],
    expected("how many symbols the plugin trades: a number, or a map with min and max like { min: 1, max: 4 }"),
  )
  .transform((s) => (typeof s === "number" ? { min: s, max: s } : s));

/** plugin.yaml, as zod reads it; see PluginManifest for the result. */
export const manifestSchema = strict(
  {
    id: slug(),
    name: text(80, "a name"),
    version: version(),
    author: text(120, "an author"),
    description: text(2000, "a description"),
    entry: entry(),
    api: apiRange(),
    license: text(100, "a license name like MIT").optional(),
    homepage: text(300, "a URL").optional(),
    params: z
      .record(
        matching(/^[A-Za-z][A-Za-z0-9_]{0,39}$/, "a param name: letters, digits and _ (at most 40), like fastPeriod"),
        paramSchema,
        expected("a map of param names to param definitions"),
      )
      .default({}),
    timeframes: z
      .array(oneOf(TIMEFRAMES), expected(`a list of timeframes like [1h, 4h]`))
      .min(1, expected("a non-empty list of timeframes"))
      .optional(),
    warmup: numberIn({ int: true, min: 0, max: 100_000 }).default(0),
    symbols: symbolsSchema.default({ min: 1, max: 1 }),
    permissions: z
      .array(permission(), expected("a list of permissions like [indicators, state]"))
      .refine((list) => new Set(list).size === list.length, expected("a list without duplicates"))
      .default([]),
    limits: strict(
      {
        memoryMb: numberIn({ int: true, min: MIN_MEMORY_MB }).default(DEFAULT_PLUGIN_LIMITS.memoryMb),
        cpuMsPerCall: numberIn({ int: true, min: 1 }).default(DEFAULT_PLUGIN_LIMITS.cpuMsPerCall),
      },
      "a map with memoryMb and cpuMsPerCall",
    ).prefault({}),
  },
  "a plugin manifest: a map with id, name, version, author, description, entry, api, ...",
);

/** One param definition of a manifest. */
export type ParamSpec = z.output<typeof paramSchema>;
export type ParamType = ParamSpec["type"];
/** A param's value: what strategies.yaml or chat may set. */
export type ParamValue = number | boolean | string;
/** A validated plugin.yaml (limits capped by the host's maxima). */
export type PluginManifest = z.output<typeof manifestSchema>;
/** A permission a manifest may request. */
export type Permission = PluginManifest["permissions"][number];
