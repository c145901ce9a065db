/**
 * Pieces shared by the back-office pages: paged lists, tables, search boxes, CSV downloads, and the scaffolding of
 * the list-and-edit pages (toolbar with search and "new", the row's edit button, the editor dialog's form).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { getPage, type Page } from '../lib/pos-api';
import { Dialog, useT } from '../ui';

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

/**
 * A list page's editor state: which row is open (`'new'` for a new one), and a version that reloads the list
 * (pass it to `usePaged`) after the editor saved.
 */
export function useEditing<T>() {
  const [editing, setEditing] = useState<T | 'new' | null>(null);
  const [version, setVersion] = useState(0);
  const close = (saved: boolean) => {
    setEditing(null);
    if (saved) setVersion((v) => v + 1);
  };
  return { editing, edit: setEditing, version, close };
}

/** A searchable list page with an editor: the search text, the rows of `base?limit=N&q=…` (paged), the editor. */
export function useEditableList<T>(api: ApiClient, base: string, limit: number) {
  const [q, setQ] = useState('');
  const { editing, edit, version, close } = useEditing<T>();
  const query = useDebounced(q.trim());
  const list = usePaged<T>(api, `${base}?limit=${limit}${query ? `&q=${encodeURIComponent(query)}` : ''}`, version);
  return { q, setQ, editing, edit, close, ...list };
}

/** A list page's toolbar: the search box and, for those who may write, the "new …" button. */
export function ListToolbar(props: {
  q: string;
  onQ: (v: string) => void;
  placeholder: string;
  /** The "new …" button's label; null hides the button. */
  newLabel: string | null;
  onNew: () => void;
}) {
  return (
    <div class="toolbar">
      <SearchBox value={props.q} onChange={props.onQ} placeholder={props.placeholder} />
      {props.newLabel !== null && (
        <button type="button" class="primary" onClick={props.onNew}>
          {props.newLabel}
        </button>
      )}
    </div>
  );
}

/** The last cell of a list row: "Edit" for those who may write, else empty. */
export function EditCell({ canWrite, onEdit }: { canWrite: boolean; onEdit: () => void }) {
  const { tr } = useT();
  return (
    <td>
      {canWrite && (
        <button type="button" onClick={onEdit}>
          {tr('office.edit')}
        </button>
      )}
    </td>
  );
}

/**
 * An editor dialog: a `form-grid` form (Enter in a field submits, Escape cancels) with the fields, the error line
 * and Cancel / Save. `onSave` returns the problem as text, or null once saved (the dialog is then closed).
 */
export function EditorDialog(props: {
  title: string;
  onSave: (form: HTMLFormElement) => Promise<string | null>;
  onClose: (saved: boolean) => void;
  children: ComponentChildren;
}) {
  const { tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const problem = await props.onSave(e.currentTarget as HTMLFormElement);
    if (problem === null) props.onClose(true);
    else setError(problem);
  };
  return (
    <Dialog title={props.title} wide>
      <form
        class="form-grid"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => e.key === 'Escape' && props.onClose(false)}
      >
        {props.children}
        <p class="error-text wide-field" role="alert">
          {error ?? ''}
        </p>
        <div class="form-actions wide-field">
          <button type="button" onClick={() => props.onClose(false)}>
            <kbd>Esc</kbd> {tr('office.cancel')}
          </button>
          <button type="submit" class="primary">
            {tr('office.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/**
 * Save a record of `base` (`/api/suppliers`…): PATCH `base/{id}` for an existing one, POST `base` for a new one.
 * Null when saved, else the problem as one line (for `EditorDialog`).
 */
export async function saveRecord(
  api: ApiClient,
  lang: Parameters<typeof errorText>[0],
  base: string,
  id: number | null,
  body: unknown,
): Promise<string | null> {
  try {
    if (id !== null) await api.patch(`${base}/${id}`, body);
    else await api.post(base, body);
    return null;
  } catch (err) {
    return problemText(lang, err);
  }
}
