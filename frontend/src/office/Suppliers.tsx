/** Suppliers: list (name prefix search), create and edit (`/api/suppliers`, `suppliers.read` / `suppliers.write`). */
import type { ApiClient } from '../lib/api';
import { useT } from '../ui';
import { EditCell, EditorDialog, ListStatus, ListToolbar, saveRecord, Table, useEditableList } from './common';

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
  const { q, setQ, editing, edit, close, load, items, more } = useEditableList<Supplier>(api, '/api/suppliers', 100);
  return (
    <section>
      <h2>{tr('office.suppliers')}</h2>
      <ListToolbar
        q={q}
        onQ={setQ}
        placeholder={tr('office.supplierSearch')}
        newLabel={canWrite ? tr('office.newSupplier') : null}
        onNew={() => edit('new')}
      />
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
            <EditCell canWrite={canWrite} onEdit={() => edit(s)} />
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {editing && <SupplierEditor api={api} supplier={editing === 'new' ? null : editing} onClose={close} />}
    </section>
  );
}

function SupplierEditor(props: { api: ApiClient; supplier: Supplier | null; onClose: (saved: boolean) => void }) {
  const { lang, tr } = useT();
  const s = props.supplier;
  const save = (form: HTMLFormElement) => {
    const f = new FormData(form);
    const body: Record<string, unknown> = { active: f.get('active') === 'on' };
    for (const k of FIELDS) body[k] = String(f.get(k) ?? '').trim();
    return saveRecord(props.api, lang, '/api/suppliers', s ? s.id : null, body);
  };
  return (
    <EditorDialog
      title={s ? tr('office.editSupplier', { name: s.name }) : tr('office.newSupplier')}
      onSave={save}
      onClose={props.onClose}
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
    </EditorDialog>
  );
}
