import { z } from "zod";
import { describeValue } from "./describe.ts";
import { ConfigError, type ConfigProblem } from "./errors.ts";
import { expected } from "./fields.ts";
import { decodeMasterKey, redactUrl } from "./secrets.ts";

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;

const PORT_WORDS = "an integer from 1 to 65535";
const DATABASE_WORDS = 'a SQLite file path (like "var/quantchat.db") or a postgres:// URL';

/** True when `url` is what the store opens: a postgres(ql):// URL, or a SQLite path, `sqlite:`/`file:` path or `:memory:`. */
export function isDatabaseUrl(url: string): boolean {
  if (/^postgres(ql)?:\/\//i.test(url)) return URL.canParse(url);
  // Any other scheme://, mysql:// say, would otherwise become a SQLite file of that odd name.
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || /^(sqlite|file):/i.test(url);
}

const text = () => z.string();

const urlWith = (schemes: RegExp, words: string) =>
  text().refine((value) => schemes.test(value) && URL.canParse(value), expected(words));

const envSchema = z.object({
  DATABASE_URL: text().refine(isDatabaseUrl, expected(DATABASE_WORDS)).default("var/quantchat.db"),
  REDIS_URL: urlWith(/^rediss?:\/\//i, "a redis:// or rediss:// URL").optional(),
  PORT: text()
    .refine((value) => /^\d{1,5}$/.test(value) && Number(value) >= 1 && Number(value) <= 65535, expected(PORT_WORDS))
    .transform(Number)
    .default(8080),
  HOST: text().regex(/^\S+$/, expected("a host name or IP address")).default("127.0.0.1"),
  QUANTCHAT_MASTER_KEY: text()
    .refine(
      (value) => decodeMasterKey(value) !== undefined,
      expected("32 bytes written as 64 hex characters or base64"),
    )
    .optional(),
  TELEGRAM_BOT_TOKEN: text()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, expected('a bot token from @BotFather like "123456:ABC-DEF..."'))
    .optional(),
  TELEGRAM_API_ROOT: urlWith(/^https?:\/\//i, 'an http(s) URL like "https://api.telegram.org"').optional(),
  TELEGRAM_ADMINS: text()
    .refine(
      (value) => value.split(",").every((id) => /^\d{1,15}$/.test(id.trim())),
      expected("comma-separated Telegram user ids like 12345,67890"),
    )
    .transform((value) => value.split(",").map((id) => Number(id.trim())))
    .optional(),
  DISCORD_TOKEN: text().optional(),
  LOG_LEVEL: text()
    .transform((value) => value.toLowerCase())
    .pipe(z.enum(LOG_LEVELS, expected(`one of ${LOG_LEVELS.join(", ")}`)))
    .default("info"),
  QUANTCHAT_CONFIG: text().default("strategies.yaml"),
  QUANTCHAT_STATE_DIR: text().default("var"),
  QUANTCHAT_DATA_DIR: text().default("data"),
});

/** The validated environment, defaults applied; keys are the variable names. */
export type Env = z.output<typeof envSchema>;

/** The variables quantchat reads, in the order .env.example lists them. */
export const ENV_VARIABLES = Object.keys(envSchema.shape) as (keyof Env)[];

// Values never repeated in a message: messages reach logs, terminals and chat.
const SECRETS = new Set<string>(["QUANTCHAT_MASTER_KEY", "TELEGRAM_BOT_TOKEN", "DISCORD_TOKEN"]);
const URLS = new Set<string>(["DATABASE_URL", "REDIS_URL", "TELEGRAM_API_ROOT"]);

/**
 * Validates the environment without throwing: the Env, or every problem in it.
 * @example validateEnv({ PORT: "abc" }) // { ok: false, problems: [{ path: "PORT", message: 'expected an integer from 1 to 65535, got "abc"', ... }] }
 */
export function validateEnv(
  source: NodeJS.ProcessEnv = process.env,
): { ok: true; env: Env } | { ok: false; problems: ConfigProblem[] } {
  const input: Record<string, string> = {};
  for (const name of ENV_VARIABLES) {
    const value = source[name]?.trim();
    // `PORT=` in a .env file means "not set", not "set to nothing".
    if (value) input[name] = value;
  }
  const result = envSchema.safeParse(input);
  if (result.success) return { ok: true, env: result.data };
  const problems = result.error.issues.map((issue): ConfigProblem => {
    const name = String(issue.path[0] ?? "");
    return { file: "", path: name, message: `${issue.message}, got ${shown(name, input[name])}` };
  });
  return { ok: false, problems };
}

/**
 * Reads and validates the environment. Empty values count as unset; every problem is reported at
 * once in one ConfigError, and secret values never appear in it.
 * @example const { PORT, DATABASE_URL } = loadEnv(); // 8080, "var/quantchat.db" when unset
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const result = validateEnv(source);
  if (!result.ok) throw new ConfigError(result.problems);
  return result.env;
}

function shown(name: string, value: string | undefined): string {
  if (value === undefined) return "nothing";
  if (SECRETS.has(name)) return `${value.length} characters (value not shown)`;
  if (URLS.has(name)) return describeValue(redactUrl(value));
  return describeValue(value);
}
