/** The page's one way out: POST /graphql on this origin, with the credential kept for this tab only. */
const STORE = 'moneygraph.credential';

export interface Viewer {
  subject: string;
  role: string;
  permissions: string[];
}

export interface Money {
  amount: string;
  currencyCode: string;
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export const credential = {
  get: (): string | null => sessionStorage.getItem(STORE),
  set: (value: string) => sessionStorage.setItem(STORE, value),
  clear: () => sessionStorage.removeItem(STORE),
};

export async function gql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const token = credential.get();
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`The service answered ${res.status} without a GraphQL body`);
  }
  const first = body.errors?.[0];
  if (first) throw new ApiError(first.message, first.extensions?.code);
  if (!body.data) throw new ApiError(`The service answered ${res.status} without data`);
  return body.data;
}

/** A mutation's userErrors as one sentence, or null when there are none. */
export function userErrorText(errors: { message: string }[] | undefined): string | null {
  return errors && errors.length > 0 ? errors.map((e) => e.message).join('; ') : null;
}

export const money = (m: Money | null | undefined): string => (m ? `${m.amount} ${m.currencyCode}` : '—');

export function age(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d ${Math.floor((seconds % 86400) / 3600)} h`;
}

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }) : '—');

export const can = (viewer: Viewer, permission: string): boolean => viewer.permissions.includes(permission);

/** A new idempotency key: one per form, so a second click of the same form is the same request. */
export const newKey = (prefix: string): string => `${prefix}-${crypto.randomUUID()}`;
