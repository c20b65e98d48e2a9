import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listAudit } from "../../../core/store/repositories/audit.ts";
import { grantRole, revokeRole } from "../../../core/store/repositories/roles.ts";
import { getTradingState } from "../../../core/store/repositories/trading-state.ts";
import { findUserByIdentity } from "../../../core/store/repositories/users.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

const ALICE = 1;
const BOB = 2;
const VIEWER = 3;
const GROUP = -1_001;

async function state(h: Harness) {
  return (await getTradingState(h.store.db))?.state ?? "ACTIVE";
}

describe("confirmation buttons", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roles: { [ALICE]: "admin", [BOB]: "admin", [VIEWER]: "viewer" } });
  }, 120_000);
  afterAll(async () => h?.close());

  it("Cancel closes the question and changes nothing", async () => {
    const question = onlyMessage(await h.say(ALICE, "/halt"));
    const cancelled = onlyMessage(await h.press(ALICE, question, "Cancel"));
    expect(cancelled.method).toBe("editMessageText");
    expect(plain(cancelled)).toBe("Cancelled.");
    expect(await state(h)).toBe("ACTIVE");
    // The answer was single use: the same button now reads as expired.
    expect(plain(onlyMessage(await h.press(ALICE, question, "Confirm")))).toBe(
      "This confirmation has expired. Run the command again.",
    );
    expect(await state(h)).toBe("ACTIVE");
  });

  it("refuses an expired question", async () => {
    const question = onlyMessage(await h.say(ALICE, "/halt"));
    h.clock.set(h.clock.now() + 2 * 60_000 + 1);
    const answer = await h.press(ALICE, question, "Confirm");
    expect(plain(onlyMessage(answer))).toBe("This confirmation has expired. Run the command again.");
    expect(answer.some((c) => c.method === "answerCallbackQuery" && c.ok)).toBe(true);
    expect(await state(h)).toBe("ACTIVE");
  });

  it("refuses someone else's question in a group with a pop-up, leaving it for the asker", async () => {
    const question = onlyMessage(await h.say(ALICE, "/halt", { chatId: GROUP }));
    for (const other of [BOB, VIEWER, 999]) {
      const answer = await h.press(other, question, "Confirm", { chatType: "group" });
      const popup = answer.find((c) => c.method === "answerCallbackQuery");
      expect(popup?.payload).toMatchObject({ show_alert: true });
      expect(["This button is not for you.", "You are not allowed to use this bot."]).toContain(popup?.payload.text);
      expect(answer.filter((c) => c.method !== "answerCallbackQuery")).toEqual([]); // the message is untouched
    }
    expect(await state(h)).toBe("ACTIVE");
    const denied = await listAudit(h.store.db, { action: "halt", outcome: "denied", actor: `telegram:${BOB}` });
    expect(denied).toHaveLength(1);
    // The asker can still answer.
    const done = onlyMessage(await h.press(ALICE, question, "Confirm", { chatType: "group" }));
    expect(plain(done)).toBe("Trading state is now HALTED.");
    expect(await state(h)).toBe("HALTED");
  });

  it("refuses a forged token", async () => {
    const question = onlyMessage(await h.say(ALICE, "/resume"));
    const forged = {
      ...question,
      payload: {
        ...question.payload,
        reply_markup: { inline_keyboard: [[{ text: "Confirm", callback_data: "y|AAAAAAAAAAAAAAAA" }]] },
      },
    };
    expect(plain(onlyMessage(await h.press(ALICE, forged, "Confirm")))).toBe(
      "This confirmation has expired. Run the command again.",
    );
    expect(await state(h)).toBe("HALTED");
    expect(plain(onlyMessage(await h.press(ALICE, question, "Confirm")))).toBe("Trading state is now ACTIVE.");
  });

  it("checks the role again on Confirm: a role lowered or revoked meanwhile is refused", async () => {
    const bob = await findUserByIdentity(h.store.db, { platform: "telegram", platformUserId: String(BOB) });
    const lowered = onlyMessage(await h.say(BOB, "/halt"));
    const revoked = onlyMessage(await h.say(BOB, "/reduce"));
    await grantRole(h.store.db, { userId: bob!.id, role: "viewer", grantedBy: "test", grantedAt: h.clock.now() });
    await revokeRole(h.store.db, bob!.id, "admin");
    expect(plain(onlyMessage(await h.press(BOB, lowered, "Confirm")))).toBe("This command needs the admin role.");
    expect(await state(h)).toBe("ACTIVE");
    await revokeRole(h.store.db, bob!.id, "viewer");
    const answer = await h.press(BOB, revoked, "Confirm");
    expect(answer.find((c) => c.method === "answerCallbackQuery")?.payload.text).toBe(
      "You are not allowed to use this bot.",
    );
    expect(await state(h)).toBe("ACTIVE");
  });

  it("carries only an opaque token in the button", async () => {
    const question = onlyMessage(
      await h.say(ALICE, "/halt because the reason is long and should never be in a button"),
    );
    for (const button of buttonsOf(question)) {
      expect(button.callback_data).toMatch(/^[yn]\|[A-Za-z0-9_-]{16}$/);
    }
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
