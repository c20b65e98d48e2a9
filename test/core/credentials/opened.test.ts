import { format, inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { OpenedCredential } from "../../../core/credentials/opened.ts";
import { createLogger } from "../../../core/log.ts";
import { sampleSecrets } from "./fixtures.ts";

const secrets = sampleSecrets();
const creds = new OpenedCredential("okx-main", "okx", secrets);
const values = [secrets.apiKey, secrets.secret, secrets.password];

function expectNoSecrets(text: string): void {
  for (const value of values) expect(text).not.toContain(value);
}

describe("OpenedCredential", () => {
  it("hands the values to code that asks for them by name", () => {
    expect([creds.apiKey, creds.secret, creds.password]).toEqual(values);
    expect([creds.name, creds.exchange]).toEqual(["okx-main", "okx"]);
    const { apiKey, secret, password } = creds; // how the ccxt adapter reads them
    expect({ apiKey, secret, password }).toEqual(secrets);
  });

  it("leaves password undefined when there is none", () => {
    const plain = new OpenedCredential("b", "binance", { apiKey: secrets.apiKey, secret: secrets.secret });
    expect(plain.password).toBeUndefined();
  });

  it("serialises as [redacted]", () => {
    expect(JSON.stringify(creds)).toBe('"[redacted]"');
    expect(JSON.stringify({ account: { creds } })).toBe('{"account":{"creds":"[redacted]"}}');
  });

  it("prints as [redacted] through inspect, console formats and template strings", () => {
    const printed = [
      inspect(creds),
      inspect({ creds }, { showHidden: true, depth: 5 }),
      format("%o %O %j %s", creds, creds, creds, creds),
      `${creds}`,
      String(creds),
    ];
    for (const text of printed) {
      expect(text).toContain("[redacted]");
      expectNoSecrets(text);
    }
  });

  it("copies to nothing secret: spread, Object.keys, Object.assign, structuredClone", () => {
    const copies = [{ ...creds }, Object.assign({}, creds), structuredClone(creds)];
    for (const copy of copies) expectNoSecrets(inspect(copy, { showHidden: true }));
    expect(Object.keys(creds)).toEqual(["name", "exchange"]);
  });

  it("cannot be changed", () => {
    expect(Object.isFrozen(creds)).toBe(true);
    expect(() => {
      (creds as { secret: string }).secret = "x";
    }).toThrow(TypeError);
    expect(creds.secret).toBe(secrets.secret);
  });

  it("logs as [redacted] through pino, however it is passed", () => {
    let output = "";
    const log = createLogger({
      level: "trace",
      destination: {
        write: (line: string) => {
          output += line;
        },
      },
    });
    log.info({ creds }, "opened");
    log.info(creds as unknown as object, "as the merge object");
    log.debug({ account: { id: "okx-1", credentials: creds } }, "nested");
    log.warn({ config: { ...creds } }, "spread");
    log.error({ err: Object.assign(new Error("boom"), { creds }) }, "attached to an error");
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(5); // every call logged, none threw
    expect(output).toContain('"creds":"[redacted]"');
    expect(output).toContain('"credentials":"[redacted]"');
    expectNoSecrets(output);
  });
});
