import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUILTIN_COMMANDS } from "../../../bot/commands/builtin/index.ts";
import { defineCommand } from "../../../bot/commands/define.ts";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import type { Role } from "../../../core/store/repositories/roles.ts";
import { type Harness, onlyMessage, plain, startHarness, textOf } from "../harness.ts";

const boom = defineCommand({
  name: "boom",
  description: "cmd.help.description",
  usage: "cmd.help.usage",
  role: "viewer",
  audit: true,
  run() {
    throw new Error("database password is hunter2 at /srv/quantchat/core.ts:42");
  },
});

const ROLE_OF: Record<number, Role> = { 1: "admin", 2: "trader", 3: "viewer" };
const USER_OF: Record<Role, number> = { admin: 1, trader: 2, viewer: 3 };

// A valid invocation of each built command against the harness's engine (strategies btc-fast-cross and
// eth-cross), so that "allowed" means the command really ran.
const LINES: Record<string, string> = {
  start: "/start",
  help: "/help",
  status: "/status",
  balance: "/balance",
  positions: "/positions",
  orders: "/orders 3",
  trades: "/trades 3",
  pnl: "/pnl week",
  daily: "/daily 7",
  performance: "/performance",
  strategies: "/strategies",
  strategy: "/strategy btc-fast-cross",
  chart: "/chart BTC/USDT 1h",
  risk: "/risk",
  run: "/run btc-fast-cross",
  stop: "/stop btc-fast-cross",
  set: "/set btc-fast-cross fast=5",
  backtest: "/backtest sma-cross BTC/USDT 1h 30d fast=5",
  buy: "/buy BTC/USDT 0.01",
  sell: "/sell BTC/USDT 0.01",
  close: "/close all",
  plugins: "/plugins",
  notify: "/notify",
  whoami: "/whoami",
  lang: "/lang",
  halt: "/halt",
  reduce: "/reduce",
  resume: "/resume",
  grant: "/grant 77 viewer",
  revoke: "/revoke 77 trader",
};

describe("roles, refusals, usage lines and errors", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roles: ROLE_OF, commands: [...BUILTIN_COMMANDS, boom] });
  }, 120_000);
  afterAll(async () => h?.close());

  it("has a test line for every built command", () => {
    expect(Object.keys(LINES).sort()).toEqual(BUILTIN_COMMANDS.map((c) => c.name).sort());
  });

  for (const role of ["viewer", "trader", "admin"] as const) {
    it(`runs exactly the commands a ${role} may use and refuses the rest`, async () => {
      for (const command of BUILTIN_COMMANDS) {
        const calls = await h.say(USER_OF[role], LINES[command.name]!);
        const allowed =
          ["viewer", "trader", "admin"].indexOf(role) >= ["viewer", "trader", "admin"].indexOf(command.role);
        if (allowed) {
          // Charts come as photos (their text is a caption) and /backtest may edit a progress message.
          const text = textOf(calls);
          expect(text, `/${command.name} as ${role}`).not.toBe("");
          expect(text, `/${command.name} as ${role}`).not.toMatch(
            /needs the|not allowed|Usage:|went wrong|not available/,
          );
        } else {
          expect(plain(onlyMessage(calls)), `/${command.name} as ${role}`).toBe(
            `This command needs the ${command.role} role.`,
          );
        }
      }
      const denied = await listAudit(h.store.db, { actor: `telegram:${USER_OF[role]}`, outcome: "denied" });
      const rank = (r: Role) => ["viewer", "trader", "admin"].indexOf(r);
      const refused = BUILTIN_COMMANDS.filter((c) => rank(c.role) > rank(role)).map((c) => c.name);
      expect(denied.map((a) => a.action).sort()).toEqual(refused.sort());
    });
  }

  it("refuses an unknown user with the short text, whatever they send, and audits each attempt", async () => {
    for (const line of ["/status", "/start", "/halt now", "/nosuchcommand", "hello"]) {
      const calls = await h.say(900, line, { username: "stranger" });
      expect(plain(onlyMessage(calls))).toBe("You are not allowed to use this bot.");
    }
    const audit = await listAudit(h.store.db, { actor: "telegram:900", order: "asc" });
    expect(audit.map((a) => [a.action, a.outcome])).toEqual([
      ["status", "denied"],
      ["start", "denied"],
      ["halt", "denied"],
      ["nosuchcommand", "denied"],
      ["message", "denied"],
    ]);
    expect(audit[0]!.detail).toEqual({ chat: "900", reason: "no role" });
  });

  it("refuses an unknown Korean user in Korean", async () => {
    const calls = await h.say(901, "/status", { languageCode: "ko" });
    expect(plain(onlyMessage(calls))).toBe("이 봇을 사용할 권한이 없습니다.");
  });

  it("answers bad arguments with the usage line and nothing else", async () => {
    const cases: [string, string][] = [
      ["/grant 12", "Usage: /grant <user id|@username> <viewer|trader|admin>"],
      ["/grant @bob superuser", "Usage: /grant <user id|@username> <viewer|trader|admin>"],
      ["/grant @bob viewer force=yes", "Usage: /grant <user id|@username> <viewer|trader|admin>"],
      ["/grant bob trader", "Usage: /grant <user id|@username> <viewer|trader|admin>"],
      ["/revoke 12 trader extra", "Usage: /revoke <user id|@username> [viewer|trader|admin]"],
      ["/lang fr", "Usage: /lang [en|ko]"],
      ["/status verbose", "Usage: /status"],
      ["/whoami x=1", "Usage: /whoami"],
    ];
    for (const [line, usage] of cases) expect(plain(onlyMessage(await h.say(1, line))), line).toBe(usage);
  });

  it("answers an unknown command of a known user with a pointer to /help", async () => {
    expect(plain(onlyMessage(await h.say(3, "/balances")))).toBe("Unknown command /balances. Send /help for the list.");
  });

  it("replies with a generic error when a command throws, logs the cause, audits it and keeps going", async () => {
    const text = plain(onlyMessage(await h.say(3, "/boom")));
    expect(text).toBe("Something went wrong. The error was logged.");
    expect(text).not.toContain("hunter2");
    const logged = h.logs.find((l) => l.msg === "command failed");
    expect(logged?.level).toBe(50);
    expect(logged?.err?.message).toContain("hunter2");
    expect(logged?.command).toBe("boom");
    const [entry] = await listAudit(h.store.db, { action: "boom" });
    expect(entry?.outcome).toBe("error");
    expect(plain(onlyMessage(await h.say(3, "/whoami")))).toMatch(/Role\s+viewer/);
  });

  it("answers commands addressed to it, ignores those for other bots and group chatter", async () => {
    expect(await h.say(3, "/status@some_other_bot")).toEqual([]);
    expect(plain(onlyMessage(await h.say(3, "/whoami@quantchat_test_bot")))).toMatch(/Role\s+viewer/);
    expect(await h.say(3, "nice chart everyone", { chatId: -100500 })).toEqual([]);
    const inGroup = onlyMessage(await h.say(3, "/whoami", { chatId: -100500 }));
    expect(inGroup.payload.chat_id).toBe(-100500);
    expect(plain(inGroup)).toMatch(/Chat id\s+-100500/);
    expect(plain(onlyMessage(await h.say(3, "hi bot")))).toBe("Send /help to see what you can do.");
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
