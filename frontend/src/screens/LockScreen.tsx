/** The inactivity lock: the cart stays behind it; the signed-in person's PIN unlocks (`POST /api/auth/unlock`). */
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../lib/api';
import { errorText } from '../lib/messages';
import type { Session } from '../lib/pos-api';
import { useT } from '../ui';

export function LockScreen(props: { api: ApiClient; session: Session; onUnlocked: () => void; onSignOut: () => void }) {
  const { lang, tr } = useT();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ref = useRef<HTMLInputElement>(null);
  useLayoutEffect(() => ref.current?.focus(), []);
  const submit = async () => {
    const pin = ref.current?.value ?? '';
    if (busy) return;
    if (!/^\d{4,6}$/.test(pin)) {
      if (ref.current) ref.current.value = '';
      return setError(tr('signin.pinLength'));
    }
    setBusy(true);
    try {
      await props.api.post('/api/auth/unlock', { pin });
      props.onUnlocked();
    } catch (e) {
      if (ref.current) ref.current.value = '';
      setError(e instanceof ApiError && e.status === 401 ? tr('signin.badPin') : errorText(lang, e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="backdrop lock" data-testid="lock-screen">
      <div class="dialog" role="dialog" aria-modal="true" aria-label={tr('lock.title')}>
        <h2>{tr('lock.title')}</h2>
        <p>{tr('lock.prompt', { name: props.session.user.displayName })}</p>
        <input
          ref={ref}
          class="big-input"
          type="password"
          name="unlock-pin"
          inputMode="numeric"
          autoComplete="off"
          onBlur={() => setTimeout(() => ref.current?.focus(), 0)}
          onKeyDown={(e) => {
            if (e.key !== 'Enter') return;
            e.preventDefault();
            void submit();
          }}
        />
        <p class="error-text" role="alert">
          {error ?? ''}
        </p>
        <div class="done-actions">
          <button type="button" onClick={props.onSignOut}>
            {tr('lane.signOut')}
          </button>
          <button type="button" class="primary" disabled={busy} onClick={() => void submit()}>
            <kbd>Enter</kbd> {tr('lock.unlock')}
          </button>
        </div>
      </div>
    </div>
  );
}
