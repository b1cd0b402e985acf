/**
 * Several replicas of the service behind one address, as a load balancer shows them: each replica
 * a child process (ServiceProcess) with its own DATABASE_URL (a node of a cluster), every request —
 * GraphQL or webhook — sent to the next replica in turn, or to another when that one does not
 * answer (stopped, restarting). The campaign drives it exactly as it drives one ServiceProcess.
 */
import http from 'node:http';
import path from 'node:path';
import { freePort, Life, ServiceProcess } from './service';

export class ReplicaSet {
  readonly url: string;
  readonly replicas: ServiceProcess[] = [];
  private balancer: http.Server | undefined;
  private exitsOnLostNode = 0;

  private constructor(
    port: number,
    private readonly envs: Record<string, string>[],
  ) {
    this.url = `http://127.0.0.1:${port}`;
  }

  /** One replica per database URL, each logging to service-<n>.log in `logDir`; the balancer listens on `port`. */
  static async create(port: number, env: Record<string, string>, databaseUrls: string[], logDir: string): Promise<ReplicaSet> {
    const set = new ReplicaSet(
      port,
      databaseUrls.map((u) => ({ ...env, DATABASE_URL: u })),
    );
    for (let i = 0; i < databaseUrls.length; i++) set.replicas.push(new ServiceProcess(await freePort(), set.envs[i]!, path.join(logDir, `service-${i + 1}.log`)));
    set.balancer = await startBalancer(port, () => set.replicas.map((r) => r.url));
    return set;
  }

  get lives(): Life[] {
    return this.replicas.flatMap((r) => r.lives);
  }
  get crashes(): number {
    return this.replicas.reduce((n, r) => n + r.crashes, 0);
  }
  /** Deaths nobody asked for, except lives that could not reach a database node that was being lost (see moveReplica). */
  get unexpectedExits(): number {
    return this.replicas.reduce((n, r) => n + r.unexpectedExits, 0) - this.exitsOnLostNode;
  }
  get alive(): boolean {
    return this.replicas.every((r) => r.alive);
  }
  /** The replicas' current lives as one: fault points if any has them, started when the oldest started. */
  get life(): Life | undefined {
    const lives = this.replicas.map((r) => r.life).filter((l): l is Life => l !== undefined);
    if (!lives.length) return undefined;
    return { n: lives.length, faultPoints: lives.map((l) => l.faultPoints).find((f) => f) ?? '', startedAt: Math.min(...lives.map((l) => l.startedAt)) };
  }

  /** Starts the replicas one after another (the first applies the migrations). */
  async start(faultPoints = '', after: string[] = []): Promise<void> {
    for (const r of this.replicas) await r.start(faultPoints, after);
  }
  async restart(faultPoints = '', after: string[] = []): Promise<void> {
    await this.stop();
    await this.start(faultPoints, after);
  }
  async ensureUp(timeoutMs = 60_000): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.ensureUp(timeoutMs)));
  }
  async stop(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.stop()));
  }
  async close(): Promise<void> {
    await Promise.all(this.replicas.map((r) => r.close()));
    await new Promise<void>((r) => (this.balancer ? this.balancer.close(() => r()) : r()));
  }

  /**
   * Replica `i` loses its database node (`loseNode`) and moves to another one: from now on every
   * start of it — the campaign's or the supervisor's after a crash — uses `databaseUrl`; it is
   * stopped and started again there. A life that was starting on the lost node exits at once (it
   * cannot connect, and says so): that is the node's loss, not counted as an unexpected exit.
   */
  async moveReplica(i: number, databaseUrl: string, loseNode: () => Promise<void>): Promise<void> {
    const r = this.replicas[i]!; // i < replicas.length
    this.envs[i]!.DATABASE_URL = databaseUrl;
    const before = r.unexpectedExits;
    await loseNode();
    await r.stop();
    await r.start('');
    this.exitsOnLostNode += r.unexpectedExits - before;
  }
}

/**
 * A round-robin HTTP balancer on `port` over the service URLs `targets()` gives at each request: a
 * request that a target refuses (not listening: stopped, restarting) goes to the next one.
 */
export async function startBalancer(port: number, targets: () => string[]): Promise<http.Server> {
  let next = 0;
  const server = http.createServer((req, res) => void forward(req, res));
  const forward = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const urls = targets();
    const start = next++;
    for (let k = 0; k < urls.length; k++) {
      const target = new URL(urls[(start + k) % urls.length]!);
      const answered = await new Promise<boolean>((resolve) => {
        const up = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (ur) => {
          res.writeHead(ur.statusCode ?? 502, ur.headers);
          ur.pipe(res);
          ur.on('end', () => resolve(true));
          ur.on('error', () => resolve(true));
        });
        up.on('error', () => resolve(res.headersSent));
        up.end(body);
      });
      if (answered) return;
    }
    if (!res.headersSent) res.writeHead(502).end();
    else res.destroy();
  };
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return server;
}
