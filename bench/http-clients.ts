/**
 * What the benchmarks share: GraphQL clients that run in a worker thread (so the service's event
 * loop serves only the service), percentiles, and the CPU time of the service's own thread.
 */
import { readFileSync } from 'node:fs';

export interface ClientJob {
  url: string;
  key: string;
  /** Request bodies, taken in turn. */
  bodies: string[];
  clients: number;
  /** How long the window lasts; every client sends at least one request. */
  seconds: number;
}

export interface ClientReport {
  seconds: number;
  latencies: number[];
  failures: [string, number][];
}

/** Sends the job's requests from `clients` loops until the window ends; an answer with errors (or none) is a failure. */
export async function runClients(job: ClientJob): Promise<ClientReport> {
  const latencies: number[] = [];
  const failures = new Map<string, number>();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.clients }, async () => {
      for (let sent = 0; sent === 0 || performance.now() - started < job.seconds * 1000; sent++) {
        const body = job.bodies[next++ % job.bodies.length]!;
        const t0 = performance.now();
        let why: string | null = null;
        try {
          const res = await fetch(job.url, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${job.key}` }, body });
          const b = (await res.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
          if (!b.data || b.errors) why = b.errors?.[0]?.extensions?.code ?? String(res.status);
        } catch (err) {
          why = (err as Error).message;
        }
        latencies.push(performance.now() - t0);
        if (why) failures.set(why, (failures.get(why) ?? 0) + 1);
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies, failures: [...failures] };
}

export function percentile(sorted: number[], p: number): number {
  const v = sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  if (v === undefined) throw new Error('no latencies to take a percentile of');
  return v;
}

/** CPU seconds (user + system) of a thread or process from Linux /proc; 0 elsewhere. */
function procCpuSeconds(path: string): number {
  try {
    const stat = readFileSync(path, 'utf8').split(') ')[1];
    if (stat === undefined) return 0;
    const f = stat.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/**
 * CPU seconds the main thread of this process has used: the service's event loop, without the
 * worker threads the benchmarks run their clients and simulators in.
 */
export function mainThreadCpuSeconds(): number {
  return procCpuSeconds(`/proc/self/task/${process.pid}/stat`);
}

/** CPU seconds another process (MariaDB) has used. */
export function processCpuSeconds(pid: number): number {
  return procCpuSeconds(`/proc/${pid}/stat`);
}
