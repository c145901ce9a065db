/**
 * CSV import (docs/CATALOG.md): pick the kind and a file → upload (`POST /api/imports?kind=`, the file as the body)
 * → the server checks every row in the background (progress bar from `GET /api/imports/{id}`) → preview: counts,
 * rejections with line, column, code and reason, rows by outcome → commit (all or nothing) or discard.
 * Exports (`GET /api/exports/{kind}`) download the same format.
 */
import { useEffect, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import type { MessageKey } from '../lib/i18n';
import { useT } from '../ui';
import { download, problemText, Table } from './common';

const KINDS = ['products', 'prices', 'suppliers', 'customers'] as const;
type Kind = (typeof KINDS)[number];
const ACTIONS = ['create', 'update', 'unchanged', 'rejected'] as const;
type RowAction = (typeof ACTIONS)[number];

interface RowReport {
  line: number;
  action: RowAction;
  key: string;
  changes?: string[];
  column?: string;
  code?: string;
  reason?: string;
}

export interface ImportJob {
  id: string;
  kind: Kind;
  filename: string | null;
  status: 'validating' | 'ready' | 'committing' | 'committed' | 'failed';
  progress: { stage: string; done: number; total: number };
  counts: Record<RowAction, number> | null;
  rejections: RowReport[];
  error: { code: string; detail: string } | null;
  outcome: { created: number; updated: number; audited: number } | null;
}

const POLL_MS = 300;

/** Follow an import until it is no longer busy (validating or committing). */
function useJobPoll(
  api: ApiClient,
  job: ImportJob | null,
  setJob: (j: ImportJob) => void,
  onError: (e: unknown) => void,
) {
  useEffect(() => {
    if (!job || (job.status !== 'validating' && job.status !== 'committing')) return;
    const timer = setTimeout(() => {
      api.get<ImportJob>(`/api/imports/${job.id}`).then(setJob).catch(onError);
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [job]);
}

export function Imports({ api, canExport }: { api: ApiClient; canExport: boolean }) {
  const { lang, tr } = useT();
  const [kind, setKind] = useState<Kind>('products');
  const [file, setFile] = useState<File | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [accept, setAccept] = useState(false);
  const [show, setShow] = useState<RowAction>('rejected');
  const [rows, setRows] = useState<RowReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const fail = (e: unknown) => setError(problemText(lang, e));
  useJobPoll(api, job, setJob, fail);

  useEffect(() => {
    if (!job || job.status !== 'ready') return setRows(null);
    api
      .get<{ items: RowReport[] }>(`/api/imports/${job.id}/rows?action=${show}&limit=100`)
      .then((p) => setRows(p.items))
      .catch(fail);
  }, [job?.id, job?.status, show]);

  const upload = async () => {
    if (!file || busy) return;
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const text = await file.text();
      const path = `/api/imports?kind=${kind}&filename=${encodeURIComponent(file.name)}`;
      const j = await api.postRaw<ImportJob>(path, text, 'text/csv');
      setJob(j);
      setAccept(false);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  };

  const commit = async () => {
    if (!job || busy) return;
    setBusy(true);
    setError(null);
    try {
      setJob({ ...job, status: 'committing' });
      setJob(await api.post<ImportJob>(`/api/imports/${job.id}/commit`, { acceptRejections: accept }));
    } catch (e) {
      fail(e);
      api
        .get<ImportJob>(`/api/imports/${job.id}`)
        .then(setJob)
        .catch(() => setJob(null));
    } finally {
      setBusy(false);
    }
  };

  const discard = async () => {
    if (!job) return;
    await api.del(`/api/imports/${job.id}`).catch(() => undefined);
    setJob(null);
    setRows(null);
  };

  const counts = job?.counts;
  const progress = job?.progress;
  return (
    <section>
      <h2>{tr('office.imports')}</h2>
      <div class="toolbar">
        <label class="field inline">
          <span>{tr('import.kind')}</span>
          <select name="kind" value={kind} onChange={(e) => setKind(e.currentTarget.value as Kind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {tr(`import.kind.${k}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="file"
          name="file"
          accept=".csv,text/csv"
          aria-label={tr('import.file')}
          onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)}
        />
        <button type="button" class="primary" disabled={!file || busy} onClick={() => void upload()}>
          {tr('import.upload')}
        </button>
        {canExport && (
          <button type="button" onClick={() => void download(`/api/exports/${kind}`, `${kind}.csv`).catch(fail)}>
            {tr('import.export', { kind: tr(`import.kind.${kind}` as MessageKey) })}
          </button>
        )}
      </div>
      <p class="muted small">{tr('import.help')}</p>
      {error && (
        <p class="notice error" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {job && (
        <div class="import-job" data-testid="import-job" data-status={job.status}>
          <p>
            <strong>{job.filename ?? job.id}</strong> · {tr(`import.status.${job.status}` as MessageKey)}
          </p>
          {progress && (job.status === 'validating' || job.status === 'committing') && (
            <progress value={progress.done} max={Math.max(1, progress.total)} aria-label={tr('import.progress')} />
          )}
          {job.error && <p class="notice error">{`${job.error.code}: ${job.error.detail}`}</p>}
          {counts && (
            <div class="counts" role="tablist">
              {ACTIONS.map((a) => (
                <button
                  type="button"
                  key={a}
                  role="tab"
                  aria-selected={a === show}
                  class={a === 'rejected' && counts.rejected > 0 ? 'count danger' : 'count'}
                  data-testid={`count-${a}`}
                  onClick={() => setShow(a)}
                >
                  <strong>{counts[a]}</strong> {tr(`import.action.${a}` as MessageKey)}
                </button>
              ))}
            </div>
          )}
          {rows && (
            <Table
              head={[
                tr('import.line'),
                tr('import.key'),
                show === 'rejected' ? tr('import.problem') : tr('import.changes'),
              ]}
            >
              {rows.map((r) => (
                <tr key={r.line}>
                  <td class="num">{r.line}</td>
                  <td>{r.key}</td>
                  <td class="small">
                    {r.action === 'rejected'
                      ? `${r.column ?? ''} ${r.code ?? ''}: ${r.reason ?? ''}`
                      : (r.changes ?? []).join(', ')}
                  </td>
                </tr>
              ))}
            </Table>
          )}
          {job.status === 'ready' && (
            <div class="toolbar">
              {counts && counts.rejected > 0 && (
                <label class="check">
                  <input type="checkbox" checked={accept} onChange={() => setAccept(!accept)} />{' '}
                  {tr('import.accept', { count: counts.rejected })}
                </label>
              )}
              <button
                type="button"
                class="primary"
                disabled={busy || (counts !== null && counts !== undefined && counts.rejected > 0 && !accept)}
                onClick={() => void commit()}
              >
                {tr('import.commit')}
              </button>
              <button type="button" onClick={() => void discard()}>
                {tr('import.discard')}
              </button>
            </div>
          )}
          {job.outcome && (
            <p class="notice ok" role="status" data-testid="import-outcome">
              {tr('import.outcome', job.outcome)}
            </p>
          )}
        </div>
      )}
    </section>
  );
}
