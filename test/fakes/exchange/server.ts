import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Candle } from "../../../core/domain/candle.ts";
import { binance } from "./binance.ts";
import { FakeBook, type FakeMarket, type FakeOrder } from "./book.ts";
import type { Dialect, FakeReply, FakeRequest } from "./dialect.ts";
import { type Fault, FaultQueue } from "./faults.ts";
import { upbit } from "./upbit.ts";

export interface FakeExchangeOptions {
  readonly dialect: "binance" | "upbit";
  /** Markets by unified symbol: { "BTC/USDT": { base: "BTC", quote: "USDT", tickSize: 0.01, ... } }. */
  readonly markets: Readonly<Record<string, FakeMarket>>;
  readonly balances?: Readonly<Record<string, number>>;
  /** Where market orders fill, by unified symbol. */
  readonly prices?: Readonly<Record<string, number>>;
  /** Default 0.001 (Binance's 0.1%) or 0.0005 (Upbit KRW's 0.05%). */
  readonly feeRate?: number;
  /** The one API key private endpoints accept. */
  readonly apiKey?: string;
  readonly now?: () => number;
}

/** One request as the fake received it; `url` is the raw path and query, signature included. */
export interface LoggedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Query and body together. */
  readonly params: Readonly<Record<string, string>>;
  readonly apiKey?: string;
  readonly url: string;
  readonly fault?: Fault;
}

export interface FakeExchange {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly dialect: "binance" | "upbit";
  readonly apiKey: string;
  readonly book: FakeBook;
  readonly requests: readonly LoggedRequest[];
  /** Requests the fake could not route or that crashed it: a test expects none. */
  readonly problems: readonly string[];
  /** Queues a fault for the next request on `route` ("POST /api/v3/order", or a bare path for any method). */
  failNext(route: string, fault: Fault): void;
  /** Routes with faults no request has used yet. */
  pendingFaults(): string[];
  /** Fills a resting order, all of what is left unless `amount` says, at its limit price unless `price` says. */
  fillOrder(clientOrderId: string, fill?: { amount?: number; price?: number }): FakeOrder;
  order(clientOrderId: string): FakeOrder | undefined;
  setPrice(symbol: string, price: number): void;
  setBalance(asset: string, free: number): void;
  setCandles(symbol: string, timeframe: string, candles: readonly Candle[]): void;
  close(): Promise<void>;
}

const DIALECTS: Record<FakeExchangeOptions["dialect"], Dialect> = { binance, upbit };

/**
 * Starts a fake exchange on 127.0.0.1 at a free port, speaking enough of Binance's or Upbit's real REST
 * API for ccxt's own `binance` / `upbit` classes to trade against it, with faults on demand.
 * @example
 * const fake = await startFakeExchange({ dialect: "binance", markets: { "BTC/USDT": btcusdt }, prices: { "BTC/USDT": 50_000 } });
 * fake.failNext("POST /api/v3/order", { dropAfterAccept: true });
 */
export async function startFakeExchange(options: FakeExchangeOptions): Promise<FakeExchange> {
  const dialect = DIALECTS[options.dialect];
  const apiKey = options.apiKey ?? `fake-${options.dialect}-api-key`;
  const book = new FakeBook({
    markets: options.markets,
    balances: options.balances ?? {},
    prices: options.prices ?? {},
    feeRate: options.feeRate ?? (options.dialect === "upbit" ? 0.0005 : 0.001),
    feeIn: dialect.feeIn,
    newOrderId: dialect.newOrderId,
    now: options.now ?? Date.now,
  });
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const problems: string[] = [];
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: (done: boolean) => void }>();

  const wait = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          timers.delete(entry);
          resolve(true);
        }, ms),
        resolve,
      };
      timers.add(entry);
    });

  function handle(request: FakeRequest): FakeReply {
    if (dialect.isPrivate(request.path) && dialect.apiKeyOf(request) !== apiKey) return dialect.errors.auth();
    try {
      const reply = dialect.handle(request, book);
      if (reply.status === 404 && !isOrderNotFound(reply))
        problems.push(`no route for ${request.method} ${request.path}`);
      return reply;
    } catch (error) {
      problems.push(`${request.method} ${request.path}: ${(error as Error).message}`);
      return { status: 500, body: { fake: (error as Error).message } };
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const query = Object.fromEntries(url.searchParams);
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query,
      params: { ...query, ...parseBody(req.headers["content-type"], raw) },
      headers: req.headers,
    };
    const fault = faults.take(request.method, request.path);
    const presented = dialect.apiKeyOf(request);
    requests.push({
      method: request.method,
      path: request.path,
      query,
      params: request.params,
      url: req.url ?? "/",
      ...(presented ? { apiKey: presented } : {}),
      ...(fault ? { fault } : {}),
    });
    if (fault && "status" in fault) {
      const reply = dialect.errors.status(fault.status);
      const retryAfter: Record<string, string> =
        fault.retryAfter === undefined ? {} : { "Retry-After": String(fault.retryAfter) };
      return send(res, { ...reply, headers: { ...reply.headers, ...retryAfter } });
    }
    if (fault && "insufficientFunds" in fault) return send(res, dialect.errors.insufficientFunds());
    if (fault && "invalidOrder" in fault) return send(res, dialect.errors.invalidOrder(fault.invalidOrder));
    if (fault && "timeoutMs" in fault && !(await wait(fault.timeoutMs))) return;
    const reply = handle(request);
    // The work is done, the reply never leaves: the client cannot tell whether the order exists.
    if (fault && "dropAfterAccept" in fault) return void req.socket.destroy();
    send(res, reply);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: Error) => {
      problems.push(`fake exchange crashed: ${error.message}`);
      if (!res.headersSent) send(res, { status: 500, body: { fake: error.message } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    dialect: options.dialect,
    apiKey,
    book,
    requests,
    problems,
    failNext: (route, fault) => faults.add(route, fault),
    pendingFaults: () => faults.pending(),
    fillOrder(clientOrderId, fill = {}) {
      const order = book.orderByClientId(clientOrderId);
      if (!order) throw new Error(`fake exchange: no order ${clientOrderId}`);
      book.fill(order, fill.amount, fill.price);
      return order;
    },
    order: (clientOrderId) => book.orderByClientId(clientOrderId),
    setPrice: (symbol, price) => book.setPrice(symbol, price),
    setBalance: (asset, free) => book.setBalance(asset, free),
    setCandles: (symbol, timeframe, candles) => book.setCandles(symbol, timeframe, candles),
    async close() {
      for (const entry of timers) {
        clearTimeout(entry.timer);
        entry.resolve(false);
      }
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (res.destroyed) return;
  const text = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
  const type = typeof reply.body === "string" ? "text/html" : "application/json;charset=UTF-8";
  res.writeHead(reply.status, { "Content-Type": type, ...reply.headers });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(contentType: string | undefined, raw: string): Record<string, string> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) {
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(raw));
}

function isOrderNotFound(reply: FakeReply): boolean {
  const body = reply.body as { error?: { name?: string } } | undefined;
  return body?.error?.name === "order_not_found" || body?.error?.name === "market_does_not_exist";
}
