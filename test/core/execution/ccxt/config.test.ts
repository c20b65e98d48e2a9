import { afterAll, describe, expect, it } from "vitest";
import { createCcxtAdapter } from "../../../../core/execution/ccxt/index.ts";
import { deepMerge } from "../../../../core/execution/ccxt/instance.ts";
import { startFakeExchange } from "../../../fakes/exchange/index.ts";
import { BINANCE_MARKETS, guardNetwork, localUrls, SECRET } from "./helpers.ts";

const network = guardNetwork();

afterAll(() => {
  network.restore();
  for (const url of network.urls) expect(url.startsWith("http://127.0.0.1:")).toBe(true);
});

describe("building the ccxt client from an account's options", () => {
  it("sandbox: true switches ccxt to urls.test, so the live URLs see nothing", async () => {
    const live = await startFakeExchange({ dialect: "binance", markets: BINANCE_MARKETS });
    const testnet = await startFakeExchange({ dialect: "binance", markets: BINANCE_MARKETS, balances: { USDT: 7 } });
    const adapter = createCcxtAdapter({
      exchange: "binance",
      options: {
        sandbox: true,
        rateLimit: 1,
        urls: { api: localUrls("binance", live.url), test: localUrls("binance", testnet.url) },
      },
      credentials: { apiKey: testnet.apiKey, secret: SECRET },
    });
    try {
      expect((await adapter.fetchBalance()).USDT).toEqual({ free: 7, used: 0 });
      expect(testnet.requests.map((r) => r.path)).toEqual(["/api/v3/exchangeInfo", "/api/v3/account"]);
      expect(live.requests).toEqual([]);
    } finally {
      await adapter.close();
      await Promise.all([live.close(), testnet.close()]);
    }
  });

  it("refuses a sandbox on an exchange ccxt knows none for", () => {
    expect(() => createCcxtAdapter({ exchange: "upbit", options: { sandbox: true } })).toThrow(/upbit has no sandbox/);
  });

  it("refuses keys in the options: they come from the encrypted store only", () => {
    expect(() => createCcxtAdapter({ exchange: "binance", options: { apiKey: "k", secret: SECRET } })).toThrow(
      /apiKey, secret/,
    );
  });

  it("refuses an exchange id ccxt does not have", () => {
    expect(() => createCcxtAdapter({ exchange: "notanexchange", options: {} })).toThrow(
      /unknown ccxt exchange "notanexchange"/,
    );
  });

  it("lets the operator's options win over the adapter's defaults, nested maps merged", () => {
    expect(
      deepMerge(
        { options: { defaultType: "spot", fetchMarkets: { types: ["spot"] } } },
        { options: { fetchMarkets: { types: ["linear"] } } },
      ),
    ).toEqual({
      options: { defaultType: "spot", fetchMarkets: { types: ["linear"] } },
    });
  });
});
