/** Pick-from-a-list dialogs of the lane: customer (F5) and held sales (F9). Arrows choose, Enter takes. */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { listHeld, type HeldSale } from '../lib/holds';
import { errorText } from '../lib/messages';
import { formatMoney } from '../lib/money';
import { searchCustomers, type Customer } from '../lib/pos-api';
import type { CustomerRef, Tier } from '../lib/sale';
import { TIERS } from '../lib/sale';
import { Dialog, useT } from '../ui';

type Load<T> = { state: 'busy' } | { state: 'done'; items: T[] } | { state: 'error'; text: string };

function PickList<T>(props: {
  items: T[];
  keyOf: (item: T) => number;
  render: (item: T) => ComponentChildren;
  onPick: (item: T) => void;
  onKeyExtra?: (e: KeyboardEvent) => boolean;
  children?: ComponentChildren;
  focusInput?: boolean;
}) {
  const [index, setIndex] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => setIndex(0), [props.items]);
  useLayoutEffect(() => {
    if (!props.focusInput) ref.current?.focus();
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const item = props.items[index];
    if (e.key === 'ArrowDown') setIndex((i) => Math.min(props.items.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter' && item) props.onPick(item);
    else if (!props.onKeyExtra?.(e)) return;
    e.preventDefault();
  };
  return (
    <div ref={ref} tabIndex={-1} onKeyDown={onKey}>
      {props.children}
      <ul class="results" role="listbox">
        {props.items.map((item, i) => (
          <li
            key={props.keyOf(item)}
            role="option"
            aria-selected={i === index}
            class={i === index ? 'selected' : ''}
            onClick={() => props.onPick(item)}
          >
            {props.render(item)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Status<T>({ load, none }: { load: Load<T>; none: string }) {
  const { tr } = useT();
  if (load.state === 'busy') return <p class="muted">{tr('search.busy')}</p>;
  if (load.state === 'error')
    return (
      <p class="notice error" role="alert">
        {load.text}
      </p>
    );
  return load.items.length === 0 ? <p class="muted">{none}</p> : null;
}

const asTier = (t: string): Tier => ((TIERS as readonly string[]).includes(t) ? (t as Tier) : 'retail');

export function CustomerDialog(props: {
  api: ApiClient;
  current: CustomerRef | null;
  onPick: (c: CustomerRef | null) => void;
}) {
  const { lang, tr } = useT();
  const [query, setQuery] = useState('');
  const [load, setLoad] = useState<Load<Customer>>({ state: 'done', items: [] });
  useEffect(() => {
    if (query.trim() === '') return setLoad({ state: 'done', items: [] });
    setLoad({ state: 'busy' });
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchCustomers(props.api, query.trim(), abort.signal)
        .then((p) => setLoad({ state: 'done', items: p.items.filter((c) => c.active) }))
        .catch((e: unknown) => abort.signal.aborted || setLoad({ state: 'error', text: errorText(lang, e) }));
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [query]);
  const items = load.state === 'done' ? load.items : [];
  return (
    <Dialog title={tr('customer.title')} wide>
      <PickList
        items={items}
        focusInput
        keyOf={(c) => c.id}
        onPick={(c) => props.onPick({ id: c.id, name: c.name, priceTier: asTier(c.priceTier) })}
        onKeyExtra={(e) => (e.key === 'Delete' && props.current ? (props.onPick(null), true) : false)}
        render={(c) => (
          <>
            <span>{c.name}</span>
            <span class="muted">{c.phone}</span>
            <span class="chip small">{tr(`tier.${asTier(c.priceTier)}`)}</span>
          </>
        )}
      >
        <input
          class="big-input"
          name="customer-query"
          autoFocus
          value={query}
          placeholder={tr('customer.placeholder')}
          aria-label={tr('customer.title')}
          onInput={(e) => setQuery(e.currentTarget.value)}
          ref={(el) => el?.focus()}
        />
        <p class="muted">
          {tr('search.hint')}
          {props.current ? ` · ${tr('customer.removeHint', { name: props.current.name })}` : ''}
        </p>
        <Status load={load} none={query.trim() ? tr('customer.none') : ''} />
      </PickList>
    </Dialog>
  );
}

export function ResumeDialog(props: { api: ApiClient; currency: string; onPick: (h: HeldSale) => void }) {
  const { lang, tr } = useT();
  const [load, setLoad] = useState<Load<HeldSale>>({ state: 'busy' });
  useEffect(() => {
    const abort = new AbortController();
    listHeld(props.api, abort.signal)
      .then((p) => setLoad({ state: 'done', items: p.items.filter((h) => !h.status || h.status === 'held') }))
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const missing = e instanceof ApiError && e.status === 404;
        setLoad({ state: 'error', text: missing ? tr('hold.unavailable') : errorText(lang, e) });
      });
    return () => abort.abort();
  }, []);
  const items = load.state === 'done' ? load.items : [];
  return (
    <Dialog title={tr('resume.title')} wide>
      <PickList
        items={items}
        keyOf={(h) => h.id}
        onPick={props.onPick}
        render={(h) => (
          <>
            <span>
              #{h.id} {h.note ?? ''}
            </span>
            <span class="muted">
              {h.terminal ?? ''} {h.cashier ?? ''} {h.createdAt ? new Date(h.createdAt).toLocaleTimeString() : ''}
            </span>
            <span class="num">{h.totalAmount !== undefined ? formatMoney(h.totalAmount, props.currency) : ''}</span>
          </>
        )}
      >
        <p class="muted">{tr('search.hint')}</p>
        <Status load={load} none={tr('resume.none')} />
      </PickList>
    </Dialog>
  );
}
