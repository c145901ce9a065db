/**
 * Reports (`GET /api/reports`, `GET /api/reports/{name}?from=&to=&period=`): pick a report and a range of
 * business days; a bar chart (plain CSS, no chart library) of the report's main figure, the table with totals,
 * and the CSV download (`format=csv`, needs reports.export).
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { formatMoney } from '../lib/money';
import {
  bars,
  cellText,
  chartColumns,
  columnKey,
  isNumeric,
  reportNameKey,
  reportPath,
  type Report,
} from '../lib/reports';
import { useT } from '../ui';
import { download, problemText } from './common';

interface ReportInfo {
  name: string;
  description: string;
}

export function Reports({ api, canExport }: { api: ApiClient; canExport: boolean }) {
  const { lang, tr } = useT();
  const [list, setList] = useState<ReportInfo[]>([]);
  const [name, setName] = useState('sales-by-hour');
  // Empty until the first answer: the server's default range is the store's business day today (its time zone).
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [period, setPeriod] = useState('day');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    api
      .get<{ items: ReportInfo[] }>('/api/reports')
      .then((r) => setList(r.items))
      .catch((e: unknown) => setError(problemText(lang, e)));
  }, []);

  useEffect(() => {
    if (from && to && from > to) return setError(tr('reports.badRange'));
    const abort = new AbortController();
    setBusy(true);
    setError(null);
    api
      .get<Report>(reportPath(name, from, to, period), { signal: abort.signal })
      .then((r) => {
        setReport(r);
        if (!from) setFrom(r.from);
        if (!to) setTo(r.to);
      })
      .catch((e: unknown) => abort.signal.aborted || (setReport(null), setError(problemText(lang, e))))
      .finally(() => setBusy(false));
    return () => abort.abort();
  }, [name, from, to, period]);

  const money = (v: number) => formatMoney(v);
  // Translated headers and report titles; a column or report this client does not know keeps its API name.
  const head = (c: string) => {
    const key = columnKey(c);
    return key ? tr(key) : c;
  };
  const title = (n: string) => {
    const key = reportNameKey(n);
    return key ? tr(key) : n;
  };
  const numeric = new Set(report ? report.columns.filter((c) => isNumeric(report, c)) : []);
  const cols = report ? chartColumns(report) : null;
  const chart = report ? bars(report, money) : [];
  const description = list.find((r) => r.name === name)?.description;
  return (
    <section>
      <h2>{tr('office.reports')}</h2>
      <div class="toolbar">
        <label class="field inline">
          <span>{tr('reports.report')}</span>
          <select name="report" value={name} onChange={(e) => setName(e.currentTarget.value)}>
            {(list.length ? list.map((r) => r.name) : [name]).map((n) => (
              <option key={n} value={n}>
                {title(n)}
              </option>
            ))}
          </select>
        </label>
        <label class="field inline">
          <span>{tr('reports.from')}</span>
          <input type="date" name="from" value={from} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="field inline">
          <span>{tr('reports.to')}</span>
          <input type="date" name="to" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
        {name === 'sales-by-period' && (
          <label class="field inline">
            <span>{tr('reports.period')}</span>
            <select name="period" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}>
              {['day', 'week', 'month'].map((p) => (
                <option key={p} value={p}>
                  {tr(`reports.period.${p as 'day'}`)}
                </option>
              ))}
            </select>
          </label>
        )}
        {canExport && (
          <button
            type="button"
            data-testid="report-csv"
            onClick={() =>
              void download(
                reportPath(name, from, to, period, true),
                `${name}_${from || 'today'}_${to || 'today'}.csv`,
              ).catch((e: unknown) => setError(problemText(lang, e)))
            }
          >
            {tr('office.exportCsv')}
          </button>
        )}
      </div>
      {description && <p class="muted small">{description}</p>}
      {error && (
        <p class="notice error" role="alert">
          {error}
        </p>
      )}
      {busy && !report && <p class="muted">{tr('search.busy')}</p>}
      {report && cols && (
        <figure class="chart" data-testid="report-chart" aria-label={`${head(cols.value)} / ${head(cols.label)}`}>
          {chart.length === 0 && <p class="muted">{tr('reports.empty')}</p>}
          {chart.map((b, i) => (
            <div class="bar-row" key={i}>
              <span class="bar-label">{b.label}</span>
              <span class="bar-track">
                <span class={b.value < 0 ? 'bar neg' : 'bar'} style={{ width: `${(b.share * 100).toFixed(1)}%` }} />
              </span>
              <span class="bar-value num">{cellText(cols.value, b.value, money)}</span>
            </div>
          ))}
          <figcaption class="muted small">
            {tr('reports.caption', { value: head(cols.value), from: report.from, to: report.to, tz: report.timezone })}
          </figcaption>
        </figure>
      )}
      {report && (
        <div class="table-wrap">
          <table class="grid" data-testid="report-table">
            <thead>
              <tr>
                {report.columns.map((c) => (
                  <th key={c} class={numeric.has(c) ? 'num' : ''} title={c}>
                    {head(c)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row, i) => (
                <tr key={i}>
                  {report.columns.map((c) => (
                    <td key={c} class={numeric.has(c) ? 'num' : ''}>
                      {cellText(c, row[c] ?? null, money)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
            {Object.keys(report.totals).length > 0 && (
              <tfoot>
                <tr>
                  {report.columns.map((c, i) => (
                    <th key={c} class={numeric.has(c) ? 'num' : ''}>
                      {i === 0 ? tr('lane.total') : cellText(c, report.totals[c] ?? null, money)}
                    </th>
                  ))}
                </tr>
              </tfoot>
            )}
          </table>
        </div>
      )}
    </section>
  );
}
