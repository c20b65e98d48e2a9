import type { ApiCallFn } from "grammy";
import { describe, expect, it } from "vitest";
import { retryOn429 } from "../../../bot/telegram/retry.ts";

type Answer =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

function calls(answers: Answer[]) {
  const seen: string[] = [];
  const prev = (async (method: string) => {
    seen.push(method);
    return answers.shift() ?? { ok: true, result: true };
  }) as unknown as ApiCallFn;
  return { prev, seen };
}

const tooMany = (after?: number): Answer => ({
  ok: false,
  error_code: 429,
  description: "Too Many Requests",
  ...(after !== undefined && { parameters: { retry_after: after } }),
});

describe("retryOn429", () => {
  it("waits retry_after seconds and calls again until it succeeds", async () => {
    const sleeps: number[] = [];
    const { prev, seen } = calls([tooMany(2), tooMany(1), { ok: true, result: "sent" }]);
    const transformer = retryOn429({ sleep: async (ms) => void sleeps.push(ms) });
    const result = await transformer(prev, "sendMessage", { chat_id: 1, text: "x" } as never);
    expect(result).toEqual({ ok: true, result: "sent" });
    expect(seen).toEqual(["sendMessage", "sendMessage", "sendMessage"]);
    expect(sleeps).toEqual([2000, 1000]);
  });

  it("gives up after maxRetries and returns the last 429", async () => {
    const { prev, seen } = calls([tooMany(1), tooMany(1), tooMany(1), tooMany(1)]);
    const result = await retryOn429({ maxRetries: 2, sleep: async () => undefined })(prev, "sendMessage", {} as never);
    expect(result).toMatchObject({ ok: false, error_code: 429 });
    expect(seen).toHaveLength(3);
  });

  it("does not wait for a retry_after over its bound or without one, nor retry other errors", async () => {
    const sleep = async () => {
      throw new Error("must not sleep");
    };
    for (const answer of [tooMany(61), tooMany(), { ok: false, error_code: 403, description: "Forbidden" } as Answer]) {
      const { prev, seen } = calls([answer]);
      const result = await retryOn429({ maxDelaySeconds: 60, sleep })(prev, "sendMessage", {} as never);
      expect(result).toEqual(answer);
      expect(seen).toHaveLength(1);
    }
  });
});
