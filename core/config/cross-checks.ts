import { formatPath, type PathSegment } from "./describe.ts";
import { didYouMean } from "./suggest.ts";

/** A problem before it has a file and a position. `key` points it at the key rather than the value. */
export interface PathProblem {
  readonly path: readonly PathSegment[];
  readonly message: string;
  readonly key?: boolean;
}

export interface CrossCheckOptions {
  /** Exchange ids to accept (ccxt's `exchanges`); when absent only their spelling is checked. */
  readonly exchanges?: readonly string[];
}

// ccxt constructor fields that hold secrets. A config file gets copied, committed and pasted into
// chats; keys live encrypted in the store and an account names them with `credentials`.
const SECRET_KEYS = /^(apikey|secret|password|uid|login|privatekey|walletaddress|token|twofa)$/i;

type Entry = { readonly index: number; readonly value: Record<string, unknown> };

/**
 * Checks that span entries: unique account and strategy ids, strategies naming an existing account,
 * live accounts naming credentials, no secrets in ccxt options, known exchanges. Works on the raw
 * parsed file so these problems are reported together with schema problems, not after them.
 * @example crossCheck({ accounts: [{ id: "a" }, { id: "a" }] }) // [{ path: ["accounts", 1, "id"], ... }]
 */
export function crossCheck(data: unknown, options: CrossCheckOptions = {}): PathProblem[] {
  const root = isRecord(data) ? data : {};
  const accounts = entries(root.accounts);
  const strategies = entries(root.strategies);
  const problems: PathProblem[] = [
    ...duplicateIds("accounts", "account", accounts),
    ...duplicateIds("strategies", "strategy", strategies),
  ];
  for (const { index, value } of accounts) {
    const at = (...rest: PathSegment[]): PathSegment[] => ["accounts", index, ...rest];
    if (value.mode === "live" && (value.credentials === undefined || value.credentials === null)) {
      problems.push({
        path: at("credentials"),
        message: 'missing required key "credentials": a live account needs the name of a stored credential',
      });
    }
    if (isRecord(value.ccxt)) {
      for (const key of Object.keys(value.ccxt).filter((k) => SECRET_KEYS.test(k))) {
        problems.push({
          path: at("ccxt", key),
          key: true,
          message: "secrets do not belong in strategies.yaml: store them as a credential and name it in credentials",
        });
      }
    }
    const exchange = value.exchange;
    if (options.exchanges && typeof exchange === "string" && /^[a-z][a-z0-9]*$/.test(exchange)) {
      if (!options.exchanges.includes(exchange)) {
        problems.push({
          path: at("exchange"),
          message: `unknown exchange "${exchange}"${didYouMean(exchange, options.exchanges)}`,
        });
      }
    }
  }
  const accountIds = accounts.map((a) => a.value.id).filter((id): id is string => typeof id === "string");
  for (const { index, value } of strategies) {
    if (typeof value.account === "string" && !accountIds.includes(value.account)) {
      const known = accountIds.length === 0 ? "no accounts are defined" : `accounts: ${accountIds.join(", ")}`;
      const hint = didYouMean(value.account, accountIds) || ` (${known})`;
      problems.push({ path: ["strategies", index, "account"], message: `unknown account "${value.account}"${hint}` });
    }
    if (Array.isArray(value.symbols)) {
      const seen = new Set<unknown>();
      for (const [i, symbol] of value.symbols.entries()) {
        if (seen.has(symbol))
          problems.push({ path: ["strategies", index, "symbols", i], message: `duplicate symbol "${symbol}"` });
        seen.add(symbol);
      }
    }
  }
  return problems;
}

function duplicateIds(list: string, noun: string, items: readonly Entry[]): PathProblem[] {
  const first = new Map<string, number>();
  const problems: PathProblem[] = [];
  for (const { index, value } of items) {
    if (typeof value.id !== "string") continue;
    const earlier = first.get(value.id);
    if (earlier === undefined) first.set(value.id, index);
    else {
      problems.push({
        path: [list, index, "id"],
        message: `duplicate ${noun} id "${value.id}" (${formatPath([list, earlier])} has it too)`,
      });
    }
  }
  return problems;
}

function entries(list: unknown): Entry[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((value, index) => (isRecord(value) ? [{ index, value }] : []));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
