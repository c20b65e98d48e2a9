import { describe, expect, it } from "vitest";
import { Serial } from "../../../core/trading/serial.ts";

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("Serial", () => {
  it("runs operations one at a time, in call order, whatever their own timing", async () => {
    const serial = new Serial();
    const log: string[] = [];
    let running = 0;
    const op = (name: string, waits: number) =>
      serial.run(async () => {
        running++;
        expect(running).toBe(1);
        log.push(`${name} start`);
        for (let i = 0; i < waits; i++) await tick();
        log.push(`${name} end`);
        running--;
        return name;
      });
    const results = await Promise.all([op("a", 3), op("b", 0), op("c", 1)]);
    expect(results).toEqual(["a", "b", "c"]);
    expect(log).toEqual(["a start", "a end", "b start", "b end", "c start", "c end"]);
  });

  it("starts an operation at once when none runs, and a failure does not hold up the next", async () => {
    const serial = new Serial();
    let started = false;
    const first = serial.run(async () => {
      started = true;
      throw new Error("boom");
    });
    expect(started).toBe(true);
    const second = serial.run(async () => "after");
    await expect(first).rejects.toThrow("boom");
    await expect(second).resolves.toBe("after");
  });

  it("idle waits for everything called so far, including what is called while waiting", async () => {
    const serial = new Serial();
    const done: number[] = [];
    void serial.run(async () => {
      await tick();
      done.push(1);
      void serial.run(async () => {
        await tick();
        done.push(2);
      });
    });
    await serial.idle();
    expect(done).toEqual([1, 2]);
  });

  it("an operation that answers at once is done at once: nothing queues behind it, a throw rejects", async () => {
    const serial = new Serial();
    let ran = 0;
    const now = serial.run(() => ++ran);
    const next = serial.run(() => ++ran);
    // Both ran before anything awaited: the first left nothing to wait for.
    expect(ran).toBe(2);
    expect(await now).toBe(1);
    expect(await next).toBe(2);
    await expect(
      serial.run(() => {
        throw new Error("at once");
      }),
    ).rejects.toThrow("at once");
  });

  it("once an operation that waited has settled, the caller's next one starts at once", async () => {
    const serial = new Serial();
    await serial.run(async () => {
      await tick();
    });
    let started = false;
    const after = serial.run(() => {
      started = true;
      return "now";
    });
    expect(started).toBe(true);
    await expect(after).resolves.toBe("now");
  });

  it("adopt: a value passes through, a promise makes the serial busy until it settles and run() waits for it", async () => {
    const serial = new Serial();
    expect(serial.busy).toBe(false);
    expect(serial.adopt(7)).toBe(7);
    expect(serial.busy).toBe(false);
    let release: (value: string) => void = () => {};
    const pending = serial.adopt(new Promise<string>((resolve) => (release = resolve)));
    expect(serial.busy).toBe(true);
    const order: string[] = [];
    const later = serial.run(() => {
      order.push("later");
      return 1;
    });
    await tick();
    expect(order).toEqual([]);
    release("first");
    expect(await pending).toBe("first");
    expect(await later).toBe(1);
    expect(order).toEqual(["later"]);
    expect(serial.busy).toBe(false);
  });
});
