/**
 * The simulators' server kit: listening, JSON with bigint, problem answers and request accessors.
 */
import type { Express, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { bigintReplacer } from '../shared/json';

export interface Served {
  url: string;
  close(): Promise<void>;
}

export async function listen(app: Express, port = 0): Promise<Served> {
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: actual } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Hung (timeoutNext) and keep-alive connections would otherwise keep close() waiting.
        server.closeAllConnections();
      }),
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}
export const bad = (detail: string, title = 'INVALID_REQUEST') => new HttpError(400, title, detail);
export const notFound = (detail: string) => new HttpError(404, 'NOT_FOUND', detail);
export const conflict = (detail: string) => new HttpError(409, 'CONFLICT', detail);

/** Money stays bigint in memory; it becomes a digit string only here, on the wire. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (k, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v instanceof Set ? [...v] : bigintReplacer(k, v)));
}

export function sendJson(res: Response, status: number, body: unknown): void {
  res.status(status).type('application/json').send(toJson(body));
}

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const bodyOf = (req: Request): Json => (isObj(req.body) ? req.body : {});
/** Route parameters (express 5 types them as possibly repeated). */
export const param = (req: Request, name: string): string => String(req.params[name]);
/** A single-valued query parameter, or undefined. */
export const query = (req: Request, name: string): string | undefined => {
  const v = req.query[name];
  return typeof v === 'string' ? v : undefined;
};

export const newId = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;
