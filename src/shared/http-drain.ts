/**
 * Shutting an HTTP server down without cutting a request. Node's own `server.close()` also closes
 * every connection that has no request in progress at that instant — including one just accepted
 * whose request is still on its way, which the client then sees reset. Here the listener stops
 * first; each request that reaches a connection afterwards is answered (with `Connection: close`);
 * a kept-alive connection idle between requests is closed at once (as Node does), one that has not
 * sent its first request yet gets the grace period to send it; whatever remains when the timeout
 * ends is destroyed.
 */
import type { Server } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

export interface ConnectionDrain {
  /** Resolves once every connection is gone (at most `timeoutMs`); `graceMs` is how long an idle connection may still send a request. */
  drain(opts: { graceMs: number; timeoutMs: number }): Promise<void>;
}

export function trackConnections(server: Server): ConnectionDrain {
  const inProgress = new Map<Socket, number>();
  const served = new WeakSet<Socket>();
  let draining = false;
  server.on('connection', (socket: Socket) => {
    inProgress.set(socket, 0);
    socket.once('close', () => inProgress.delete(socket));
  });
  server.on('request', (req, res) => {
    const socket = req.socket;
    served.add(socket);
    inProgress.set(socket, (inProgress.get(socket) ?? 0) + 1);
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => inProgress.set(socket, Math.max(0, (inProgress.get(socket) ?? 1) - 1)));
  });
  return {
    async drain({ graceMs, timeoutMs }) {
      draining = true;
      const allClosed = new Promise<void>((resolve) => {
        // The listener only: http.Server#close would also close the idle connections at once.
        if (server.listening) NetServer.prototype.close.call(server, () => resolve());
        else resolve();
      });
      const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());
      const endIdle = (which: (s: Socket) => boolean) => {
        for (const [socket, n] of inProgress) if (n === 0 && which(socket)) socket.end();
      };
      endIdle((s) => served.has(s));
      if (inProgress.size > 0) await Promise.race([allClosed, wait(Math.min(graceMs, timeoutMs))]);
      endIdle(() => true);
      await Promise.race([allClosed, wait(Math.max(0, timeoutMs - graceMs))]);
      for (const socket of inProgress.keys()) socket.destroy();
      await allClosed;
    },
  };
}
