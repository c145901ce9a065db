/** PIN sign-in: a big keypad for touch, digits and Enter on the keyboard. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import { loginPin, type Session } from '../lib/pos-api';
import { LangSwitch, useT } from '../ui';

const MAX_PIN = 6;
const MIN_PIN = 4;

interface Props {
  api: ApiClient;
  terminal: string;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ api, terminal, onSignedIn }: Props) {
  const { lang, tr } = useT();
  const [pin, setPinState] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The PIN as typed so far, read by Enter even before Preact re-rendered with the last digit (fast typing).
  const pinRef = useRef('');
  const setPin = (next: string | ((p: string) => string)) => {
    pinRef.current = typeof next === 'function' ? next(pinRef.current) : next;
    setPinState(pinRef.current);
  };

  const press = (digit: string) => setPin((p) => (p.length < MAX_PIN ? p + digit : p));
  const back = () => setPin((p) => p.slice(0, -1));

  async function submit() {
    if (busy) return;
    const pin = pinRef.current;
    if (pin.length < MIN_PIN) return setError(tr('signin.pinLength'));
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await loginPin(api, pin, terminal));
    } catch (e) {
      setPin('');
      setError(e instanceof ApiError && e.status === 401 ? tr('signin.badPin') : errorText(lang, e));
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (/^\d$/.test(e.key)) press(e.key);
      else if (e.key === 'Backspace') back();
      else if (e.key === 'Escape') setPin('');
      else if (e.key === 'Enter') void submit();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  return (
    <main class="signin">
      <div class="signin-card">
        <header class="signin-head">
          <h1>{tr('app.title')}</h1>
          <p class="muted">{tr('signin.terminal', { terminal })}</p>
        </header>
        <label class="pin-label" id="pin-label">
          {tr('signin.prompt')}
        </label>
        <div class="pin-dots" role="status" aria-labelledby="pin-label" aria-live="polite">
          {Array.from({ length: MAX_PIN }, (_, i) => (
            <span key={i} class={i < pin.length ? 'dot on' : 'dot'} />
          ))}
        </div>
        <div class="keypad">
          {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => (
            <button type="button" key={d} onClick={() => press(d)}>
              {d}
            </button>
          ))}
          <button type="button" class="key-muted" onClick={() => setPin('')}>
            {tr('signin.clear')}
          </button>
          <button type="button" onClick={() => press('0')}>
            0
          </button>
          <button type="button" class="key-muted" onClick={back} aria-label={tr('signin.delete')}>
            ⌫
          </button>
        </div>
        <button type="button" class="primary wide-button" disabled={busy} onClick={() => void submit()}>
          {busy ? tr('signin.busy') : tr('signin.submit')}
        </button>
        <p class="error-text" role="alert">
          {error ?? ''}
        </p>
        <LangSwitch />
      </div>
    </main>
  );
}
