import { IDBFactory } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, NetworkError } from './api';
import { IdbStore } from './idb-store';
import {
  backoffMs,
  classify,
  DISCARDED_KEEP_MS,
  MemoryStore,
  Outbox,
  type OutboxCounts,
  type OutboxOptions,
} from './outbox';

interface Harness {
  outbox: Outbox;
  sent: { body: unknown; key: string }[];
  clock: { now: number };
  counts: OutboxCounts[];
}

/** An outbox over `store` whose sender fails with the queued errors, then succeeds. */
async function harness(failures: unknown[], extra: Partial<OutboxOptions> = {}): Promise<Harness> {
  const sent: Harness['sent'] = [];
  const clock = { now: 1_000 };
  const outbox = await Outbox.open({
    store: new MemoryStore(),
    send: async (body, key) => {
      sent.push({ body, key });
      const failure = failures.shift();
      if (failure) throw failure;
    },
    now: () => clock.now,
    random: () => 1,
    ...extra,
  });
  const counts: OutboxCounts[] = [];
  outbox.subscribe((c) => counts.push(c));
  return { outbox, sent, clock, counts };
}

const offline = (): NetworkError => new NetworkError('NETWORK_ERROR', 'Failed to fetch');

afterEach(() => {
  vi.useRealTimers();
});

