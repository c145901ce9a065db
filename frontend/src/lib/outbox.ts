/**
 * The sale outbox. A completed sale is first written to durable storage (IndexedDB in the browser) with a
 * client-generated idempotency key, then submitted, and retried with exponential backoff until the API
 * confirms it. The key makes retries safe: the server replays the original answer instead of selling twice.
 */
import { ApiError } from './api';

/**
 * 'discarded': a refused sale a manager set aside: never sent again, kept in the store as a record for
 * `keepDiscardedMs` (7 days by default) after it was discarded, then deleted.
 */
export type OutboxStatus = 'pending' | 'failed' | 'bug' | 'discarded';

export interface OutboxEntry {
  key: string;
  body: unknown;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  status: OutboxStatus;
  /** Code of the last error (problem `code`, NETWORK_ERROR, ...), null before the first failure. */
  lastError: string | null;
  /** The server's text of the last error (problem `detail`), shown on the lane's outbox screen. */
  lastMessage?: string | null;
  /** When a manager discarded it (status 'discarded'). */
  discardedAt?: number;
}

/** How long a discarded sale stays on the lane (a week of cash counts and Z reports to explain), then it is deleted. */
export const DISCARDED_KEEP_MS = 7 * 24 * 60 * 60 * 1000;

/** Where entries live; small enough to fake in tests. */
export interface OutboxStore {
  all(): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface OutboxCounts {
  /** Waiting to be confirmed by the server (will be retried). */
  pending: number;
  /** Rejected or a bug report: needs a person (never retried automatically). */
  attention: number;
}

export type Outcome = 'sent' | 'retry' | 'failed' | 'bug';

export interface OutboxOptions {
  store: OutboxStore;
  /** Submit one sale; resolves on 2xx, throws ApiError/NetworkError otherwise. */
  send: (body: unknown, idempotencyKey: string) => Promise<unknown>;
  now?: () => number;
  random?: () => number;
  newKey?: () => string;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Told when the server says the key was reused with another body: a client bug to report. */
  onBug?: (entry: OutboxEntry) => void;
  /** How long a discarded sale is kept before it is deleted (default DISCARDED_KEEP_MS). */
  keepDiscardedMs?: number;
}

/** What to do after a failed submit. */
export function classify(error: unknown): Outcome {
  if (!(error instanceof ApiError)) return 'retry'; // offline, timeout, proxy page: try again later
  if (error.status === 409 && error.code === 'IDEMPOTENCY_KEY_REUSED') return 'bug';
  if (error.status >= 500 || [401, 408, 425, 429].includes(error.status)) return 'retry';
  return 'failed'; // validation and other 4xx: retrying the same body cannot succeed
}

/** Delay before attempt n+1: base·2^n capped at max, with "equal jitter" (between half and all of it). */
export function backoffMs(attempts: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempts, 30));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

export class MemoryStore implements OutboxStore {
  private readonly rows = new Map<string, OutboxEntry>();
  async all(): Promise<OutboxEntry[]> {
    return [...this.rows.values()].map((e) => structuredClone(e));
  }
  async put(entry: OutboxEntry): Promise<void> {
    this.rows.set(entry.key, structuredClone(entry));
  }
  async delete(key: string): Promise<void> {
    this.rows.delete(key);
  }
}

/** A queued SaleCreate body without its `managerPin` (kept for a discarded record). */
function withoutPin(body: unknown): unknown {
  if (typeof body !== 'object' || body === null || !('managerPin' in body)) return body;
  const { managerPin: _pin, ...rest } = body as Record<string, unknown>;
  return rest;
}

type Listener = (counts: OutboxCounts) => void;

export class Outbox {
  private readonly entries = new Map<string, OutboxEntry>();
  private readonly listeners = new Set<Listener>();
  private readonly waiters = new Map<string, ((response: unknown) => void)[]>();
  private running: Promise<void> | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private started = false;
  private readonly now: () => number;
  private readonly random: () => number;

  private constructor(private readonly options: OutboxOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Open the outbox over its store, picking up whatever a previous page load left unsent. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    for (const entry of await options.store.all()) outbox.entries.set(entry.key, entry);
    await outbox.purgeDiscarded();
    return outbox;
  }

  counts(): OutboxCounts {
    let pending = 0;
    let attention = 0;
    for (const e of this.entries.values()) {
      if (e.status === 'pending') pending += 1;
      else if (e.status !== 'discarded') attention += 1;
    }
    return { pending, attention };
  }

  list(): OutboxEntry[] {
    return [...this.entries.values()].sort((a, b) => a.createdAt - b.createdAt);
  }

  /** Call `fn` now and on every change of the counts; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    fn(this.counts());
    return () => this.listeners.delete(fn);
  }

  /** Store a completed sale durably, then try to send it; resolves with its idempotency key once stored. */
  async enqueue(body: unknown): Promise<string> {
    const key = (this.options.newKey ?? (() => crypto.randomUUID()))();
    const at = this.now();
    const entry: OutboxEntry = {
      key,
      body,
      createdAt: at,
      attempts: 0,
      nextAttemptAt: at,
      status: 'pending',
      lastError: null,
    };
    await this.options.store.put(entry);
    this.entries.set(key, entry);
    this.emit();
    if (this.started) void this.flush().then(() => this.schedule());
    return key;
  }

