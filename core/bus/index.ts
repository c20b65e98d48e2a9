export type { Bus, BusEndpoints, Endpoint, Handler, Unsubscribe } from "./bus.ts";
export type * from "./events.ts";
export { MemoryBus } from "./memory-bus.ts";
