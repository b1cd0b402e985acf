/**
 * In-transaction hooks: a module that owns an event lets other modules react inside the same
 * transaction (typically by writing an outbox row), without depending on them.
 *
 * The module that emits an event declares it, by augmenting HookMap from its own files:
 *
 *   declare module '../../core/hooks' {
 *     interface HookMap<Tx> { invoiceRecorded: (tx: Tx, invoice: InvoiceRecorded) => Promise<void> }
 *   }
 *
 * `Tx` is the transaction's RequestContext (src/db/context.ts); it is a parameter only so that
 * this file depends on nothing.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type
export interface HookMap<Tx> {}

type Listener = (...args: never[]) => Promise<void>;

/** Every hook of every module, as the composition root wires them: `{ invoiceRecorded: [fn, …] }`. */
export type HookListeners<Tx> = { [K in keyof HookMap<Tx>]?: HookMap<Tx>[K][] };

export class Hooks<Tx> {
  private readonly map = new Map<keyof HookMap<Tx>, Listener[]>();

  on<K extends keyof HookMap<Tx>>(name: K, fn: HookMap<Tx>[K]): void {
    this.map.set(name, [...(this.map.get(name) ?? []), fn as unknown as Listener]);
  }

  async emit<K extends keyof HookMap<Tx>>(name: K, ...args: Parameters<Extract<HookMap<Tx>[K], Listener>>): Promise<void> {
    for (const fn of this.map.get(name) ?? []) await (fn as (...a: unknown[]) => Promise<void>)(...args);
  }
}
