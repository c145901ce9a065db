/** Pieces shared by the back-office pages: paged lists, tables, search boxes, CSV downloads. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { getPage, type Page } from '../lib/pos-api';
import { useT } from '../ui';

export const SESSION_KEY = 'pos.office.session';
export const TIER_KEYS = ['retail', 'wholesale', 'credit', 'other'] as const;

export type Load<T> = { state: 'busy' } | { state: 'done'; page: Page<T> } | { state: 'error'; text: string };

/** A paged list from the API: `path` without cursor; "more" follows nextCursor. */
export function usePaged<T>(api: ApiClient, path: string | null, version = 0) {
  const { lang } = useT();
  const [load, setLoad] = useState<Load<T>>({ state: 'busy' });
  const [items, setItems] = useState<T[]>([]);
  const fetchPage = (cursor: string | null, append: boolean) => {
    if (path === null) return;
    const abort = new AbortController();
    const sep = path.includes('?') ? '&' : '?';
    getPage<T>(api, cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path, abort.signal)
      .then((page) => {
        setItems((old) => (append ? [...old, ...page.items] : page.items));
        setLoad({ state: 'done', page });
      })
      .catch((e: unknown) => {
        if (abort.signal.aborted) return;
        const missing = e instanceof ApiError && e.status === 404;
        setLoad({ state: 'error', text: missing ? 'HTTP 404: not available on this server' : errorText(lang, e) });
      });
    return () => abort.abort();
  };
  useEffect(() => {
    setLoad({ state: 'busy' });
    return fetchPage(null, false);
  }, [path, version]);
  const next = load.state === 'done' ? load.page.nextCursor : null;
  return { load, items, more: next ? () => void fetchPage(next, true) : null };
}

export function ListStatus<T>({ load, count, more }: { load: Load<T>; count: number; more: (() => void) | null }) {
  const { tr } = useT();
  if (load.state === 'busy') return <p class="muted">{tr('search.busy')}</p>;
  if (load.state === 'error')
    return (
      <p class="notice error" role="alert">
        {load.text}
      </p>
    );
  return (
    <p class="muted">
      {tr('office.shown', { count })}{' '}
      {more && (
        <button type="button" onClick={more}>
          {tr('office.more')}
        </button>
      )}
    </p>
  );
}

export function SearchBox(props: { value: string; onChange: (v: string) => void; placeholder: string }) {
  return (
    <input
      class="big-input office-search"
      type="search"
      name="q"
      value={props.value}
      placeholder={props.placeholder}
      aria-label={props.placeholder}
      onInput={(e) => props.onChange(e.currentTarget.value)}
    />
  );
}

export function useDebounced(value: string, ms = 200): string {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value]);
  return v;
}

export function Table(props: { head: readonly string[]; nums?: readonly number[]; children: ComponentChildren }) {
  return (
    <div class="table-wrap">
      <table class="grid">
        <thead>
          <tr>
            {props.head.map((h, i) => (
              <th key={i} class={props.nums?.includes(i) ? 'num' : ''}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}

/** Download a file from the API with the back office's token (a link cannot carry the Authorization header). */
export async function download(path: string, filename: string): Promise<void> {
  const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? '{}') as { token?: string };
  const r = await fetch(path, { headers: { Authorization: `Bearer ${session.token ?? ''}` } });
  if (!r.ok) throw new ApiError(r.status, `HTTP_${r.status}`, r.statusText);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** An error of a back-office call as one line: the problem's code and detail for a 4xx, else the usual text. */
export function problemText(lang: Parameters<typeof errorText>[0], err: unknown): string {
  return err instanceof ApiError && err.status < 500 ? `${err.code}: ${err.message}` : errorText(lang, err);
}
