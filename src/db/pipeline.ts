/**
 * Fewer round trips per transaction: statements whose answer nobody reads wait and travel with the
 * transaction's next statement in one multi-statement packet (mysql2 `multipleStatements`).
 *   - START TRANSACTION goes with the transaction's first statement;
 *   - a write queued with `RequestContext.later` (an audit row, outbox messages, the outcome's
 *     effects) goes with the next statement, at the latest with COMMIT.
 * The statements still run in the order they were written, on the transaction's connection, so a
 * read sees every write queued before it. What changes is only when a queued write's failure is
 * heard of: with the statement it travelled with. Such an error is reported as a failed queued write
 * (DeferredWriteError) rather than as the later statement's, so no caller mistakes it for its own
 * (a duplicate key it expects, say); a deadlock or lock-wait timeout keeps its code, as the whole
 * unit of work is run again whichever statement met it. A statement with only START TRANSACTION
 * ahead of it hears its own errors. ROLLBACK drops what is queued.
 *
 * The connections accept several statements in one packet, which would let an injected string stack
 * statements of its own; so the driver refuses any SQL text with a semicolon except the batches this
 * file builds (`assertOneStatement`, src/db/data-source.ts). Values travel as parameters: mysql2
 * escapes them after that check, so they may hold anything.
 */
import { QueryResult, QueryRunner } from 'typeorm';

/** Joins the statements of one packet; the statement counter (sql-counter.ts) splits on it. */
export const STATEMENT_SEPARATOR = ';\n';

const KEPT_CODES = new Set(['ER_LOCK_DEADLOCK', 'ER_LOCK_WAIT_TIMEOUT']);

/** A queued write (or START TRANSACTION) failed, or the statement it travelled with did. */
export class DeferredWriteError extends Error {
  readonly code: string;
  constructor(
    readonly statements: string[],
    cause: unknown,
  ) {
    super(`a statement of a batch with queued writes failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    this.code = 'DEFERRED_WRITE_FAILED';
  }
}

/** The batches being sent now (a count each: two transactions may send the same text). */
const sending = new Map<string, number>();

/**
 * The driver's check of every SQL text before it is formatted and sent: one statement, unless it
 * is a batch of this file's. Throws otherwise.
 */
export function assertOneStatement(sql: string): void {
  if (sql.includes(';') && !sending.has(sql) && separatesStatements(sql)) throw new Error('refused: an SQL text with several statements that is not a batch of queued writes');
}

/** Texts already scanned (most are constants of the code): whether a semicolon in them ends a statement. */
const scanned = new Map<string, boolean>();

/** Whether the text has a semicolon outside its quoted strings, identifiers and comments. */
export function separatesStatements(sql: string): boolean {
  const known = scanned.get(sql);
  if (known !== undefined) return known;
  const found = scan(sql);
  if (scanned.size >= 2000) scanned.clear();
  scanned.set(sql, found);
  return found;
}

function scan(sql: string): boolean {
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i]!;
    if (c === ';') return true;
    if (c === "'" || c === '"' || c === '`') {
      // To the closing quote; a doubled quote or a backslash escape stays inside (MariaDB's rules).
      for (i++; i < sql.length; i++) {
        if (sql[i] === '\\' && c !== '`') i++;
        else if (sql[i] === c) {
          if (sql[i + 1] === c) i++;
          else break;
        }
      }
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && /\s/.test(sql[i + 2] ?? ' '))) {
      while (i < sql.length && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*' && sql[i + 2] !== '!' && !(sql[i + 2] === 'M' && sql[i + 3] === '!')) {
      // A comment; an executable one (/*! … */, /*M! … */) is SQL and is scanned as such.
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 1;
    }
  }
  return false;
}

interface Queued {
  sql: string;
  params: unknown[];
}

/**
 * Sends single statements as one multi-statement packet and returns each one's result, in order.
 * A failed statement fails the packet, and the ones after it do not run. A transaction's batches
 * (pipelineQueryRunner below) and reads outside a transaction (src/db/read-batch.ts) both go here.
 */
export async function sendTogether(send: (sql: string, params: unknown[]) => Promise<unknown>, statements: readonly Queued[]): Promise<unknown[]> {
  for (const s of statements) assertOneStatement(s.sql);
  const text = statements.map((s) => s.sql).join(STATEMENT_SEPARATOR);
  sending.set(text, (sending.get(text) ?? 0) + 1);
  try {
    return (await send(
      text,
      statements.flatMap((s) => s.params),
    )) as unknown[];
  } finally {
    const n = sending.get(text)!;
    if (n > 1) sending.set(text, n - 1);
    else sending.delete(text);
  }
}

export interface StatementPipeline {
  /** Queues a statement to travel with the transaction's next one. */
  later(sql: string, params: unknown[]): void;
}

type QueryFn = (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;

/**
 * Makes the query runner's statements travel together as described above. Call it on a fresh query
 * runner, before its transaction starts.
 */
export function pipelineQueryRunner(qr: QueryRunner): StatementPipeline {
  const queued: Queued[] = [];
  const send: QueryFn = qr.query.bind(qr);
  let sent = false;
  // A queued write that failed fails every later statement of its transaction, COMMIT included, so a
  // caller that swallows the error cannot commit the transaction without the writes queued after it.
  // So does a deadlock or lock-wait timeout met by a batch (it keeps its code): what was queued after
  // the statement that met it did not run.
  let failed: unknown = null;
  const query: QueryFn = async (sql, params, structured) => {
    if (sql === 'START TRANSACTION') {
      queued.push({ sql, params: [] });
      sent = false;
      failed = null;
      return undefined;
    }
    if (failed && sql !== 'ROLLBACK') throw failed;
    if (sql === 'ROLLBACK') {
      const started = sent;
      queued.length = 0;
      // Nothing was sent since START TRANSACTION was queued: there is nothing to roll back.
      if (!started) return undefined;
      return send(sql, params, structured);
    }
    sent = true;
    if (queued.length === 0) return send(sql, params, structured);
    assertOneStatement(sql);
    const batch = [...queued.splice(0), { sql, params: params ?? [] }];
    let raw: unknown[];
    try {
      raw = await sendTogether((text, all) => send(text, all), batch);
    } catch (err) {
      const code = (err as { driverError?: { code?: string } })?.driverError?.code ?? (err as { code?: string })?.code ?? '';
      if (KEPT_CODES.has(code)) throw (failed = err);
      // START TRANSACTION alone ahead of it: the error is the statement's own.
      if (batch.length - 1 === (batch[0]!.sql === 'START TRANSACTION' ? 1 : 0)) throw err;
      failed = new DeferredWriteError(
        batch.map((s) => s.sql),
        err,
      );
      throw failed;
    }
    // One result per statement: the caller's is the last.
    const last = raw[batch.length - 1];
    if (!structured) return last;
    const result = new QueryResult();
    result.raw = last;
    if (Array.isArray(last)) result.records = last;
    const affected = (last as { affectedRows?: number } | undefined)?.affectedRows;
    if (affected !== undefined) result.affected = affected;
    return result;
  };
  qr.query = query as QueryRunner['query'];
  return {
    later(sql, params) {
      assertOneStatement(sql);
      queued.push({ sql, params });
    },
  };
}
