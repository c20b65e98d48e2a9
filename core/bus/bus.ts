import type { BusEvents, BusTopic } from "./events.ts";

export type Handler<T extends BusTopic> = (payload: BusEvents[T]) => void | Promise<void>;
export type Unsubscribe = () => void;

/**
 * Request/reply endpoints: a command sent to one named handler that answers. Kept as a separate map
 * from events because a command has exactly one handler and an answer, an event any number and none.
 */
// biome-ignore lint/suspicious/noEmptyInterface: endpoints are added by the issues that need them
export interface BusEndpoints {}
export type Endpoint = keyof BusEndpoints;
type EndpointShape = { request: unknown; reply: unknown };
type RequestOf<E extends Endpoint> = BusEndpoints[E] extends EndpointShape ? BusEndpoints[E]["request"] : never;
type ReplyOf<E extends Endpoint> = BusEndpoints[E] extends EndpointShape ? BusEndpoints[E]["reply"] : never;

/**
 * The one interface every bus implements: in-process by default, Redis in scaled mode. Handlers are
 * async and payloads serialisable, so nothing here assumes the subscriber shares our memory.
 */
export interface Bus {
  /** Delivers `payload` to every subscriber of `topic`; resolves once it is handed over, not handled. */
  publish<T extends BusTopic>(topic: T, payload: BusEvents[T]): Promise<void>;
  subscribe<T extends BusTopic>(topic: T, handler: Handler<T>): Unsubscribe;
  /**
   * False when nothing could receive `topic` now (an in-process bus nobody subscribed to it on), so a
   * publisher may skip building the event. A bus that cannot know (a remote one) leaves it out.
   */
  listens?(topic: BusTopic): boolean;
  /** Registers the single handler of a request/reply endpoint. */
  handle<E extends Endpoint>(endpoint: E, handler: (request: RequestOf<E>) => Promise<ReplyOf<E>>): Unsubscribe;
  request<E extends Endpoint>(
    endpoint: E,
    request: RequestOf<E>,
    options?: { timeoutMs?: number },
  ): Promise<ReplyOf<E>>;
  /** Resolves when every event published so far has been handled. */
  drain(): Promise<void>;
  close(): Promise<void>;
  /** For /health: whether the bus accepts events, and how many are waiting. */
  status(): { readonly state: "open" | "closed"; readonly pending: number; readonly kind: string };
}
