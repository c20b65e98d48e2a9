import { z } from "zod";
import type { Role } from "../../core/store/repositories/roles.ts";
import type { PlainKey } from "../i18n/index.ts";
import { collectArgs, tokenize } from "./args.ts";
import type { CommandContext } from "./context.ts";
import type { Reply } from "./reply.ts";

/** A schema for a command's arguments: its input is the object `collectArgs` builds from the words. */
export type ArgsSchema = z.ZodType<unknown, Record<string, unknown>>;

type ArgName<S extends ArgsSchema> = keyof z.input<S> & string;

/** What a command file declares. */
export interface CommandSpec<S extends ArgsSchema> {
  /** Lower case letters, digits and "_", at most 32: what Telegram and Discord both accept. */
  readonly name: string;
  /** Shown in the platform's command menu and in /help. */
  readonly description: PlainKey;
  /** The usage line, also the answer to arguments that do not parse. */
  readonly usage: PlainKey;
  /** The least role that may run it: viewer < trader < admin. */
  readonly role: Role;
  /**
   * The arguments; no arguments at all when absent. Use `z.strictObject` so that a `key=value` pair
   * the command does not know is refused with the usage line rather than silently dropped.
   */
  readonly args?: S;
  /** Names for the leading words, in order. */
  readonly positional?: readonly ArgName<S>[];
  /** The name that receives the remaining words as a string array. */
  readonly rest?: ArgName<S>;
  /**
   * True (or true for these arguments) for commands that change state: each such run is written to
   * the audit log. A run that only asks a confirmation question is audited when the answer comes.
   */
  readonly audit?: boolean | ((args: z.output<S>) => boolean);
  run(ctx: CommandContext, args: z.output<S>): Promise<Reply> | Reply;
}

export type ParsedArgs =
  | { readonly ok: true; readonly args: unknown }
  | { readonly ok: false; readonly problem: string };

/** A command as the dispatcher holds it: its types erased behind `parse` and `run`. */
export interface Command {
  readonly name: string;
  readonly description: PlainKey;
  readonly usage: PlainKey;
  readonly role: Role;
  /** Whether a run with these (parsed) arguments changes state and so goes to the audit log. */
  audits(args: unknown): boolean;
  /** Parses the text after the command name. */
  parse(text: string): ParsedArgs;
  /** Runs with arguments `parse` returned. */
  run(ctx: CommandContext, args: unknown): Promise<Reply>;
}

const NAME = /^[a-z0-9_]{1,32}$/;
const NO_ARGS = z.strictObject({});

/**
 * Declares a command. Arguments are parsed from the message text (words, "quoted phrases",
 * `key=value` pairs) into an object and checked with the zod schema; `run` gets the typed result.
 * @example
 * export const grant = defineCommand({
 *   name: "grant", description: "cmd.grant.description", usage: "cmd.grant.usage", role: "admin", audit: true,
 *   args: z.strictObject({ user: z.string(), role: z.enum(ROLES) }), positional: ["user", "role"],
 *   run: (ctx, { user, role }) => …,
 * });
 */
export function defineCommand<S extends ArgsSchema = typeof NO_ARGS>(spec: CommandSpec<S>): Command {
  if (!NAME.test(spec.name)) throw new Error(`command name "${spec.name}" must match ${NAME}`);
  const schema: ArgsSchema = spec.args ?? NO_ARGS;
  const layout = {
    ...(spec.positional && { positional: spec.positional }),
    ...(spec.rest !== undefined && { rest: spec.rest }),
  };
  return {
    name: spec.name,
    description: spec.description,
    usage: spec.usage,
    role: spec.role,
    audits: (args) => (typeof spec.audit === "function" ? spec.audit(args as z.output<S>) : (spec.audit ?? false)),
    parse(text) {
      const input = collectArgs(tokenize(text), layout);
      if (input === undefined) return { ok: false, problem: "too many arguments" };
      const result = schema.safeParse(input);
      if (!result.success) return { ok: false, problem: z.prettifyError(result.error) };
      return { ok: true, args: result.data };
    },
    async run(ctx, args) {
      return spec.run(ctx, args as z.output<S>);
    },
  };
}
