/** The SPA root: language, the signed-in session, the API client and the sale outbox. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './lib/api';
import { initialLang, t, type Lang, type MessageKey, type Params } from './lib/i18n';
import { IdbStore } from './lib/idb-store';
import { Outbox } from './lib/outbox';
import { submitSale, type Session } from './lib/pos-api';
import { Lane } from './screens/Lane';
import { LockScreen } from './screens/LockScreen';
import { SignIn } from './screens/SignIn';
import { I18nContext } from './ui';

const SESSION_KEY = 'pos.session';
const LANG_KEY = 'pos.lang';
const TERMINAL_KEY = 'pos.terminal';

function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(SESSION_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/** This lane's terminal id: set once per browser profile (localStorage), LANE-1 until then. */
function terminalId(): string {
  return localStorage.getItem(TERMINAL_KEY) ?? 'LANE-1';
}

/** Lock the lane after the session's inactivity time without a key or touch (the server locks it too). */
function useIdleLock(session: Session | null, locked: boolean, lock: () => void) {
  const last = useRef(Date.now());
  useEffect(() => {
    const seconds = session?.inactivityLockSeconds ?? 0;
    if (!session || locked || seconds <= 0 || isOffice()) return;
    last.current = Date.now();
    const touch = () => (last.current = Date.now());
    window.addEventListener('keydown', touch, true);
    window.addEventListener('pointerdown', touch, true);
    const timer = setInterval(() => Date.now() - last.current >= seconds * 1000 && lock(), 1000);
    return () => {
      window.removeEventListener('keydown', touch, true);
      window.removeEventListener('pointerdown', touch, true);
      clearInterval(timer);
    };
  }, [session, locked]);
}

/** The back office lives at /office (its own chunk, loaded only there). */
const isOffice = (): boolean => location.pathname === '/office' || location.pathname.startsWith('/office/');

function OfficeRoot() {
  const [Page, setPage] = useState<(() => preact.JSX.Element) | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    import('./office/Office').then((m) => setPage(() => m.Office)).catch((e: unknown) => setError(String(e)));
  }, []);
  if (error) return <p class="notice error">{error}</p>;
  return Page ? <Page /> : null;
}

export function App() {
  const [lang, setLang] = useState<Lang>(() => initialLang(localStorage.getItem(LANG_KEY), navigator.languages));
  const [session, setSession] = useState<Session | null>(loadSession);
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [systemIssue, setSystemIssue] = useState<{ key: MessageKey; params: Params } | null>(null);
  const token = useRef<string | null>(session?.token ?? null);
  token.current = session?.token ?? null;
  const [locked, setLocked] = useState(false);
  const api = useMemo(
    () =>
      createApi({
        getToken: () => token.current,
        onProblem: (e) => e.code === 'SESSION_LOCKED' && setLocked(true),
      }),
    [],
  );
  useIdleLock(session, locked, () => setLocked(true));
  const terminal = useMemo(terminalId, []);

  useEffect(() => {
    document.documentElement.lang = lang;
    localStorage.setItem(LANG_KEY, lang);
  }, [lang]);

  useEffect(() => {
    if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
    else sessionStorage.removeItem(SESSION_KEY);
  }, [session]);

  useEffect(() => {
    if (isOffice()) return;
    let opened: Outbox | null = null;
    const onBug = (key: string) => setSystemIssue({ key: 'outbox.bug', params: { key } });
    IdbStore.open()
      .then((store) =>
        Outbox.open({ store, send: (body, key) => submitSale(api, body, key), onBug: (e) => onBug(e.key) }),
      )
      .then((o) => {
        opened = o;
        o.start();
        setOutbox(o);
      })
      .catch((e: unknown) => setSystemIssue({ key: 'error.storage', params: { reason: String(e) } }));
    const online = () => opened?.kick();
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('online', online);
      opened?.stop();
    };
  }, [api]);

  return (
    <I18nContext.Provider value={{ lang, setLang }}>
      {isOffice() ? (
        <OfficeRoot />
      ) : session ? (
        <>
          <Lane
            api={api}
            session={session}
            terminal={terminal}
            outbox={outbox}
            locked={locked}
            systemError={systemIssue && t(lang, systemIssue.key, systemIssue.params)}
            onSignOut={() => setSession(null)}
          />
          {locked && (
            <LockScreen
              api={api}
              session={session}
              onUnlocked={() => (setLocked(false), outbox?.kick())}
              onSignOut={() => (setLocked(false), setSession(null))}
            />
          )}
        </>
      ) : (
        <SignIn api={api} terminal={terminal} onSignedIn={setSession} />
      )}
    </I18nContext.Provider>
  );
}
