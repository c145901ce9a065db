/**
 * Operations: `/api/health` (database, memory, backups), `/api/health/startup` (SLA), `/api/health/integrity` and
 * the store settings (`/api/settings`, read-only: they come from the environment, docs/CONFIGURATION.md).
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { useT } from '../ui';

type Json = Record<string, unknown>;
type Probe = { state: 'busy' } | { state: 'done'; ok: boolean; body: Json } | { state: 'error'; text: string };

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Health routes answer 503 with the same body when something is wrong: show it rather than an error. */
function useProbe(api: ApiClient, path: string, tick: number): Probe {
  const { lang } = useT();
  const [probe, setProbe] = useState<Probe>({ state: 'busy' });
  useEffect(() => {
    fetch(path, { headers: { Accept: 'application/json' } })
      .then(async (r) => {
        const body: unknown = await r.json().catch(() => null);
        if (!isObject(body)) throw new ApiError(r.status, `HTTP_${r.status}`, r.statusText);
        setProbe({ state: 'done', ok: r.ok && body['ok'] !== false, body });
      })
      .catch((e: unknown) => setProbe({ state: 'error', text: errorText(lang, e) }));
  }, [api, path, tick]);
  return probe;
}

function Badge({ ok }: { ok: boolean }) {
  const { tr } = useT();
  return <span class={ok ? 'badge ok-badge' : 'badge danger'}>{ok ? tr('ops.ok') : tr('ops.problem')}</span>;
}

/** A nested JSON value as a definition list (values only; objects nest). */
function Tree({ value }: { value: unknown }) {
  if (!isObject(value)) return <span class="mono">{value === null ? '—' : String(value)}</span>;
  return (
    <dl class="tree">
      {Object.entries(value).map(([k, v]) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Tree value={v} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function Card({ title, probe, pick }: { title: string; probe: Probe; pick?: (b: Json) => unknown }) {
  const { tr } = useT();
  return (
    <article class="ops-card" data-testid={`ops-${title}`}>
      <h3>
        {title} {probe.state === 'done' && <Badge ok={probe.ok} />}
      </h3>
      {probe.state === 'busy' && <p class="muted">{tr('search.busy')}</p>}
      {probe.state === 'error' && <p class="notice error">{probe.text}</p>}
      {probe.state === 'done' && <Tree value={pick ? pick(probe.body) : probe.body} />}
    </article>
  );
}

/** `/api/settings` (needs a session, unlike the health probes). */
function useSettings(api: ApiClient): Probe {
  const { lang } = useT();
  const [probe, setProbe] = useState<Probe>({ state: 'busy' });
  useEffect(() => {
    api
      .get<Json>('/api/settings')
      .then((body) => setProbe({ state: 'done', ok: true, body }))
      .catch((e: unknown) => setProbe({ state: 'error', text: errorText(lang, e) }));
  }, [api]);
  return probe;
}

export function Operations({ api }: { api: ApiClient }) {
  const { tr } = useT();
  const settings = useSettings(api);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setTick((n) => n + 1), 10_000);
    return () => clearInterval(t);
  }, []);
  const health = useProbe(api, '/api/health', tick);
  const startup = useProbe(api, '/api/health/startup', tick);
  const integrity = useProbe(api, '/api/health/integrity', tick);
  const backup: Probe =
    health.state === 'done' && isObject(health.body['backup'])
      ? { state: 'done', ok: health.body['backup']['ok'] === true, body: health.body['backup'] }
      : health;
  const sla: Probe =
    startup.state === 'done' && isObject(startup.body['metrics']) && isObject(startup.body['metrics']['sla'])
      ? { state: 'done', ok: startup.body['metrics']['sla']['allPassed'] === true, body: startup.body['metrics'] }
      : startup;
  return (
    <section>
      <h2>{tr('office.operations')}</h2>
      <p class="muted">{tr('ops.refresh')}</p>
      <div class="ops-grid">
        <Card
          title={tr('ops.health')}
          probe={health}
          pick={(b) => Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'backup'))}
        />
        <Card title={tr('ops.startup')} probe={sla} />
        <Card title={tr('ops.backup')} probe={backup} />
        <Card title={tr('ops.integrity')} probe={integrity} />
        <Card title={tr('ops.settings')} probe={settings} />
      </div>
    </section>
  );
}
