import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEngine, type TestEngine } from "../engine-fixture.ts";
import { buttonsOf, type Harness, onlyMessage, plain, startHarness, textOf } from "../harness.ts";

const KO = 7;

// A Korean client's user reads the trading commands in Korean; what they type stays as it is.
describe("trading commands in Korean", () => {
  let t: TestEngine;
  let h: Harness;
  const ko = { languageCode: "ko" };
  beforeAll(async () => {
    t = await startTestEngine();
    h = await startHarness({
      roles: { [KO]: "trader" },
      engine: t,
    });
    await h.say(KO, "/lang ko", ko);
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await t?.close();
  });

  it("/balance and /positions", async () => {
    expect(plain(onlyMessage(await h.say(KO, "/balance", ko)))).toMatch(
      /^잔고\n\npaper \(binance, paper\): 평가액 [\d,.]+ USDT, 현금 [\d,.]+ USDT, 최고 [\d,.]+ USDT\n\n통화\s+가용\s+사용률/,
    );
    const positions = onlyMessage(await h.say(KO, "/positions", ko));
    expect(plain(positions)).toMatch(/^보유 포지션\n\n전략\s+종목\s+수량\s+진입가\s+현재가\s+평가손익/);
    expect(buttonsOf(positions).map((b) => b.text)).toEqual(["새로 고침", "전체 청산"]);
  });

  it("/buy asks and answers in Korean", async () => {
    const asked = onlyMessage(await h.say(KO, "/buy BTC/USDT 0.01", ko));
    expect(plain(asked)).toMatch(/^paper 계정에서 BTC\/USDT 0\.01개를 약 [\d,.]+에 매수할까요 \(≈ [\d,.]+ USDT\)\?/);
    expect(buttonsOf(asked).map((b) => b.text)).toEqual(["확인", "취소"]);
    expect(plain(onlyMessage(await h.press(KO, asked, "확인", ko)))).toMatch(
      /^매수 BTC\/USDT 0\.01개가 [\d,.]+에 체결되었습니다 \(주문 filled\)\.$/,
    );
  });

  it("/pnl with its chart caption, and the usage line", async () => {
    const calls = await h.say(KO, "/pnl week", ko);
    expect(textOf(calls)).toMatch(/^손익, 최근 7일\n\npaper: 2020-12-10 \d\d:00 UTC ~ 2020-12-17 15:00 UTC\n평가액: /);
    expect(plain(calls.find((c) => c.method === "sendPhoto")!)).toBe("paper 평가액, 최근 7일");
    expect(plain(onlyMessage(await h.say(KO, "/pnl year", ko)))).toBe("사용법: /pnl [day|week|month|all]");
  });
});
