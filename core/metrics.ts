import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/**
 * The process's Prometheus metrics, on a registry of our own rather than prom-client's global one, so
 * tests and several engines in one process never share counters.
 */
export interface EngineMetrics {
  readonly registry: Registry;
  readonly candlesPublished: Counter<"source">;
  readonly busPending: Gauge;
}

/** @example const metrics = createMetrics(); await metrics.registry.metrics() */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): EngineMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: "quantchat_" });
  return {
    registry,
    candlesPublished: new Counter({
      name: "quantchat_candles_published_total",
      help: "Closed candles published on the bus, by feed source",
      labelNames: ["source"],
      registers: [registry],
    }),
    busPending: new Gauge({
      name: "quantchat_bus_pending_events",
      help: "Events published on the bus and not yet handled",
      registers: [registry],
    }),
  };
}
