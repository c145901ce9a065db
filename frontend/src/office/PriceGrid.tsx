/**
 * Price grid: the four tier prices of many products at once. Cells are edited in place (major units); a bulk
 * rule ("wholesale = retail − 5 %, rounded to 0.50") fills a tier for the ticked rows (all shown when none is
 * ticked). Saving sends every changed product in one `POST /api/products/price-changes {"changes": [{productId,
 * prices: {…changed tiers}}]}` (at most 500): the server writes all of them in one transaction, or none. A refusal
 * names the change it is about (`changes[i]`): its row is marked and its SKU named, and every edit stays, to be
 * corrected and saved again.
 */
import { useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { formatMoney, parseMoney } from '../lib/money';
import {
  applyRule,
  MAX_CHANGES,
  parsePercentBp,
  priceChanges,
  refusalOf,
  setCell,
  TIERS,
  type Edits,
  type PriceTier,
} from '../lib/pricegrid';
import type { Product } from '../lib/pos-api';
import { useT } from '../ui';
import { ListStatus, problemText, SearchBox, useDebounced, usePaged } from './common';

const pricesOf = (p: Product) => ({
  retail: p.prices.retail,
  wholesale: p.prices.wholesale ?? p.prices.retail,
  credit: p.prices.credit ?? p.prices.retail,
  other: p.prices.other ?? p.prices.retail,
});

const major = (v: number) => formatMoney(v).replace(/,/g, '');

export function PriceGrid({ api }: { api: ApiClient }) {
  const { lang, tr } = useT();
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const query = useDebounced(q.trim());
  const path = query ? `/api/products/search?q=${encodeURIComponent(query)}&limit=100` : '/api/products?limit=100';
  const { load, items, more } = usePaged<Product>(api, path, version);
  const [edits, setEdits] = useState<Edits>({});
  const [ticked, setTicked] = useState<Set<number>>(new Set());
  const [bad, setBad] = useState<Set<string>>(new Set());
  const [target, setTarget] = useState<PriceTier>('wholesale');
  const [base, setBase] = useState<PriceTier>('retail');
  const [change, setChange] = useState('-5');
  const [roundTo, setRoundTo] = useState(1);
  const [saving, setSaving] = useState(false);
  /** The change the server refused: its row (and its cell, for a price) stay marked until the next save. */
  const [refused, setRefused] = useState<{ id: number; tier: PriceTier | null } | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error' | 'info'; text: string } | null>(null);
  // SKUs of every product shown so far: an edit can belong to a product of an earlier search.
  const skus = useRef(new Map<number, string>());
  for (const p of items) skus.current.set(p.id, p.sku);
  const pending = priceChanges(edits);

  const onCell = (p: Product, tier: PriceTier, text: string) => {
    const cell = `${p.id}:${tier}`;
    const parsed = parseMoney(text);
    const next = new Set(bad);
    if (!parsed.ok || parsed.value < 0) {
      next.add(cell);
      setBad(next);
      return;
    }
    next.delete(cell);
    setBad(next);
    setEdits((e) => setCell(e, p.id, pricesOf(p), tier, parsed.value));
  };

  const applyBulk = () => {
    const bp = parsePercentBp(change);
    if (bp === null) return setMessage({ tone: 'error', text: tr('grid.badPercent') });
    const rows = items
      .filter((p) => ticked.size === 0 || ticked.has(p.id))
      .map((p) => ({ id: p.id, prices: pricesOf(p) }));
    setEdits((e) => applyRule(e, rows, { target, base, changeBp: bp, roundTo }));
    setMessage({ tone: 'info', text: tr('grid.applied', { count: rows.length }) });
  };

  /** All changes in one request; on a refusal nothing was written and every edit stays. */
  const save = async () => {
    if (saving || pending.length === 0) return;
    if (pending.length > MAX_CHANGES)
      return setMessage({ tone: 'error', text: tr('grid.tooMany', { max: MAX_CHANGES }) });
    setSaving(true);
    setRefused(null);
    try {
      await api.post<unknown>('/api/products/price-changes', { changes: pending });
      setEdits({});
      setVersion((v) => v + 1);
      setMessage({ tone: 'ok', text: tr('grid.saved', { count: pending.length }) });
    } catch (err) {
      const why = err instanceof ApiError ? refusalOf(err) : null;
      const change = why ? pending[why.index] : undefined;
      setRefused(why && change ? { id: change.productId, tier: why.tier } : null);
      const sku = change ? (skus.current.get(change.productId) ?? `#${change.productId}`) : '';
      setMessage({
        tone: 'error',
        text:
          why && change && err instanceof ApiError
            ? tr('grid.refused', { sku, error: `${err.code}: ${why.text}` })
            : tr('grid.notSaved', { error: problemText(lang, err) }),
      });
    } finally {
      setSaving(false);
    }
  };

  const tierName = (t: PriceTier) => tr(`tier.${t}`);
  const allTicked = items.length > 0 && items.every((p) => ticked.has(p.id));
  return (
    <section>
      <h2>{tr('office.priceGrid')}</h2>
      <div class="toolbar">
        <SearchBox value={q} onChange={setQ} placeholder={tr('search.placeholder')} />
      </div>
      <fieldset class="bulk">
        <legend>{tr('grid.bulk')}</legend>
        <select
          name="target"
          aria-label={tr('grid.target')}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value as PriceTier)}
        >
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {tierName(t)}
            </option>
          ))}
        </select>
        <span>=</span>
        <select
          name="base"
          aria-label={tr('grid.base')}
          value={base}
          onChange={(e) => setBase(e.currentTarget.value as PriceTier)}
        >
          {TIERS.map((t) => (
            <option key={t} value={t}>
              {tierName(t)}
            </option>
          ))}
        </select>
        <input
          name="change"
          class="short"
          aria-label={tr('grid.change')}
          value={change}
          onInput={(e) => setChange(e.currentTarget.value)}
        />
        <span>%</span>
        <select
          name="round"
          aria-label={tr('grid.round')}
          value={roundTo}
          onChange={(e) => setRoundTo(Number(e.currentTarget.value))}
        >
          {[1, 50, 100, 500].map((r) => (
            <option key={r} value={r}>
              {tr('grid.roundTo', { step: formatMoney(r) })}
            </option>
          ))}
        </select>
        <button type="button" disabled={load.state !== 'done' || items.length === 0} onClick={applyBulk}>
          {ticked.size > 0
            ? tr('grid.applyTicked', { count: ticked.size })
            : tr('grid.applyAll', { count: items.length })}
        </button>
      </fieldset>
      <div class="toolbar">
        <button
          type="button"
          class="primary"
          disabled={pending.length === 0 || saving || bad.size > 0}
          onClick={() => void save()}
        >
          {tr('grid.save', { count: pending.length })}
        </button>
        <button
          type="button"
          disabled={pending.length === 0 || saving}
          onClick={() => (setEdits({}), setBad(new Set()), setRefused(null))}
        >
          {tr('grid.discard')}
        </button>
        {saving && <progress aria-label={tr('grid.saving')} />}
      </div>
      {message && (
        <p class={`notice ${message.tone}`} role="status" data-testid="grid-message">
          {message.text}
        </p>
      )}
      <div class="table-wrap">
        <table class="grid price-grid">
          <thead>
            <tr>
              <th>
                <input
                  type="checkbox"
                  aria-label={tr('grid.tickAll')}
                  checked={allTicked}
                  onChange={() => setTicked(allTicked ? new Set() : new Set(items.map((p) => p.id)))}
                />
              </th>
              <th>SKU</th>
              <th>{tr('cart.item')}</th>
              {TIERS.map((t) => (
                <th key={t} class="num">
                  {tierName(t)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((p) => {
              const server = pricesOf(p);
              return (
                <tr key={p.id} data-sku={p.sku} class={p.id === refused?.id ? 'refused' : ''}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={p.sku}
                      checked={ticked.has(p.id)}
                      onChange={() => {
                        const next = new Set(ticked);
                        if (next.has(p.id)) next.delete(p.id);
                        else next.add(p.id);
                        setTicked(next);
                      }}
                    />
                  </td>
                  <td>{p.sku}</td>
                  <td>{(lang !== 'en' && p.names[lang]) || p.names.en}</td>
                  {TIERS.map((t) => {
                    const edited = edits[p.id]?.[t];
                    const cell = `${p.id}:${t}`;
                    const wrong = bad.has(cell) || (refused?.id === p.id && refused.tier === t);
                    const cls = wrong ? 'cell bad' : edited !== undefined ? 'cell edited' : 'cell';
                    return (
                      <td key={t} class="num">
                        <input
                          class={cls}
                          name={`${p.sku}:${t}`}
                          inputMode="decimal"
                          aria-label={`${p.sku} ${tierName(t)}`}
                          value={major(edited ?? server[t])}
                          onChange={(e) => onCell(p, t, e.currentTarget.value)}
                        />
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <ListStatus load={load} count={items.length} more={more} />
    </section>
  );
}
