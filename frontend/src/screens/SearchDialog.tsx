/** Product search (F2): type, pick with the arrows, Enter adds. Shows a clear error when the API fails. */
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { formatMoney } from '../lib/money';
import { productName, searchProducts, type Product } from '../lib/pos-api';
import { Dialog, useT } from '../ui';

const DEBOUNCE_MS = 200;

type Results = { state: 'idle' | 'busy' } | { state: 'done'; items: Product[] } | { state: 'error'; text: string };

function useSearch(api: ApiClient, query: string): Results {
  const { lang } = useT();
  const [results, setResults] = useState<Results>({ state: 'idle' });
  useEffect(() => {
    if (query.trim() === '') return setResults({ state: 'idle' });
    setResults({ state: 'busy' });
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchProducts(api, query.trim(), abort.signal)
        .then((page) => setResults({ state: 'done', items: page.items }))
        .catch((e: unknown) => abort.signal.aborted || setResults({ state: 'error', text: errorText(lang, e) }));
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, query, lang]);
  return results;
}

export function SearchDialog(props: { api: ApiClient; initialQuery: string; onPick: (product: Product) => void }) {
  const { lang, tr } = useT();
  const [query, setQuery] = useState(props.initialQuery);
  const [index, setIndex] = useState(0);
  const results = useSearch(props.api, query);
  const items = results.state === 'done' ? results.items : [];
  const input = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);
  useEffect(() => setIndex(0), [results]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') setIndex((i) => Math.min(items.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setIndex((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter' && items[index]) props.onPick(items[index]);
    else return;
    e.preventDefault();
  };

  return (
    <Dialog title={tr('search.title')} wide>
      <input
        ref={input}
        class="big-input"
        value={query}
        placeholder={tr('search.placeholder')}
        aria-label={tr('search.title')}
        onInput={(e) => setQuery(e.currentTarget.value)}
        onKeyDown={onKey}
      />
      <p class="muted">{tr('search.hint')}</p>
      {results.state === 'busy' && <p class="muted">{tr('search.busy')}</p>}
      {results.state === 'error' && (
        <p class="notice error" role="alert">
          {results.text}
        </p>
      )}
      {results.state === 'done' && items.length === 0 && <p class="muted">{tr('search.none')}</p>}
      <ul class="results" role="listbox">
        {items.map((p, i) => (
          <li
            key={p.id}
            role="option"
            aria-selected={i === index}
            class={i === index ? 'selected' : ''}
            onClick={() => props.onPick(p)}
          >
            <span>{productName(p, lang)}</span>
            <span class="muted">{p.sku}</span>
            <span class="num">
              {formatMoney(p.prices.retail)}
              {p.weighed ? ` /${p.unit}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
