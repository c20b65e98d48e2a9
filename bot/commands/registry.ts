import type { Role } from "../../core/store/repositories/roles.ts";
import type { Command } from "./define.ts";
import { roleAllows } from "./roles.ts";

/** The commands a bot answers, by name. */
export interface CommandRegistry {
  readonly commands: readonly Command[];
  get(name: string): Command | undefined;
  /** The commands a role may run, in registration order: what /help and the menus list. */
  allowedFor(role: Role | undefined): Command[];
}

/**
 * Indexes commands by name; two commands with one name are a programming error, caught at start.
 * @example const registry = createRegistry([...BUILTIN_COMMANDS, backtest])
 */
export function createRegistry(commands: readonly Command[]): CommandRegistry {
  const byName = new Map<string, Command>();
  for (const command of commands) {
    if (byName.has(command.name)) throw new Error(`command /${command.name} is registered twice`);
    byName.set(command.name, command);
  }
  return {
    commands,
    get: (name) => byName.get(name.toLowerCase()),
    allowedFor: (role) => commands.filter((c) => roleAllows(role, c.role)),
  };
}
