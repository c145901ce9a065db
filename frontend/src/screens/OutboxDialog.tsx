/**
 * Sales the server refused for good (a 4xx such as 409/422, or a client bug): they are never retried on their
 * own. Listed oldest first with the server's problem text; ↑ ↓ choose, R retries (after the cause was fixed,
 * e.g. the shift re-opened), D discards with a manager's PIN (checked by the server's PIN sign-in, which is
 * journalled). The server never recorded such a sale, so the discarded one stays in the lane's IndexedDB for 7 days
 * (marked discarded with its time, without the manager's PIN, never sent again; the dialog counts them), then the
 * outbox deletes it (lib/outbox.ts, DISCARDED_KEEP_MS).
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatMoney } from '../lib/money';
import type { Outbox, OutboxEntry } from '../lib/outbox';
import { Dialog, useT } from '../ui';

interface BodyShape {
  lines?: unknown[];
  tenders?: { amount?: number }[];
}

/** Lines and tendered amount of a queued SaleCreate body (for the list). */
export function summary(entry: OutboxEntry): { lines: number; amount: number } {
  const body = (entry.body ?? {}) as BodyShape;
  const amount = (body.tenders ?? []).reduce((n, t) => n + (typeof t.amount === 'number' ? t.amount : 0), 0);
  return { lines: Array.isArray(body.lines) ? body.lines.length : 0, amount };
}

export function OutboxDialog(props: {
  outbox: Outbox;
  currency: string;
  onRetry: (key: string) => void;
  onDiscard: (key: string) => void;
}) {
  const { tr } = useT();
  const [entries, setEntries] = useState<OutboxEntry[]>(() => props.outbox.needingAttention());
  const [kept, setKept] = useState(() => props.outbox.discarded().length);
  const [at, setAt] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(
    () =>
      props.outbox.subscribe(() => {
        setEntries(props.outbox.needingAttention());
        setKept(props.outbox.discarded().length);
      }),
    [props.outbox],
  );
  useLayoutEffect(() => ref.current?.focus(), []);
  const chosen = entries[Math.min(at, entries.length - 1)];
  const onKey = (e: KeyboardEvent) => {
    const k = e.key.toLowerCase();
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') setAt((i) => Math.max(0, i + (e.key === 'ArrowUp' ? -1 : 1)));
    else if (k === 'r' && chosen) props.onRetry(chosen.key);
    else if (k === 'd' && chosen) props.onDiscard(chosen.key);
    else return;
    e.preventDefault();
  };
  return (
    <Dialog title={tr('outbox.title')} wide>
      <div ref={ref} tabIndex={-1} onKeyDown={onKey} data-testid="outbox-dialog">
        <p class="muted">{tr('outbox.prompt')}</p>
        {entries.length === 0 ? (
          <p data-testid="outbox-empty">{tr('outbox.empty')}</p>
        ) : (
          <table class="list outbox-list">
            <thead>
              <tr>
                <th>{tr('outbox.when')}</th>
                <th class="num">{tr('outbox.lines')}</th>
                <th class="num">{tr('outbox.amount')}</th>
                <th>{tr('outbox.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e, i) => {
                const s = summary(e);
                return (
                  <tr key={e.key} class={e === chosen ? 'selected' : ''} onClick={() => setAt(i)}>
                    <td>{new Date(e.createdAt).toLocaleString()}</td>
                    <td class="num">{s.lines}</td>
                    <td class="num">{formatMoney(s.amount, props.currency)}</td>
                    <td>
                      <strong>{e.lastError ?? '—'}</strong> {e.lastMessage ?? ''}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <div class="form-actions">
          <button type="button" disabled={!chosen} onClick={() => chosen && props.onRetry(chosen.key)}>
            <kbd>R</kbd> {tr('outbox.retry')}
          </button>
          <button type="button" class="danger" disabled={!chosen} onClick={() => chosen && props.onDiscard(chosen.key)}>
            <kbd>D</kbd> {tr('outbox.discard')}
          </button>
        </div>
        {kept > 0 && (
          <p class="muted small" data-testid="outbox-discarded">
            {tr('outbox.discardedKept', { count: kept })}
          </p>
        )}
        <p class="muted">{tr('help.close')}</p>
      </div>
    </Dialog>
  );
}
