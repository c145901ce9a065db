/** Suppliers: list (name prefix search), create and edit (`/api/suppliers`, `suppliers.read` / `suppliers.write`). */
import { useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { Dialog, useT } from '../ui';
import { ListStatus, problemText, SearchBox, Table, useDebounced, usePaged } from './common';

export interface Supplier {
  id: number;
  name: string;
  phone: string;
  email: string;
  address: string;
  taxId: string;
  notes: string;
  active: boolean;
  productCount: number;
}

const FIELDS = ['name', 'phone', 'email', 'address', 'taxId', 'notes'] as const;

export function Suppliers({ api, canWrite }: { api: ApiClient; canWrite: boolean }) {
  const { tr } = useT();
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Supplier | 'new' | null>(null);
  const query = useDebounced(q.trim());
  const { load, items, more } = usePaged<Supplier>(
    api,
    `/api/suppliers?limit=100${query ? `&q=${encodeURIComponent(query)}` : ''}`,
    version,
  );
  return (
    <section>
      <h2>{tr('office.suppliers')}</h2>
      <div class="toolbar">
        <SearchBox value={q} onChange={setQ} placeholder={tr('office.supplierSearch')} />
        {canWrite && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            {tr('office.newSupplier')}
          </button>
        )}
      </div>
      <Table
        head={[
          tr('office.name'),
          tr('office.phone'),
          tr('office.email'),
          tr('office.productCount'),
          tr('office.state'),
          '',
        ]}
        nums={[3]}
      >
        {items.map((s) => (
          <tr key={s.id} class={s.active ? '' : 'muted'}>
            <td>{s.name}</td>
            <td>{s.phone}</td>
            <td>{s.email}</td>
            <td class="num">{s.productCount}</td>
            <td>{s.active ? tr('office.active') : tr('office.disabled')}</td>
            <td>
              {canWrite && (
                <button type="button" onClick={() => setEditing(s)}>
                  {tr('office.edit')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {editing && (
        <SupplierEditor
          api={api}
          supplier={editing === 'new' ? null : editing}
          onClose={(saved) => {
            setEditing(null);
            if (saved) setVersion((v) => v + 1);
          }}
        />
      )}
    </section>
  );
}

function SupplierEditor(props: { api: ApiClient; supplier: Supplier | null; onClose: (saved: boolean) => void }) {
  const { lang, tr } = useT();
  const s = props.supplier;
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const body: Record<string, unknown> = { active: f.get('active') === 'on' };
    for (const k of FIELDS) body[k] = String(f.get(k) ?? '').trim();
    try {
      if (s) await props.api.patch(`/api/suppliers/${s.id}`, body);
      else await props.api.post('/api/suppliers', body);
      props.onClose(true);
    } catch (err) {
      setError(problemText(lang, err));
    }
  };
  return (
    <Dialog title={s ? tr('office.editSupplier', { name: s.name }) : tr('office.newSupplier')} wide>
      <form
        class="form-grid"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => e.key === 'Escape' && props.onClose(false)}
      >
        {FIELDS.map((k, i) => (
          <label class={k === 'address' || k === 'notes' ? 'field wide-field' : 'field'} key={k}>
            <span>{tr(`office.${k}`)}</span>
            <input name={k} value={s ? s[k] : ''} required={k === 'name'} autoFocus={i === 0} />
          </label>
        ))}
        <label class="check">
          <input type="checkbox" name="active" checked={s ? s.active : true} /> {tr('office.active')}
        </label>
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
