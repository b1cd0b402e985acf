/**
 * The service under test as a child process (`node dist/src/main.js`), black box: it is reached
 * only over HTTP, on one fixed port for the campaign's life so the simulators' webhooks reach every
 * restart. A death is detected (exit code or signal) and, like a supervisor would, answered by a
 * restart; a SIGKILL the campaign did not send is counted as a crash (a fault point fired).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, WriteStream } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const MAIN_JS = path.resolve(__dirname, '..', '..', 'src', 'main.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

export interface Life {
  n: number;
  faultPoints: string;
  startedAt: number;
  exit?: { code: number | null; signal: NodeJS.Signals | null; expected: boolean };
}

export class ServiceProcess {
  readonly url: string;
  readonly lives: Life[] = [];
  crashes = 0;
  /** Deaths the campaign did not ask for that were not a SIGKILL (a bug, or a failed start). */
  unexpectedExits = 0;
  private child: ChildProcess | undefined;
  private current: Life | undefined;
  private log: WriteStream;
  private stopping = false;
  private restarting: Promise<void> | undefined;
  /** The fault points of the life after an unrequested death (one spec per life, then none). */
  private nextSpecs: string[] = [];

  constructor(
    private readonly port: number,
    private readonly env: Record<string, string>,
    logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get alive(): boolean {
    return this.child !== undefined && this.current?.exit === undefined;
  }

  get life(): Life | undefined {
    return this.current;
  }

  /** Starts a life with these fault points; `after` are used, one per life, for restarts after deaths. */
  async start(faultPoints = '', after: string[] = []): Promise<void> {
    if (this.alive) throw new Error('service already running');
    this.nextSpecs = [...after];
    await this.spawnLife(faultPoints);
  }

  private async spawnLife(faultPoints: string): Promise<void> {
    const life: Life = { n: this.lives.length + 1, faultPoints, startedAt: Date.now() };
    this.lives.push(life);
    this.current = life;
    this.log.write(`\n===== life ${life.n} TEST_FAULT_POINTS=${faultPoints || '-'} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, [MAIN_JS], {
      env: { ...this.env, PORT: String(this.port), ...(faultPoints ? { TEST_FAULT_POINTS: faultPoints } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.pipe(this.log, { end: false });
    child.stderr!.pipe(this.log, { end: false });
    child.on('exit', (code, signal) => {
      const expected = this.stopping;
      life.exit = { code, signal, expected };
      this.log.write(`===== life ${life.n} exited code=${code} signal=${signal}${expected ? ' (stopped by the campaign)' : ''}\n`);
      if (this.child === child) this.child = undefined;
      if (expected) return;
      if (signal === 'SIGKILL') this.crashes++;
      else this.unexpectedExits++;
      // A supervisor restarts the service at once; the webhook senders find it on the same port.
      const restart: Promise<void> = this.spawnLife(this.nextSpecs.shift() ?? '')
        .catch((err) => {
          this.log.write(`===== restart failed: ${String(err)}\n`);
        })
        .finally(() => {
          if (this.restarting === restart) this.restarting = undefined;
        });
      this.restarting = restart;
    });
    await this.waitReady(life, 60_000);
  }

  /** Resolves when /readyz answers 200 (or rejects when the life died first or time ran out). */
  private async waitReady(life: Life, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (life.exit) {
        if (life.exit.signal === 'SIGKILL') return; // died of a fault point during start-up: the exit handler restarts it
        throw new Error(`service life ${life.n} exited during start-up (code ${life.exit.code}); see the service log`);
      }
      if (await this.answersReady()) return;
      await sleep(50);
    }
    throw new Error(`service life ${life.n} not ready after ${timeoutMs} ms`);
  }

  /** The running service answers /readyz with 200 (false while it is not listening or not ready). */
  private async answersReady(): Promise<boolean> {
    try {
      const res = await fetch(`${this.url}/readyz`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** Waits until a service answers /readyz (restarting one if none is running). */
  async ensureUp(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.restarting) await this.restarting;
      if (!this.child && !this.restarting) await this.spawnLife(this.nextSpecs.shift() ?? '');
      if (this.alive && (await this.answersReady())) return;
      await sleep(50);
    }
    throw new Error('service did not come back');
  }

  /** Stops the current life (SIGTERM, then SIGKILL after a grace period); no restart follows. */
  async stop(): Promise<void> {
    if (this.restarting) await this.restarting;
    this.nextSpecs = [];
    const child = this.child;
    if (!child || this.current?.exit) return;
    this.stopping = true;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(t);
    this.stopping = false;
    this.child = undefined;
  }

  /** A new life with these fault points (after stopping the current one). */
  async restart(faultPoints = '', after: string[] = []): Promise<void> {
    await this.stop();
    await this.start(faultPoints, after);
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise<void>((r) => this.log.end(() => r()));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