describe('classify and backoff', () => {
  it('sorts failures', () => {
    expect(classify(offline())).toBe('retry');
    expect(classify(new ApiError(503, 'UNAVAILABLE', ''))).toBe('retry');
    expect(classify(new ApiError(429, 'RATE_LIMITED', ''))).toBe('retry');
    expect(classify(new ApiError(401, 'UNAUTHORIZED', ''))).toBe('retry');
    expect(classify(new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', ''))).toBe('bug');
    expect(classify(new ApiError(422, 'VALIDATION_FAILED', ''))).toBe('failed');
    expect(classify(new ApiError(409, 'SHIFT_CLOSED', ''))).toBe('failed');
  });

  it('doubles up to a cap, with jitter between half and all', () => {
    expect([0, 1, 2, 3, 10].map((n) => backoffMs(n, 1000, 60_000, () => 1))).toEqual([1000, 2000, 4000, 8000, 60_000]);
    expect(backoffMs(2, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffMs(500, 1000, 60_000, () => 1)).toBe(60_000);
  });
});

describe('Outbox', () => {
  it('stores a sale with a fresh UUID key and sends it with that key', async () => {
    const h = await harness([]);
    const key = await h.outbox.enqueue({ total: 1 });
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.outbox.counts()).toEqual({ pending: 1, attention: 0 });
    await h.outbox.flush();
    expect(h.sent).toEqual([{ body: { total: 1 }, key }]);
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 0 });
    expect(h.counts.map((c) => c.pending)).toEqual([0, 1, 0]);
  });

  it('retries with exponential backoff under the same key until confirmed', async () => {
    const h = await harness([offline(), new ApiError(503, 'UNAVAILABLE', 'busy')]);
    const key = await h.outbox.enqueue({ n: 1 });
    await h.outbox.flush();
    expect(h.outbox.list()[0]).toMatchObject({ attempts: 1, nextAttemptAt: 2_000, lastError: 'NETWORK_ERROR' });
    await h.outbox.flush(); // not due yet
    expect(h.sent).toHaveLength(1);
    h.clock.now = 2_000;
    await h.outbox.flush();
    expect(h.outbox.list()[0]).toMatchObject({ attempts: 2, nextAttemptAt: 4_000, lastError: 'UNAVAILABLE' });
    h.clock.now = 4_000;
    await h.outbox.flush();
    expect(h.sent.map((s) => s.key)).toEqual([key, key, key]);
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('keeps a validation failure for a person and does not retry it', async () => {
    const h = await harness([new ApiError(422, 'VALIDATION_FAILED', 'bad qty')]);
    await h.outbox.enqueue({ n: 1 });
    await h.outbox.flush();
    h.clock.now = 10_000_000;
    await h.outbox.flush();
    expect(h.sent).toHaveLength(1);
    expect(h.outbox.list()[0]).toMatchObject({ status: 'failed', lastError: 'VALIDATION_FAILED' });
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 1 });
    await h.outbox.retry(h.outbox.list()[0]?.key ?? '');
    await h.outbox.flush();
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('lists refused sales with the server text; a discarded one is kept, never sent, not counted', async () => {
    const h = await harness([new ApiError(422, 'VALIDATION_FAILED', 'qty must be > 0'), offline()]);
    const refused = await h.outbox.enqueue({ n: 1 });
    await h.outbox.flush();
    const waiting = await h.outbox.enqueue({ n: 2 });
    await h.outbox.flush(true);
    expect(h.outbox.needingAttention().map((e) => [e.key, e.lastError, e.lastMessage])).toEqual([
      [refused, 'VALIDATION_FAILED', 'qty must be > 0'],
    ]);
    expect(await h.outbox.discard(waiting)).toBe(false); // a pending sale is never discarded
    h.clock.now = 5_000;
    expect(await h.outbox.discard(refused)).toBe(true);
    expect(h.outbox.counts()).toEqual({ pending: 1, attention: 0 });
    expect(h.outbox.needingAttention()).toEqual([]);
    expect(h.outbox.list().find((e) => e.key === refused)).toMatchObject({ status: 'discarded', discardedAt: 5_000 });
    await h.outbox.retry(refused); // a discarded sale cannot come back
    h.clock.now = 10_000_000;
    await h.outbox.flush(true);
    expect(h.sent.map((x) => x.key)).toEqual([refused, waiting, waiting]);
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 0 });
  });

  it('drops the manager PIN of a discarded sale and deletes the record after 7 days', async () => {
    const store = new MemoryStore();
    const clock = { now: 1_000 };
    const failures = [new ApiError(409, 'SHIFT_NOT_OPEN', 'no shift'), new ApiError(409, 'SHIFT_NOT_OPEN', 'no shift')];
    const options: OutboxOptions = {
      store,
      send: async () => {
        const failure = failures.shift();
        if (failure) throw failure;
      },
      now: () => clock.now,
    };
    const outbox = await Outbox.open(options);
    const first = await outbox.enqueue({ lines: [1], managerPin: '4321' });
    const second = await outbox.enqueue({ lines: [2] });
    await outbox.flush();
    expect(await outbox.discard(first)).toBe(true);
    const kept = (await store.all()).find((e) => e.key === first);
    expect(kept).toMatchObject({ status: 'discarded', discardedAt: 1_000, body: { lines: [1] } });
    expect(JSON.stringify(kept)).not.toContain('4321');
    clock.now = 1_000 + DISCARDED_KEEP_MS - 1;
    expect(await outbox.discard(second)).toBe(true);
    expect(outbox.discarded().map((e) => e.key)).toEqual([second, first]); // a week is not over yet
    clock.now = 1_000 + DISCARDED_KEEP_MS;
    const reopened = await Outbox.open(options); // the lane loads a week later: the first one goes
    expect(reopened.discarded().map((e) => e.key)).toEqual([second]);
    expect((await store.all()).map((e) => e.key)).toEqual([second]);
    clock.now += DISCARDED_KEEP_MS;
    expect(await reopened.purgeDiscarded()).toBe(1);
    expect(await store.all()).toEqual([]);
  });

  it('reports a reused idempotency key as a bug', async () => {
    const onBug = vi.fn();
    const h = await harness([new ApiError(409, 'IDEMPOTENCY_KEY_REUSED', 'different body')], { onBug });
    const key = await h.outbox.enqueue({ n: 1 });
    await h.outbox.flush();
    expect(onBug).toHaveBeenCalledWith(expect.objectContaining({ key, status: 'bug' }));
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 1 });
  });

  it('sends oldest first and stops the round when the server is unreachable', async () => {
    const h = await harness([offline()]);
    await h.outbox.enqueue({ n: 1 });
    h.clock.now += 1;
    await h.outbox.enqueue({ n: 2 });
    await h.outbox.flush();
    expect(h.sent.map((s) => s.body)).toEqual([{ n: 1 }]);
    await h.outbox.flush(true);
    expect(h.sent.map((s) => s.body)).toEqual([{ n: 1 }, { n: 1 }, { n: 2 }]);
  });

  it('shares one run between concurrent flushes (no double submit)', async () => {
    const h = await harness([]);
    await h.outbox.enqueue({ n: 1 });
    await Promise.all([h.outbox.flush(), h.outbox.flush(), h.outbox.flush()]);
    expect(h.sent).toHaveLength(1);
  });

  it('retries on its own timer once started', async () => {
    vi.useFakeTimers({ now: 0 });
    const h = await harness([offline(), offline()], { now: () => Date.now() });
    h.outbox.start();
    await h.outbox.enqueue({ n: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(h.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(h.sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sent).toHaveLength(3);
    expect(h.outbox.counts().pending).toBe(0);
    h.outbox.stop();
  });
});

describe('Outbox over IndexedDB', () => {
  it('survives a reload: a new page finds the unsent sale and sends it with the same key', async () => {
    const factory = new IDBFactory();
    const first = await Outbox.open({
      store: await IdbStore.open('lane', factory),
      send: () => Promise.reject(offline()),
    });
    const key = await first.enqueue({ lines: [{ productId: 1, qty: 1 }] });
    await first.flush();

    const sent: string[] = [];
    const reloaded = await Outbox.open({
      store: await IdbStore.open('lane', factory),
      send: async (_body, k) => void sent.push(k),
    });
    expect(reloaded.counts()).toEqual({ pending: 1, attention: 0 });
    expect(reloaded.list()[0]).toMatchObject({ key, attempts: 1, body: { lines: [{ productId: 1, qty: 1 }] } });
    await reloaded.flush(true);
    expect(sent).toEqual([key]);
    const again = await Outbox.open({ store: await IdbStore.open('lane', factory), send: async () => undefined });
    expect(again.counts()).toEqual({ pending: 0, attention: 0 });
  });
});

describe('whenSent', () => {
  it('resolves with the server answer once the entry is confirmed, after retries', async () => {
    const h = await harness([offline()], {});
    const key = await h.outbox.enqueue({ n: 1 });
    let answer: unknown = null;
    void h.outbox.whenSent(key).then((a) => (answer = a));
    await h.outbox.flush(true);
    await Promise.resolve();
    expect(answer).toBeNull();
    await h.outbox.flush(true);
    await new Promise((r) => setTimeout(r, 0));
    expect(answer).toBeUndefined(); // the fake sender answers nothing; the promise resolved
    expect(h.outbox.counts()).toEqual({ pending: 0, attention: 0 });
  });
});
