/**
 * What differs between exchanges behind ccxt's unified API, in one table, so that the adapter itself
 * has no `if (id === "binance")`. An exchange not listed gets the generic row, which follows ccxt's
 * own conventions.
 */
export interface CcxtQuirks {
  /** ccxt constructor options the adapter needs; the operator's options from strategies.yaml win. */
  readonly defaults: Readonly<Record<string, unknown>>;
  /** The createOrder param that carries our client order id to the exchange. */
  readonly createIdParam: string;
  /** The fetchOrder / cancelOrder param that finds an order by our client order id. */
  readonly lookupIdParam: string;
  /** Minimum order value per quote currency, for exchanges whose market list does not carry it. */
  readonly minNotionalByQuote?: Readonly<Record<string, number>>;
}

const GENERIC: CcxtQuirks = {
  defaults: { options: { defaultType: "spot" } },
  createIdParam: "clientOrderId",
  lookupIdParam: "clientOrderId",
};

const QUIRKS: Readonly<Record<string, CcxtQuirks>> = {
  binance: {
    defaults: {
      options: {
        defaultType: "spot",
        // We trade spot: loading futures and options markets costs two more requests per start.
        fetchMarkets: { types: ["spot"] },
        // Private sapi calls on every loadMarkets, for deposit/withdrawal and margin data we never use.
        fetchCurrencies: false,
        fetchMargins: false,
        // Reconciliation lists open orders of every symbol on purpose; it is rare, so the heavier weight is fine.
        fetchOpenOrders: { warnWithoutSymbol: false },
      },
    },
    // Binance's own names (ccxt also accepts its unified `clientOrderId`).
    createIdParam: "newClientOrderId",
    lookupIdParam: "origClientOrderId",
  },
  upbit: {
    defaults: {},
    createIdParam: "identifier",
    lookupIdParam: "identifier",
    // GET /v1/market/all carries no limits; these are Upbit's published order minimums per market.
    minNotionalByQuote: { KRW: 5000, BTC: 0.00005, USDT: 0.5 },
  },
};

/** @example quirksOf("upbit").lookupIdParam // "identifier" */
export function quirksOf(exchange: string): CcxtQuirks {
  return QUIRKS[exchange] ?? GENERIC;
}
