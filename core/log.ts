import pino, { type Logger } from "pino";

export type { Logger };

/** Fields whose values are never written to a log, wherever they appear in a logged object. */
const REDACT = [
  "apiKey",
  "secret",
  "password",
  "token",
  "masterKey",
  "*.apiKey",
  "*.secret",
  "*.password",
  "*.token",
  "*.masterKey",
];

/**
 * The process logger: JSON lines, or pino-pretty colours when stdout is a terminal. Secrets are
 * redacted by key name as a second line of defence; the first is not to log them at all.
 */
export function createLogger(
  options: { level?: string; pretty?: boolean; destination?: pino.DestinationStream } = {},
): Logger {
  const pretty = options.pretty ?? (process.stdout.isTTY === true && !options.destination);
  const base: pino.LoggerOptions = {
    level: options.level ?? "info",
    base: { app: "quantchat" },
    redact: { paths: REDACT, censor: "[redacted]" },
  };
  if (options.destination) return pino(base, options.destination);
  if (pretty) {
    return pino({
      ...base,
      transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app" } },
    });
  }
  return pino(base);
}