  /**
   * Resolves with the server's answer once the entry with `key` is confirmed (in this page's life; after a
   * reload the answer is not kept). Never rejects: a sale that is not confirmed yet simply keeps it waiting.
   */
  whenSent(key: string): Promise<unknown> {
    return new Promise((resolve) => {
      const list = this.waiters.get(key) ?? [];
      list.push(resolve);
      this.waiters.set(key, list);
    });
  }

  /** Put an entry that needed attention back in the queue (after someone fixed the cause). */
  async retry(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || entry.status === 'pending' || entry.status === 'discarded') return;
    await this.save({ ...entry, status: 'pending', nextAttemptAt: this.now() });
    if (this.started) this.kick();
  }

  /** The entries a person must look at (refused by the server, or a client bug), oldest first. */
  needingAttention(): OutboxEntry[] {
    return this.list().filter((e) => e.status === 'failed' || e.status === 'bug');
  }

  /**
   * Set aside a refused sale (after a manager's PIN was checked by the caller). The server never recorded it, so
   * the record stays here, marked 'discarded' with the time, for `keepDiscardedMs`, and is never sent again; the
   * manager's PIN it may carry is removed from it at once (it was only needed to send it). Older discarded
   * records are deleted now too. True when discarded.
   */
  async discard(key: string): Promise<boolean> {
    const entry = this.entries.get(key);
    if (!entry || (entry.status !== 'failed' && entry.status !== 'bug')) return false;
    await this.save({ ...entry, body: withoutPin(entry.body), status: 'discarded', discardedAt: this.now() });
    await this.purgeDiscarded();
    return true;
  }

  /** The discarded sales still kept (newest discard first). */
  discarded(): OutboxEntry[] {
    return this.list()
      .filter((e) => e.status === 'discarded')
      .sort((a, b) => (b.discardedAt ?? 0) - (a.discardedAt ?? 0));
  }

  /** Delete the discarded records older than `keepDiscardedMs` (on open and on every discard); how many went. */
  async purgeDiscarded(): Promise<number> {
    const cutoff = this.now() - (this.options.keepDiscardedMs ?? DISCARDED_KEEP_MS);
    const old = this.list().filter((e) => e.status === 'discarded' && (e.discardedAt ?? e.createdAt) <= cutoff);
    for (const e of old) {
      await this.options.store.delete(e.key);
      this.entries.delete(e.key);
    }
    if (old.length > 0) this.emit();
    return old.length;
  }

  /** Send every due pending entry, oldest first. Concurrent calls share one run. `force` ignores backoff. */
  flush(force = false): Promise<void> {
    this.running ??= this.run(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Retry on a timer until stopped (the lane also kicks it when the browser comes back online). */
  start(): void {
    this.started = true;
    this.kick();
  }

  stop(): void {
    this.started = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Send now, ignoring backoff, then keep the timer going. */
  kick(): void {
    void this.flush(true).then(() => this.schedule());
  }

  private schedule(): void {
    if (!this.started) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const due = this.list()
      .filter((e) => e.status === 'pending')
      .map((e) => e.nextAttemptAt);
    if (due.length === 0) return;
    const wait = Math.max(0, Math.min(...due) - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush().then(() => this.schedule());
    }, wait);
  }

  private async run(force: boolean): Promise<void> {
    for (const entry of this.list()) {
      if (entry.status !== 'pending' || (!force && entry.nextAttemptAt > this.now())) continue;
      const outcome = await this.attempt(entry);
      if (outcome === 'retry') break; // the server is unreachable or busy: the others would fail the same way
    }
  }

  private async attempt(entry: OutboxEntry): Promise<Outcome> {
    let response: unknown;
    try {
      response = await this.options.send(entry.body, entry.key);
    } catch (error) {
      const outcome = classify(error);
      await this.recordFailure(entry, outcome, error);
      return outcome;
    }
    await this.options.store.delete(entry.key);
    this.entries.delete(entry.key);
    this.emit();
    for (const resolve of this.waiters.get(entry.key) ?? []) resolve(response);
    this.waiters.delete(entry.key);
    return 'sent';
  }

  private async recordFailure(entry: OutboxEntry, outcome: Outcome, error: unknown): Promise<void> {
    const attempts = entry.attempts + 1;
    const { baseDelayMs = 1_000, maxDelayMs = 60_000 } = this.options;
    const next: OutboxEntry = {
      ...entry,
      attempts,
      lastError: error instanceof Error && 'code' in error ? String(error.code) : 'UNEXPECTED',
      lastMessage: error instanceof Error ? error.message : null,
      status: outcome === 'retry' ? 'pending' : outcome === 'bug' ? 'bug' : 'failed',
      nextAttemptAt: this.now() + backoffMs(attempts - 1, baseDelayMs, maxDelayMs, this.random),
    };
    await this.save(next);
    if (outcome === 'bug') this.options.onBug?.(next);
  }

  private async save(entry: OutboxEntry): Promise<void> {
    await this.options.store.put(entry);
    this.entries.set(entry.key, entry);
    this.emit();
  }

  private emit(): void {
    const counts = this.counts();
    for (const fn of this.listeners) fn(counts);
  }
}
