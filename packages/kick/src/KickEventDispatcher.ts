import type { KickEventType } from './events/eventTypes.ts';
import type { KickEvent, KickEventMap, KickEventOf } from './events/kickEvent.ts';

/** Handler for one event type; receives the typed payload and the whole event. */
export type KickEventHandler<K extends KickEventType> = (payload: KickEventMap[K], event: KickEventOf<K>) => void | Promise<void>;

/** Handler for every event. */
export type KickAnyEventHandler = (event: KickEvent) => void | Promise<void>;

/** Outcome of {@link KickEventDispatcher.dispatch}. */
export type DispatchReport = {
  /** Number of handlers invoked (including ones that failed). */
  handled: number;
  /** One entry per handler that threw or rejected. */
  errors: { type: KickEventType; error: unknown }[];
};

/** Options of {@link KickEventDispatcher}. */
export type KickEventDispatcherOptions = {
  /** Called for every handler failure (in addition to the report). Exceptions thrown here are ignored. */
  onError?: (error: unknown, event: KickEvent) => void;
};

type AnyHandler = (payload: unknown, event: KickEvent) => void | Promise<void>;

/**
 * Typed fan-out of parsed Kick events to handlers. Every handler runs (concurrently); one failing
 * handler never stops the others, and failures are collected in the {@link DispatchReport}.
 */
export class KickEventDispatcher {
  readonly #handlers = new Map<KickEventType, AnyHandler[]>();
  readonly #any: KickAnyEventHandler[] = [];
  /** Original handler → once-wrapper, so `off` works with the function passed to `once`. */
  readonly #onceWrappers = new Map<KickEventType, Map<unknown, AnyHandler>>();
  readonly #onError: KickEventDispatcherOptions['onError'];

  constructor(options: KickEventDispatcherOptions = {}) {
    this.#onError = options.onError;
  }

  /** Registers `handler` for `type`. Returns a function that unregisters it. */
  on<K extends KickEventType>(type: K, handler: KickEventHandler<K>): () => void {
    const list = this.#handlers.get(type) ?? [];
    list.push(handler as AnyHandler);
    this.#handlers.set(type, list);
    return () => this.off(type, handler);
  }

  /** Registers `handler` for the next `type` event only. Returns a function that unregisters it. */
  once<K extends KickEventType>(type: K, handler: KickEventHandler<K>): () => void {
    const wrapper: AnyHandler = (payload, event) => {
      this.off(type, handler);
      return (handler as AnyHandler)(payload, event);
    };
    const wrappers = this.#onceWrappers.get(type) ?? new Map<unknown, AnyHandler>();
    wrappers.set(handler, wrapper);
    this.#onceWrappers.set(type, wrappers);
    const list = this.#handlers.get(type) ?? [];
    list.push(wrapper);
    this.#handlers.set(type, list);
    return () => this.off(type, handler);
  }

  /** Unregisters a handler added with {@link on} or {@link once}. */
  off<K extends KickEventType>(type: K, handler: KickEventHandler<K>): void {
    const list = this.#handlers.get(type);
    if (!list) return;
    const wrapper = this.#onceWrappers.get(type)?.get(handler);
    const index = list.findIndex((h) => h === handler || h === wrapper);
    if (index === -1) return;
    const [removed] = list.splice(index, 1);
    if (removed === wrapper) this.#onceWrappers.get(type)?.delete(handler);
    if (list.length === 0) this.#handlers.delete(type);
  }

  /** Registers `handler` for every event type. Returns a function that unregisters it. */
  onAny(handler: KickAnyEventHandler): () => void {
    this.#any.push(handler);
    return () => {
      const index = this.#any.indexOf(handler);
      if (index !== -1) this.#any.splice(index, 1);
    };
  }

  /** Number of handlers that would receive an event of `type` (type handlers + onAny handlers). */
  listenerCount(type: KickEventType): number {
    return (this.#handlers.get(type)?.length ?? 0) + this.#any.length;
  }

  /** Runs every handler for `event` and resolves when all have settled. Never rejects. */
  async dispatch(event: KickEvent): Promise<DispatchReport> {
    // Snapshot: handlers added or removed while dispatching take effect from the next event.
    const typed = [...(this.#handlers.get(event.type) ?? [])];
    const any = [...this.#any];
    const runs: Promise<void>[] = [
      ...typed.map((h) => invoke(() => h(event.payload, event))),
      ...any.map((h) => invoke(() => h(event))),
    ];
    const results = await Promise.all(runs.map((p) => p.then(() => undefined, (error: unknown) => ({ error }))));
    const errors: DispatchReport['errors'] = [];
    for (const result of results) {
      if (!result) continue;
      errors.push({ type: event.type, error: result.error });
      try {
        this.#onError?.(result.error, event);
      } catch {
        // An error reporter must not break dispatch.
      }
    }
    return { handled: runs.length, errors };
  }
}

/** Turns a sync throw into a rejection so both kinds of failure are collected alike. */
function invoke(fn: () => void | Promise<void>): Promise<void> {
  try {
    return Promise.resolve(fn());
  } catch (error) {
    return Promise.reject(error);
  }
}
