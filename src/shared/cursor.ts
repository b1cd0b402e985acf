/** Opaque keyset cursors: a row's sort key as base64url JSON, so pages stay stable while rows are inserted. */
import { InputError } from './errors';

export type CursorKey = (string | number)[];

const INVALID_CURSOR = 'Invalid cursor: pass back a cursor this API returned';

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorKey {
  try {
    if (cursor.length > 512) throw new Error('too long');
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(key) || key.length !== arity || !key.every((k) => typeof k === 'string' || typeof k === 'number')) {
      throw new Error('shape');
    }
    return key;
  } catch {
    throw new InputError(INVALID_CURSOR, 'after');
  }
}

/** A cursor of a list ordered by (time DESC, id DESC): the row's time and id. */
export function decodeTimeCursor(cursor: string, idPattern = /^[^\s]{1,64}$/): { at: Date; id: string } {
  const [t, id] = decodeCursor(cursor, 2);
  const at = new Date(String(t));
  if (Number.isNaN(at.getTime()) || !idPattern.test(String(id))) throw new InputError(INVALID_CURSOR, 'after');
  return { at, id: String(id) };
}
