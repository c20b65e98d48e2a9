import { WorkerClient, type WorkerClientOptions } from "./worker-client.ts";

interface Slot {
  client: WorkerClient | undefined;
  starting: Promise<WorkerClient> | undefined;
  /** Instances being placed here right now, not yet in client.instances. */
  placing: number;
}

/**
 * A fixed number of worker slots, each empty or holding a (starting or live) worker process. Placement is
 * decided synchronously, so concurrent creations spread over the slots instead of racing into one.
 * @example const worker = await slots.acquire(); try { ... } finally { slots.release(worker) }
 */
export class WorkerSlots {
  private readonly slots: Slot[];

  constructor(
    count: number,
    private readonly options: () => WorkerClientOptions,
    private readonly onExit: (worker: WorkerClient) => void,
  ) {
    this.slots = Array.from({ length: Math.max(1, count) }, () => ({
      client: undefined,
      starting: undefined,
      placing: 0,
    }));
  }

  /** The least loaded worker, started if its slot is empty or its worker died. Pair with `placed`. */
  async acquire(): Promise<WorkerClient> {
    const slot = this.leastLoaded();
    slot.placing++;
    try {
      if (slot.client?.alive) return slot.client;
      slot.starting ??= this.start(slot);
      return await slot.starting;
    } catch (error) {
      slot.placing--;
      throw error;
    }
  }

  /** The placement that `acquire` began is over (the instance is in worker.instances, or gave up). */
  placed(worker: WorkerClient): void {
    const slot = this.slots.find((s) => s.client === worker);
    if (slot && slot.placing > 0) slot.placing--;
  }

  /** Live workers' process ids, for stats. */
  pids(): (number | undefined)[] {
    return this.slots.filter((s) => s.client?.alive).map((s) => s.client?.pid);
  }

  async closeAll(): Promise<void> {
    const clients = await Promise.all(
      this.slots.map((s) => (s.starting ?? Promise.resolve(s.client)).catch(() => undefined)),
    );
    await Promise.all(clients.map((c) => c?.close()));
  }

  private leastLoaded(): Slot {
    const load = (s: Slot) => (s.client?.alive ? s.client.instances.size : 0) + s.placing;
    let best = this.slots[0] as Slot;
    for (const slot of this.slots) if (load(slot) < load(best)) best = slot;
    return best;
  }

  private async start(slot: Slot): Promise<WorkerClient> {
    try {
      const client = await WorkerClient.start(this.options());
      slot.client = client;
      client.onExit(() => this.onExit(client));
      return client;
    } finally {
      slot.starting = undefined;
    }
  }
}
