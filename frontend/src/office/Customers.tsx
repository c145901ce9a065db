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
import { Dialog, useT } from '../ui';
import { ListStatus, problemText, SearchBox, Table, TIER_KEYS, useDebounced, usePaged } from './common';

type Tier = (typeof TIER_KEYS)[number];
const tierOf = (t: string): Tier => ((TIER_KEYS as readonly string[]).includes(t) ? (t as Tier) : 'retail');

export function Customers(props: { api: ApiClient; canWrite: boolean; canCredit: boolean }) {
  const { tr } = useT();
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Customer | 'new' | null>(null);
  const query = useDebounced(q.trim());
  const { load, items, more } = usePaged<Customer>(
    props.api,
    `/api/customers?limit=50${query ? `&q=${encodeURIComponent(query)}` : ''}`,
    version,
  );
  return (
    <section>
      <h2>{tr('office.customers')}</h2>
      <div class="toolbar">
        <SearchBox value={q} onChange={setQ} placeholder={tr('customer.placeholder')} />
        {props.canWrite && (
          <button type="button" class="primary" onClick={() => setEditing('new')}>
            {tr('office.newCustomer')}
          </button>
        )}
      </div>
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
            <td>
              {props.canWrite && (
                <button type="button" onClick={() => setEditing(c)}>
                  {tr('office.edit')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {editing && (
        <CustomerEditor
          api={props.api}
          customer={editing === 'new' ? null : editing}
          canCredit={props.canCredit}
          onClose={(saved) => {
            setEditing(null);
            if (saved) setVersion((v) => v + 1);
          }}
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
  const [error, setError] = useState<string | null>(null);
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
  const submit = async (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {
      name: form.name.trim(),
      phone: form.phone.trim(),
      notes: form.notes.trim(),
      active: form.active,
    };
    if (props.canCredit) {
      const limit = parseMoney(form.creditLimit.trim() || '0');
      if (!limit.ok || limit.value < 0) return setError(tr(`parse.${limit.ok ? 'NOT_POSITIVE' : limit.error}`));
      body['type'] = form.type;
      body['creditLimit'] = limit.value;
    }
    try {
      if (c) await props.api.patch(`/api/customers/${c.id}`, body);
      else await props.api.post('/api/customers', body);
      props.onClose(true);
    } catch (err) {
      setError(problemText(lang, err));
    }
  };
  return (
    <Dialog title={c ? tr('office.editCustomer', { name: c.name }) : tr('office.newCustomer')} wide>
      <form
        class="form-grid"
        onSubmit={(e) => void submit(e)}
        onKeyDown={(e) => e.key === 'Escape' && props.onClose(false)}
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
