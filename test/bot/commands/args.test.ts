import { describe, expect, it } from "vitest";
import { z } from "zod";
import { collectArgs, tokenize } from "../../../bot/commands/args.ts";
import { parseCommandLine } from "../../../bot/commands/command-line.ts";
import { defineCommand } from "../../../bot/commands/define.ts";
import { textReply } from "../../../bot/commands/reply.ts";

const values = (text: string) => tokenize(text).map((t) => t.value);

describe("tokenize", () => {
  it("splits on any whitespace and keeps quoted phrases together", () => {
    expect(values("  BTC/USDT   1h\t30d ")).toEqual(["BTC/USDT", "1h", "30d"]);
    expect(values('halt "exchange is down" now')).toEqual(["halt", "exchange is down", "now"]);
    expect(values('reason="fast drop" x')).toEqual(["reason=fast drop", "x"]);
  });

  it("accepts the curly quotes phones type and escaped quotes inside quotes", () => {
    expect(values("“two words” „drei worte“")).toEqual(["two words", "drei worte"]);
    expect(values('"say \\"hi\\""')).toEqual(['say "hi"']);
  });

  it("runs an unclosed quote to the end and keeps empty quoted words", () => {
    expect(values('a "b c')).toEqual(["a", "b c"]);
    expect(values('"" x')).toEqual(["", "x"]);
  });

  it("marks quoted words so that a quoted pair is not a pair", () => {
    expect(tokenize('"a=b" c=d').map((t) => t.quoted)).toEqual([true, false]);
  });
});

describe("collectArgs", () => {
  it("names positional words and reads key=value pairs", () => {
    expect(collectArgs(tokenize("@bob trader"), { positional: ["user", "role"] })).toEqual({
      user: "@bob",
      role: "trader",
    });
    expect(collectArgs(tokenize("fee=0.1 sma BTC"), { positional: ["plugin", "symbol"] })).toEqual({
      fee: "0.1",
      plugin: "sma",
      symbol: "BTC",
    });
  });

  it("refuses more words than names unless a rest name collects them, pairs included", () => {
    expect(collectArgs(tokenize("a b c"), { positional: ["x"] })).toBeUndefined();
    expect(collectArgs(tokenize("a b price=1"), { positional: ["x"], rest: "more" })).toEqual({
      x: "a",
      more: ["b", "price=1"],
    });
    expect(collectArgs([], { rest: "words" })).toEqual({ words: [] });
  });
});

describe("defineCommand argument parsing", () => {
  const command = defineCommand({
    name: "size",
    description: "cmd.help.description",
    usage: "cmd.help.usage",
    role: "trader",
    args: z.object({ symbol: z.string().regex(/^[A-Z]+\/[A-Z]+$/), amount: z.coerce.number().positive() }),
    positional: ["symbol", "amount"],
    run: (_ctx, args) => textReply(`${args.symbol} ${args.amount.toFixed(2)}`),
  });

  it("parses words through the schema into typed values", () => {
    expect(command.parse("BTC/USDT 0.5")).toEqual({ ok: true, args: { symbol: "BTC/USDT", amount: 0.5 } });
    expect(command.parse("amount=2 BTC/USDT")).toEqual({ ok: true, args: { symbol: "BTC/USDT", amount: 2 } });
  });

  it("reports a problem for words the schema refuses, too few or too many", () => {
    for (const bad of ["BTC/USDT -1", "btc 1", "BTC/USDT", "BTC/USDT 1 2"])
      expect(command.parse(bad).ok, bad).toBe(false);
  });

  it("takes no arguments at all by default", () => {
    const bare = defineCommand({
      name: "bare",
      description: "cmd.help.description",
      usage: "cmd.help.usage",
      role: "viewer",
      run: () => textReply(""),
    });
    expect(bare.parse("").ok).toBe(true);
    expect(bare.parse("x").ok).toBe(false);
    expect(bare.parse("x=1").ok).toBe(false);
  });

  it("refuses names Telegram or Discord would refuse", () => {
    const spec = {
      description: "cmd.help.description",
      usage: "cmd.help.usage",
      role: "viewer",
      run: () => textReply(""),
    } as const;
    expect(() => defineCommand({ ...spec, name: "Status" })).toThrow(/must match/);
    expect(() => defineCommand({ ...spec, name: "a".repeat(33) })).toThrow(/must match/);
  });
});

describe("parseCommandLine", () => {
  it("splits the name, the bot it is addressed to and the rest", () => {
    expect(parseCommandLine("/Status")).toEqual({ name: "status", args: "" });
    expect(parseCommandLine("/grant@QC_bot  @bob   trader ")).toEqual({
      name: "grant",
      args: "@bob   trader",
      addressedTo: "qc_bot",
    });
    expect(parseCommandLine("/halt\nline two")).toEqual({ name: "halt", args: "line two" });
  });

  it("is undefined for text that is not a command", () => {
    for (const text of ["hello", "/", "/ status", "a /status", "/status-now"])
      expect(parseCommandLine(text), text).toBeUndefined();
  });
});
