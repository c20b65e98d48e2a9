import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness } from "../harness.ts";

const ADMIN = 1;
const MINSU = 70;

describe("Korean replies", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ roles: { [ADMIN]: "admin" } });
  }, 120_000);
  afterAll(async () => h?.close());

  it("answers in Korean from the client's language_code on first contact", async () => {
    const refusal = plain(onlyMessage(await h.say(MINSU, "/start", { languageCode: "ko-KR", username: "minsu" })));
    expect(refusal).toBe("이 봇을 사용할 권한이 없습니다.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/grant @minsu viewer")))).toBe("@minsu now has the viewer role.");

    const status = plain(onlyMessage(await h.say(MINSU, "/status", { languageCode: "ko-KR", username: "minsu" })));
    const engine = h.engine.engine.status();
    const startedAt = new Date(engine.startedAt!).toISOString().slice(0, 16).replace("T", " ");
    expect(status).toContain("quantchat 상태");
    expect(status).toContain(`엔진: 실행 중 (시작 ${startedAt} UTC)`);
    expect(status).toContain("거래: ACTIVE (정상)");
    expect(status).toMatch(/보유 포지션\s+전략\s+종목\s+수량\s+진입가\s+평가손익/);
    for (const p of engine.accounts.flatMap((a) => a.positions)) {
      expect(status).toMatch(new RegExp(`${p.strategyId}\\s+${p.symbol.replace("/", "\\/")}\\s`));
    }

    const help = plain(onlyMessage(await h.say(MINSU, "/help")));
    expect(help).toContain("사용할 수 있는 명령");
    expect(help).toContain("/whoami — 내 신원, 역할, 언어");

    const whoami = plain(onlyMessage(await h.say(MINSU, "/whoami")));
    expect(whoami).toMatch(/역할\s+viewer\(조회\)/);
    expect(whoami).toMatch(/언어\s+한국어/);
    expect(plain(onlyMessage(await h.say(MINSU, "/lang fr")))).toBe("사용법: /lang [en|ko]");
    expect(plain(onlyMessage(await h.say(MINSU, "/halt")))).toBe("이 명령은 admin(관리) 역할이 필요합니다.");
  });

  it("switches an English user to Korean with /lang ko, buttons included, and back", async () => {
    expect(plain(onlyMessage(await h.say(ADMIN, "/lang ko")))).toBe("언어를 바꿨습니다: 한국어");
    const question = onlyMessage(await h.say(ADMIN, "/halt"));
    expect(plain(question)).toBe("모든 거래를 정지할까요? /resume 전까지 새 주문을 보내지 않습니다.");
    expect(buttonsOf(question).map((b) => b.text)).toEqual(["확인", "취소"]);
    expect(plain(onlyMessage(await h.press(ADMIN, question, "취소")))).toBe("취소했습니다.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/notify")))).toBe("이 채팅의 알림이 꺼져 있습니다.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/lang en")))).toBe("Language set to English.");
    expect(plain(onlyMessage(await h.say(ADMIN, "/notify")))).toBe("Notifications are off for this chat.");
  });

  it("left the fake nothing to complain about", () => {
    expect(h.fake.problems).toEqual([]);
  });
});
