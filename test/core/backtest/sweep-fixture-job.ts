// A stand-in job module for ProcessPool tests: no backtest, just arithmetic, a shuffled finishing
// order, a throw and a crash on request.

let factor = 0;
let blob: string | undefined;

export function setup(init: { factor: number; failSetup?: boolean }): void {
  if (init.failSetup) throw new Error("cannot open the store\nsecond line");
  factor = init.factor;
}

export async function run(job: {
  x: number;
  kind?: "throw" | "crash";
  blob?: string;
}): Promise<{ y: number; pid: number; blob?: string }> {
  if (job.kind === "throw") throw new Error(`bad job ${job.x}`);
  if (job.blob !== undefined) blob = job.blob;
  if (job.kind === "crash") process.exit(3);
  // Odd jobs take longer, so with several workers they finish out of order.
  await new Promise((resolve) => setTimeout(resolve, job.x % 2 === 1 ? 30 : 1));
  return { y: job.x * factor, pid: process.pid, blob };
}
