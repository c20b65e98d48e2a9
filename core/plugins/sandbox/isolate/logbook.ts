// Runs inside the isolate: ctx.log, rate-limited by a token bucket that refills per step. Counting steps,
// not milliseconds, makes the kept lines the same however the host batches the candles.

import { safeString, truncate } from "./errors.ts";
import { OUTPUT_LIMITS } from "./limits.ts";

export interface LogLine {
  level: "info" | "warn";
  message: string;
}

/**
 * Buffered log lines of one entry into the isolate, plus the bucket that limits them.
 * @example const book = new LogBook(); book.facade.info("hello", { n: 1 }); book.take() // [{ level: "info", message: 'hello {"n":1}' }]
 */
export class LogBook {
  private lines: LogLine[] = [];
  private tokens: number = OUTPUT_LIMITS.logBurst;
  private dropped = 0;
  readonly facade: { info(message: unknown, data?: unknown): void; warn(message: unknown, data?: unknown): void };

  constructor() {
    const book = this;
    this.facade = Object.freeze({
      info(message: unknown, data?: unknown): void {
        book.add("info", message, data);
      },
      warn(message: unknown, data?: unknown): void {
        book.add("warn", message, data);
      },
    });
  }

  /** One step passed: one more line may be written, up to the burst. */
  refill(): void {
    if (this.tokens < OUTPUT_LIMITS.logBurst) this.tokens++;
  }

  /**
   * A batch of `steps` steps is about to run as one call (onCandles): its lines may use the tokens the
   * steps will refill, as they could one step at a time; `settle` takes back what is left over the burst.
   */
  lend(steps: number): void {
    if (steps > 1) this.tokens += steps - 1;
  }

  /** After a lent batch: the bucket as it would be after the batch's last step. */
  settle(): void {
    if (this.tokens > OUTPUT_LIMITS.logBurst - 1) this.tokens = OUTPUT_LIMITS.logBurst - 1;
    this.refill();
  }

  /** True when the buffer should be handed to the host before more steps run. */
  get full(): boolean {
    return this.lines.length >= OUTPUT_LIMITS.logsPerEntry - 1;
  }

  /** The buffered lines, with a note of what the limit dropped since the last take. */
  take(): LogLine[] {
    const lines = this.lines;
    if (this.dropped > 0) {
      lines.push({ level: "warn", message: `${this.dropped} log line(s) dropped by the rate limit` });
      this.dropped = 0;
    }
    this.lines = [];
    return lines;
  }

  private add(level: LogLine["level"], message: unknown, data: unknown): void {
    if (this.tokens < 1 || this.full) {
      this.dropped++;
      return;
    }
    this.tokens--;
    let text = truncate(typeof message === "string" ? message : safeString(() => message), OUTPUT_LIMITS.logChars);
    if (data !== undefined) {
      let json: string | undefined;
      try {
        json = JSON.stringify(data);
      } catch {
        json = "[data not serialisable]";
      }
      text = `${text} ${truncate(json ?? "undefined", OUTPUT_LIMITS.logChars)}`;
    }
    this.lines.push({ level, message: truncate(text, OUTPUT_LIMITS.logChars) });
  }
}
