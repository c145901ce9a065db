/**
 * The back office at /office: password sign-in, then pages by permission — products (search, edit names, prices,
 * barcodes), customers, users (admin), terminals, audit journal (auditor) and operations (health, SLA, backups).
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, createApi, type ApiClient } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { errorText } from '../lib/messages';
import { formatMoney, parseMoney } from '../lib/money';
import { can, loginPassword, type Product, type Session } from '../lib/pos-api';
import { LangSwitch, useT } from '../ui';
import {
  download,
  EditCell,
  EditorDialog,
  ListStatus,
  problemText,
  saveRecord,
  SearchBox,
  SESSION_KEY,
  Table,
  TIER_KEYS,
  useDebounced,
  useEditing,
  usePaged,
} from './common';
import { Imports } from './Imports';
import { Operations } from './Operations';
import { PriceGrid } from './PriceGrid';
import { Reports } from './Reports';
import { Shifts } from './Shifts';
import { Suppliers } from './Suppliers';
import { Customers } from './Customers';

type PageId =
  | 'products'
  | 'prices'
  | 'imports'
  | 'customers'
  | 'suppliers'
  | 'reports'
  | 'shifts'
  | 'users'
  | 'terminals'
  | 'audit'
  | 'operations';
const PAGES: readonly (readonly [PageId, MessageKey, string | null])[] = [
  ['products', 'office.products', 'catalog.read'],
  ['prices', 'office.priceGrid', 'prices.write'],
  ['imports', 'office.imports', 'data.import'],
  ['customers', 'office.customers', 'customers.read'],
  ['suppliers', 'office.suppliers', 'suppliers.read'],
  ['reports', 'office.reports', 'reports.read'],
  ['shifts', 'office.shifts', 'reports.read'],
  ['users', 'office.users', 'users.read'],
  ['terminals', 'office.terminals', 'terminals.read'],
  ['audit', 'office.audit', 'audit.read'],
  ['operations', 'office.operations', null],
];

function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function Office() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const token = useRef<string | null>(null);
  token.current = session?.token ?? null;
  const api = useMemo(() => createApi({ getToken: () => token.current }), []);
  useEffect(() => {
    if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(SESSION_KEY);
  }, [session]);
  if (!session) return <OfficeSignIn api={api} onSignedIn={setSession} />;
  return (
    <OfficeShell
      api={api}
      session={session}
      onSignOut={() => {
        void api.post('/api/auth/logout', {}).catch(() => undefined);
        setSession(null);
      }}
    />
  );
}

function OfficeSignIn({ api, onSignedIn }: { api: ApiClient; onSignedIn: (s: Session) => void }) {
  const { lang, tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    try {
      onSignedIn(await loginPassword(api, String(form.get('username') ?? ''), String(form.get('password') ?? '')));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 401 ? tr('office.badLogin') : errorText(lang, err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="signin">
      <form class="signin-card" onSubmit={(e) => void submit(e)}>
        <header class="signin-head">
          <h1>{tr('office.title')}</h1>
        </header>
        <label class="field">
          <span>{tr('office.username')}</span>
          <input class="big-input" name="username" autoComplete="username" autoFocus required />
        </label>
        <label class="field">
          <span>{tr('office.password')}</span>
          <input class="big-input" name="password" type="password" autoComplete="current-password" required />
        </label>
        <button type="submit" class="primary wide-button" disabled={busy}>
          {busy ? tr('signin.busy') : tr('signin.submit')}
        </button>
        <p class="error-text" role="alert">
          {error ?? ''}
        </p>
        <LangSwitch />
      </form>
    </main>
  );
}

function OfficeShell({ api, session, onSignOut }: { api: ApiClient; session: Session; onSignOut: () => void }) {
  const { tr } = useT();
  const pages = PAGES.filter(([, , perm]) => perm === null || can(session, perm));
  const [page, setPage] = useState<PageId>(pages[0]?.[0] ?? 'operations');
  useEffect(() => {
    // Alt+1…9, Alt+0 open the pages without a mouse; Alt+↑ / Alt+↓ step through all of them.
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey) return;
      const p = /^\d$/.test(e.key) ? pages[(Number(e.key) + 9) % 10] : undefined;
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp')
        setPage((now) => {
          const at = pages.findIndex(([id]) => id === now);
          return pages[(at + (e.key === 'ArrowDown' ? 1 : pages.length - 1)) % pages.length]?.[0] ?? now;
        });
      else if (!p) return;
      e.preventDefault();
      if (p) setPage(p[0]);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [pages.length]);
  return (
    <div class="office">
      <header class="topbar">
        <strong class="brand">{tr('office.title')}</strong>
        <span>{tr('office.user', { name: session.user.displayName, role: session.user.role })}</span>
        <span class="spacer" />
        <LangSwitch />
        <a class="ghost-link" href="/">
          {tr('office.toLane')}
        </a>
        <button type="button" class="ghost" onClick={onSignOut}>
          {tr('lane.signOut')}
        </button>
      </header>
      <div class="office-body">
        <nav class="office-nav" aria-label={tr('office.title')}>
          {pages.map(([id, label], i) => (
            <button type="button" key={id} aria-current={id === page ? 'page' : undefined} onClick={() => setPage(id)}>
              {i < 10 && <kbd>Alt+{(i + 1) % 10}</kbd>} {tr(label)}
            </button>
          ))}
        </nav>
        <main class="office-main">
          {page === 'products' && <Products api={api} canWrite={can(session, 'catalog.write')} />}
          {page === 'prices' && <PriceGrid api={api} />}
          {page === 'imports' && <Imports api={api} canExport={can(session, 'data.export')} />}
          {page === 'customers' && (
            <Customers
              api={api}
              canWrite={can(session, 'customers.write')}
              canCredit={can(session, 'customers.credit')}
            />
          )}
          {page === 'suppliers' && <Suppliers api={api} canWrite={can(session, 'suppliers.write')} />}
          {page === 'reports' && <Reports api={api} canExport={can(session, 'reports.export')} />}
          {page === 'shifts' && <Shifts api={api} />}
          {page === 'users' && <Users api={api} />}
          {page === 'terminals' && <Terminals api={api} />}
          {page === 'audit' && <Audit api={api} canExport={can(session, 'audit.export')} />}
          {page === 'operations' && <Operations api={api} />}
        </main>
      </div>
    </div>
  );
}

function Products({ api, canWrite }: { api: ApiClient; canWrite: boolean }) {
  const { lang, tr } = useT();
  const [q, setQ] = useState('');
  const { editing, edit, version, close } = useEditing<Product>();
  const query = useDebounced(q.trim());
  const path = query ? `/api/products/search?q=${encodeURIComponent(query)}&limit=50` : '/api/products?limit=50';
  const { load, items, more } = usePaged<Product>(api, path, version);
  return (
    <section>
      <h2>{tr('office.products')}</h2>
      <SearchBox value={q} onChange={setQ} placeholder={tr('search.placeholder')} />
      <Table
        head={['SKU', tr('cart.item'), ...TIER_KEYS.map((k) => tr(`tier.${k}`)), tr('office.barcodes'), '']}
        nums={[2, 3, 4, 5]}
      >
        {items.map((p) => (
          <tr key={p.id} class={p.active === false ? 'muted' : ''}>
            <td>{p.sku}</td>
            <td>
              {(lang !== 'en' && p.names[lang]) || p.names.en}
              {p.weighed ? ` (${p.unit})` : ''}
            </td>
            {TIER_KEYS.map((k) => (
              <td key={k} class="num">
                {formatMoney(p.prices[k] ?? p.prices.retail)}
              </td>
            ))}
            <td class="small">{(p.barcodes ?? []).map((b) => b.code).join(', ')}</td>
            <EditCell canWrite={canWrite} onEdit={() => edit(p)} />
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {editing && editing !== 'new' && <ProductEditor api={api} product={editing} onClose={close} />}
    </section>
  );
}

/** Edit a product's names, tier prices (major units), barcodes and active flag: `PATCH /api/products/{id}`. */
function ProductEditor(props: { api: ApiClient; product: Product; onClose: (saved: boolean) => void }) {
  const { lang, tr } = useT();
  const p = props.product;
  const save = async (form: HTMLFormElement): Promise<string | null> => {
    const f = new FormData(form);
    const text = (k: string) => String(f.get(k) ?? '').trim();
    const prices: Record<string, number> = {};
    for (const k of TIER_KEYS) {
      const parsed = parseMoney(text(k));
      if (!parsed.ok || parsed.value < 0)
        return `${tr(`tier.${k}`)}: ${tr(`parse.${parsed.ok ? 'NOT_POSITIVE' : parsed.error}`)}`;
      prices[k] = parsed.value;
    }
    const names: Record<string, string | null> = { en: text('en'), si: text('si') || null, ta: text('ta') || null };
    const barcodes = text('barcodes')
      .split(/[\s,]+/)
      .filter((c) => c !== '');
    const body = { names, prices, barcodes, active: f.get('active') === 'on' };
    return saveRecord(props.api, lang, '/api/products', p.id, body);
  };
  const major = (v: number | undefined) => formatMoney(v ?? 0).replace(/,/g, '');
  return (
    <EditorDialog title={tr('office.editProduct', { sku: p.sku })} onSave={save} onClose={props.onClose}>
      <label class="field">
        <span>English</span>
        <input name="en" value={p.names.en} required autoFocus />
      </label>
      <label class="field" lang="si">
        <span>සිංහල</span>
        <input name="si" value={p.names.si ?? ''} />
      </label>
      <label class="field" lang="ta">
        <span>தமிழ்</span>
        <input name="ta" value={p.names.ta ?? ''} />
      </label>
      {TIER_KEYS.map((k) => (
        <label class="field" key={k}>
          <span>{tr(`tier.${k}`)}</span>
          <input name={k} inputMode="decimal" value={major(p.prices[k] ?? p.prices.retail)} />
        </label>
      ))}
      <label class="field wide-field">
        <span>{tr('office.barcodes')}</span>
        <input name="barcodes" value={(p.barcodes ?? []).map((b) => b.code).join(', ')} />
      </label>
      <label class="check">
        <input type="checkbox" name="active" checked={p.active !== false} /> {tr('office.active')}
      </label>
    </EditorDialog>
  );
}

