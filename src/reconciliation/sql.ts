import { RequestContext } from '../db/context';

/**
 * Runs SQL written with `:name` placeholders (clearer than positional `?` in long statements).
 * Arrays expand to `?, ?, …` for IN lists; bigint goes over as its decimal string.
 */
export async function sql<T = Record<string, unknown>>(ctx: RequestContext, text: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const [query, values] = bind(text, params);
  return ctx.manager.query(query, values);
}

/** The one row of a query that always returns exactly one (an aggregate without GROUP BY). */
export async function sqlRow<T = Record<string, unknown>>(ctx: RequestContext, text: string, params: Record<string, unknown> = {}): Promise<T> {
  const [row] = await sql<T>(ctx, text, params);
  if (row === undefined) throw new Error(`expected one row from: ${text.slice(0, 80)}`);
  return row;
}

export function bind(text: string, params: Record<string, unknown>): [string, unknown[]] {
  const values: unknown[] = [];
  const query = text.replace(/(?<![:\w]):([a-zA-Z]\w*)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`missing SQL parameter :${name}`);
    const v = params[name];
    if (Array.isArray(v)) {
      if (v.length === 0) return 'NULL';
      values.push(...v.map(toSql));
      return v.map(() => '?').join(', ');
    }
    values.push(toSql(v));
    return '?';
  });
  return [query, values];
}

function toSql(v: unknown): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v === undefined ? null : v;
}

export const big = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(v as string));
export const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as string));
