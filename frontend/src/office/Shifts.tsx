/** Shifts and Z reports: every terminal's shifts (newest first), the X of an open one, the Z (COPY) of a closed one. */
import { useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { formatMoney } from '../lib/money';
import { reportText, reprintZ, xReport, type Shift } from '../lib/shifts';
import { Dialog, useT } from '../ui';
import { reportLabels } from '../screens/Shift';
import { ListStatus, problemText, Table, usePaged } from './common';

export function Shifts({ api }: { api: ApiClient }) {
  const { lang, tr } = useT();
  const [status, setStatus] = useState('');
  const { load, items, more } = usePaged<Shift>(api, `/api/shifts?limit=50${status ? `&status=${status}` : ''}`);
  const [shown, setShown] = useState<{ title: string; text: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const money = (v: number | null) => (v === null ? '' : formatMoney(v));
  const open = async (s: Shift) => {
    setError(null);
    try {
      if (s.status === 'open')
        setShown({ title: tr('shift.xTitle'), text: reportText(await xReport(api, s.id), reportLabels(tr, 'x')) });
      else setShown({ title: tr('shift.zTitle'), text: (await reprintZ(api, s.id)).text });
    } catch (e) {
      setError(problemText(lang, e));
    }
  };
  return (
    <section>
      <h2>{tr('office.shifts')}</h2>
      <div class="toolbar">
        <select
          name="status"
          aria-label={tr('office.state')}
          value={status}
          onChange={(e) => setStatus(e.currentTarget.value)}
        >
          <option value="">{tr('shifts.all')}</option>
          <option value="open">{tr('shifts.open')}</option>
          <option value="closed">{tr('shifts.closed')}</option>
        </select>
      </div>
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      <Table
        head={[
          tr('reports.col.shiftId'),
          tr('reports.col.terminal'),
          tr('shift.opened'),
          tr('office.state'),
          tr('shift.float'),
          tr('shift.expected'),
          tr('shift.declared'),
          tr('shift.variance'),
          tr('reports.col.zNumber'),
          '',
        ]}
        nums={[4, 5, 6, 7, 8]}
      >
        {items.map((s) => (
          <tr key={s.id}>
            <td>{s.id}</td>
            <td>{s.terminal}</td>
            <td class="small">
              {new Date(s.openedAt).toLocaleString()} · {s.openedByName}
            </td>
            <td>{s.status === 'open' ? tr('shifts.open') : tr('shifts.closed')}</td>
            <td class="num">{money(s.openingFloat)}</td>
            <td class="num">{money(s.expectedCash)}</td>
            <td class="num">{money(s.declaredCash)}</td>
            <td class={s.variance !== null && s.variance < 0 ? 'num danger-text' : 'num'}>{money(s.variance)}</td>
            <td class="num">{s.zNumber ?? ''}</td>
            <td>
              <button type="button" onClick={() => void open(s)}>
                {s.status === 'open' ? tr('shift.x') : tr('shift.reprintZ')}
              </button>
            </td>
          </tr>
        ))}
      </Table>
      <ListStatus load={load} count={items.length} more={more} />
      {shown && (
        <Dialog title={shown.title} wide>
          <div onKeyDown={(e) => (e.key === 'Escape' || e.key === 'Enter') && setShown(null)}>
            <pre class="receipt" data-testid="report-text">
              {shown.text}
            </pre>
            <div class="done-actions">
              <button type="button" onClick={() => window.print()}>
                {tr('done.print')}
              </button>
              <button type="button" class="primary" autoFocus onClick={() => setShown(null)}>
                {tr('shift.close')}
              </button>
            </div>
          </div>
        </Dialog>
      )}
    </section>
  );
}