interface UserRow {
  id: number;
  username: string;
  displayName: string;
  role: string;
  active: boolean;
  hasPin: boolean;
  hasPassword: boolean;
  lockedUntil: string | null;
}

function Users({ api }: { api: ApiClient }) {
  const { lang, tr } = useT();
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const { load, items, more } = usePaged<UserRow>(api, '/api/users?limit=100', version);
  const create = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const f = new FormData(form);
    const role = String(f.get('role'));
    const password = String(f.get('password') ?? '');
    const body: Record<string, unknown> = {
      username: String(f.get('username') ?? '').trim(),
      displayName: String(f.get('displayName') ?? '').trim(),
      role,
      generatePin: role === 'cashier' || role === 'manager',
    };
    if (password) body['password'] = password;
    try {
      const saved = await api.post<{ username: string; generatedPin?: string | null }>('/api/users', body);
      setNotice(
        saved.generatedPin
          ? tr('office.userPin', { name: saved.username, pin: saved.generatedPin })
          : tr('office.userCreated', { name: saved.username }),
      );
      form.reset();
      setVersion((v) => v + 1);
    } catch (err) {
      setNotice(problemText(lang, err));
    }
  };
  return (
    <section>
      <h2>{tr('office.users')}</h2>
      <Table head={[tr('office.username'), tr('office.name'), tr('office.role'), tr('office.state')]}>
        {items.map((u) => (
          <tr key={u.id} class={u.active ? '' : 'muted'}>
            <td>{u.username}</td>
            <td>{u.displayName}</td>
            <td>{u.role}</td>
            <td>
              {u.active ? tr('office.active') : tr('office.disabled')}
              {u.lockedUntil ? ` · ${tr('office.locked')}` : ''}
            </td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      <h3>{tr('office.newUser')}</h3>
      <form class="form-grid" onSubmit={(e) => void create(e)}>
        <label class="field">
          <span>{tr('office.username')}</span>
          <input name="username" required />
        </label>
        <label class="field">
          <span>{tr('office.name')}</span>
          <input name="displayName" required />
        </label>
        <label class="field">
          <span>{tr('office.role')}</span>
          <select name="role">
            {['cashier', 'manager', 'admin', 'auditor'].map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>{tr('office.password')}</span>
          <input name="password" type="password" autoComplete="new-password" />
        </label>
        <div class="form-actions wide-field">
          <button type="submit" class="primary">
            {tr('office.create')}
          </button>
        </div>
        {notice && (
          <p class="notice info wide-field" role="status">
            {notice}
          </p>
        )}
      </form>
    </section>
  );
}

interface TerminalRow {
  id: number;
  name: string;
  storeCode: string;
  active: boolean;
  lastSeenAt: string | null;
  deviceServiceUrl: string | null;
}

function Terminals({ api }: { api: ApiClient }) {
  const { tr } = useT();
  const { load, items, more } = usePaged<TerminalRow>(api, '/api/terminals?limit=100');
  return (
    <section>
      <h2>{tr('office.terminals')}</h2>
      <Table head={[tr('office.name'), tr('office.store'), tr('office.lastSeen'), tr('office.state')]}>
        {items.map((t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            <td>{t.storeCode}</td>
            <td>{t.lastSeenAt ? new Date(t.lastSeenAt).toLocaleString() : '—'}</td>
            <td>{t.active ? tr('office.active') : tr('office.disabled')}</td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
    </section>
  );
}

interface AuditRow {
  id: number;
  occurredAt: string;
  actorName: string | null;
  approverName: string | null;
  terminalName: string | null;
  action: string;
  entity: string | null;
  entityId: string | null;
  details: Record<string, unknown>;
}

function Audit({ api, canExport }: { api: ApiClient; canExport: boolean }) {
  const { lang, tr } = useT();
  const [action, setAction] = useState('');
  const filter = useDebounced(action.trim());
  const { load, items, more } = usePaged<AuditRow>(
    api,
    `/api/audit-events?limit=100${filter ? `&action=${encodeURIComponent(filter)}` : ''}`,
  );
  const [error, setError] = useState<string | null>(null);
  const exportCsv = async () => {
    try {
      await download(
        `/api/audit-events/export.csv${filter ? `?action=${encodeURIComponent(filter)}` : ''}`,
        'audit-events.csv',
      );
    } catch (e) {
      setError(errorText(lang, e));
    }
  };
  return (
    <section>
      <h2>{tr('office.audit')}</h2>
      <div class="toolbar">
        <SearchBox value={action} onChange={setAction} placeholder={tr('office.actionFilter')} />
        {canExport && (
          <button type="button" onClick={() => void exportCsv()}>
            {tr('office.exportCsv')}
          </button>
        )}
      </div>
      {error && <p class="notice error">{error}</p>}
      <Table
        head={[tr('office.when'), tr('office.action'), tr('office.actor'), tr('office.entity'), tr('office.details')]}
      >
        {items.map((ev) => (
          <tr key={ev.id}>
            <td class="small">{new Date(ev.occurredAt).toLocaleString()}</td>
            <td>{ev.action}</td>
            <td>
              {ev.actorName ?? '—'}
              {ev.approverName ? ` (${ev.approverName})` : ''}
              {ev.terminalName ? ` @${ev.terminalName}` : ''}
            </td>
            <td>{ev.entity ? `${ev.entity} ${ev.entityId ?? ''}` : ''}</td>
            <td class="small mono">{JSON.stringify(ev.details)}</td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
    </section>
  );
}
