/**
 * Customers: list (name or phone search), create and edit (`/api/customers`, `customers.read` / `customers.write`).
 * The type sets the price tier at the lane; a type other than retail and the credit limit need `customers.credit`
 * (the server refuses them otherwise, so the fields are read-only without it). The balance is read-only: sales on
 * account raise it, payments and voids lower it.
 */
import { useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { formatMoney, parseMoney } from '../lib/money';
import type { Customer } from '../lib/pos-api';
import { useT } from '../ui';
import {
  EditCell,
  EditorDialog,
  ListStatus,
  ListToolbar,
  saveRecord,
  Table,
  TIER_KEYS,
  useEditableList,
} from './common';

type Tier = (typeof TIER_KEYS)[number];
const tierOf = (t: string): Tier => ((TIER_KEYS as readonly string[]).includes(t) ? (t as Tier) : 'retail');

export function Customers(props: { api: ApiClient; canWrite: boolean; canCredit: boolean }) {
  const { tr } = useT();
  const { q, setQ, editing, edit, close, load, items, more } = useEditableList<Customer>(
    props.api,
    '/api/customers',
    50,
  );
  return (
    <section>
      <h2>{tr('office.customers')}</h2>
      <ListToolbar
        q={q}
        onQ={setQ}
        placeholder={tr('customer.placeholder')}
        newLabel={props.canWrite ? tr('office.newCustomer') : null}
        onNew={() => edit('new')}
      />
      <Table
        head={[
          tr('office.name'),
          tr('office.phone'),
          tr('office.customerType'),
          tr('office.creditLimit'),
          tr('office.balance'),
          tr('office.state'),
          '',
        ]}
        nums={[3, 4]}
      >
        {items.map((c) => (
          <tr key={c.id} class={c.active ? '' : 'muted'}>
            <td>{c.name}</td>
            <td>{c.phone}</td>
            <td>{tr(`tier.${tierOf(c.type)}`)}</td>
            <td class="num">{formatMoney(c.creditLimit, c.currency)}</td>
            <td class="num">{formatMoney(c.balance ?? 0, c.currency)}</td>
            <td>{c.active ? tr('office.active') : tr('office.disabled')}</td>
            <EditCell canWrite={props.canWrite} onEdit={() => edit(c)} />
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {editing && (
        <CustomerEditor
          api={props.api}
          customer={editing === 'new' ? null : editing}
          canCredit={props.canCredit}
          onClose={close}
        />
      )}
    </section>
  );
}

function CustomerEditor(props: {
  api: ApiClient;
  customer: Customer | null;
  canCredit: boolean;
  onClose: (saved: boolean) => void;
}) {
  const { lang, tr } = useT();
  const c = props.customer;
  // Controlled fields: a re-render of the page behind the dialog must not reset what was typed.
  const [form, setForm] = useState({
    name: c?.name ?? '',
    phone: c?.phone ?? '',
    type: tierOf(c?.type ?? 'retail') as string,
    creditLimit: formatMoney(c?.creditLimit ?? 0).replace(/,/g, ''),
    notes: c?.notes ?? '',
    active: c ? c.active : true,
  });
  const field = (k: 'name' | 'phone' | 'type' | 'creditLimit' | 'notes') => ({
    name: k,
    value: form[k],
    onInput: (e: Event) => setForm((f) => ({ ...f, [k]: (e.currentTarget as HTMLInputElement).value })),
  });
  const save = async (): Promise<string | null> => {
    const body: Record<string, unknown> = {
      name: form.name.trim(),
      phone: form.phone.trim(),
      notes: form.notes.trim(),
      active: form.active,
    };
    if (props.canCredit) {
      const limit = parseMoney(form.creditLimit.trim() || '0');
      if (!limit.ok || limit.value < 0) return tr(`parse.${limit.ok ? 'NOT_POSITIVE' : limit.error}`);
      body['type'] = form.type;
      body['creditLimit'] = limit.value;
    }
    return saveRecord(props.api, lang, '/api/customers', c ? c.id : null, body);
  };
  return (
    <EditorDialog
      title={c ? tr('office.editCustomer', { name: c.name }) : tr('office.newCustomer')}
      onSave={save}
      onClose={props.onClose}
    >
      <label class="field">
        <span>{tr('office.name')}</span>
        <input {...field('name')} required maxLength={200} autoFocus />
      </label>
      <label class="field">
        <span>{tr('office.phone')}</span>
        <input {...field('phone')} maxLength={40} inputMode="tel" />
      </label>
      <label class="field">
        <span>{tr('office.customerType')}</span>
        <select {...field('type')} onChange={field('type').onInput} disabled={!props.canCredit}>
          {TIER_KEYS.map((k) => (
            <option key={k} value={k}>
              {tr(`tier.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>{tr('office.creditLimit')}</span>
        <input {...field('creditLimit')} inputMode="decimal" readOnly={!props.canCredit} />
      </label>
      {c && (
        <label class="field">
          <span>{tr('office.balance')}</span>
          <input name="balance" value={formatMoney(c.balance ?? 0, c.currency)} readOnly tabIndex={-1} />
        </label>
      )}
      <label class="field wide-field">
        <span>{tr('office.notes')}</span>
        <input {...field('notes')} maxLength={2000} />
      </label>
      <p class="muted small wide-field">{tr('office.customerTypeHint')}</p>
      <label class="check">
        <input
          type="checkbox"
          name="active"
          checked={form.active}
          onChange={(e) => setForm((f) => ({ ...f, active: e.currentTarget.checked }))}
        />{' '}
        {tr('office.active')}
      </label>
    </EditorDialog>
  );
}
