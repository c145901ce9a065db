/** The SPA root: language, the signed-in session, the API client and the sale outbox. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from './lib/api';
import { initialLang, t, type Lang, type MessageKey, type Params } from './lib/i18n';
import { IdbStore } from './lib/idb-store';
import { Outbox } from './lib/outbox';
import { submitSale, type Session } from './lib/pos-api';
import { Lane } from './screens/Lane';
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

export function App() {
  const [lang, setLang] = useState<Lang>(() => initialLang(localStorage.getItem(LANG_KEY), navigator.languages));
  const [session, setSession] = useState<Session | null>(loadSession);
  const [outbox, setOutbox] = useState<Outbox | null>(null);
  const [systemIssue, setSystemIssue] = useState<{ key: MessageKey; params: Params } | null>(null);
  const token = useRef<string | null>(session?.token ?? null);
  token.current = session?.token ?? null;
  const api = useMemo(() => createApi({ getToken: () => token.current }), []);
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
      {session ? (
        <Lane
          api={api}
          session={session}
          terminal={terminal}
          outbox={outbox}
          systemError={systemIssue && t(lang, systemIssue.key, systemIssue.params)}
          onSignOut={() => setSession(null)}
        />
      ) : (
        <SignIn api={api} terminal={terminal} onSignedIn={setSession} />
      )}
    </I18nContext.Provider>
  );
}
