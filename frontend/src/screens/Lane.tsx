/** The lane: one always-focused scan field, the cart, the total, the outbox counter and F-key actions. */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../lib/api';
import { totals } from '../lib/cart';
import type { MessageKey } from '../lib/i18n';
import { formatMoney, formatQuantity } from '../lib/money';
import type { Outbox } from '../lib/outbox';
import type { Session } from '../lib/pos-api';
import { WedgeDetector } from '../lib/wedge';
import { LangSwitch, useT } from '../ui';
import { CartTable } from './CartTable';
import { HelpDialog, PayDialog, VoidDialog, WeightDialog } from './dialogs';
import { toCartProduct, useLane, type LaneState } from './lane-state';
import { SearchDialog } from './SearchDialog';

export const CURRENCY = 'LKR';

interface Props {
  api: ApiClient;
  session: Session;
  terminal: string;
  outbox: Outbox | null;
  systemError: string | null;
  onSignOut: () => void;
}

type Action = 'help' | 'search' | 'discount' | 'hold' | 'resume' | 'pay' | 'void';

const F_KEYS: readonly (readonly [string, Action, MessageKey])[] = [
  ['F1', 'help', 'keys.help'],
  ['F2', 'search', 'keys.search'],
  ['F4', 'discount', 'keys.discount'],
  ['F8', 'hold', 'keys.hold'],
  ['F9', 'resume', 'keys.resume'],
  ['F12', 'void', 'keys.void'],
  ['F10', 'pay', 'keys.pay'], // last: the one full-width button under the others
];

function useAction(lane: LaneState) {
  const { tr } = useT();
  return (action: Action) => {
    if (action === 'help') return lane.setOverlay({ kind: 'help' });
    if (action === 'search') return lane.setOverlay({ kind: 'search', query: '' });
    if (action === 'pay') {
      if (totals(lane.cart).lines > 0) return lane.setOverlay({ kind: 'pay' });
      return lane.setNotice({ tone: 'info', text: tr('pay.empty') });
    }
    if (action === 'void') return lane.openVoid();
    const key = F_KEYS.find(([, a]) => a === action)?.[2] ?? 'keys.help';
    lane.setNotice({ tone: 'info', text: tr('notice.notYet', { feature: tr(key) }) });
  };
}

/** Route every key on the page: dialogs first, then F-keys, then the scanner/typing into the wedge. */
function useKeys(lane: LaneState, act: (a: Action) => void, wedge: WedgeDetector, setScanText: (s: string) => void) {
  const handler = useRef<(e: KeyboardEvent) => void>(() => undefined);
  handler.current = (e: KeyboardEvent) => {
    // A dialog that handled the key prevents its default. Preact may already have re-rendered with the
    // dialog closed by the time the key bubbles here, so without this check it would also reach the wedge.
    if (e.defaultPrevented || e.isComposing) return;
    const fkey = F_KEYS.find(([k]) => k === e.key);
    if (/^F\d{1,2}$/.test(e.key)) e.preventDefault(); // F1 help, F5 reload, F12 devtools… belong to the lane
    if (lane.overlay) {
      const closesHelp = lane.overlay.kind === 'help' && (e.key === 'F1' || e.key === '?');
      if (e.key === 'Escape' || closesHelp) lane.setOverlay(null);
      return;
    }
    if (fkey) return act(fkey[1]);
    if (e.key === '?' && wedge.text() === '') return void (e.preventDefault(), act('help'));
    if (e.key === 'ArrowUp' || e.key === 'ArrowDown')
      return void (e.preventDefault(), lane.moveSelection(e.key === 'ArrowUp' ? -1 : 1));
    if (e.ctrlKey || e.altKey || e.metaKey || e.key === 'Tab') return;
    if (e.key === 'Escape') lane.setNextQty(null);
    e.preventDefault();
    const event = wedge.key(e.key, e.timeStamp);
    setScanText(wedge.text());
    if (event) lane.onWedge(event);
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => handler.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

function TopBar(props: {
  session: Session;
  terminal: string;
  pending: number;
  attention: number;
  onSignOut: () => void;
}) {
  const { tr } = useT();
  return (
    <header class="topbar">
      <strong class="brand">{tr('app.title')}</strong>
      <span>{tr('signin.terminal', { terminal: props.terminal })}</span>
      <span>{tr('lane.cashier', { name: props.session.user.displayName })}</span>
      <span class={props.pending > 0 ? 'badge warn' : 'badge'} role="status">
        {tr('lane.pending', { count: props.pending })}
      </span>
      {props.attention > 0 && (
        <span class="badge danger" role="alert">
          {tr('lane.attention', { count: props.attention })}
        </span>
      )}
      <span class="spacer" />
      <LangSwitch />
      <button type="button" class="ghost" onClick={props.onSignOut}>
        {tr('lane.signOut')}
      </button>
    </header>
  );
}

function Overlays({ lane, api, due }: { lane: LaneState; api: ApiClient; due: number }) {
  const { lang } = useT();
  const o = lane.overlay;
  if (!o) return null;
  const close = () => lane.setOverlay(null);
  switch (o.kind) {
    case 'help':
      return <HelpDialog />;
    case 'search':
      return (
        <SearchDialog
          api={api}
          initialQuery={o.query}
          onPick={(p) => (close(), lane.addProduct(toCartProduct(p, lang), null))}
        />
      );
    case 'weight':
      return <WeightDialog product={o.product} onWeight={(w) => (close(), lane.addProduct(o.product, w))} />;
    case 'void':
      return <VoidDialog line={o.line} onReason={(r) => lane.confirmVoid(o.line.lineId, r)} />;
    case 'pay':
      return <PayDialog due={due} currency={CURRENCY} onPay={(t, c) => void lane.pay(t, c)} />;
  }
}

export function Lane(props: Props) {
  const { tr } = useT();
  const lane = useLane(props);
  const act = useAction(lane);
  const wedge = useMemo(() => new WedgeDetector(), []);
  const [scanText, setScanText] = useState('');
  const scan = useRef<HTMLInputElement>(null);
  const overlayOpen = useRef(false);
  overlayOpen.current = lane.overlay !== null;
  useKeys(lane, act, wedge, setScanText);
  useEffect(() => {
    if (!lane.overlay) scan.current?.focus();
  }, [lane.overlay]);
  const sums = totals(lane.cart);
  const notice = lane.busy ? { tone: 'info', text: tr('lane.lookupBusy', { code: lane.busy }) } : lane.notice;

  return (
    <div class="lane">
      <TopBar session={props.session} terminal={props.terminal} {...lane.counts} onSignOut={props.onSignOut} />
      {props.systemError && (
        <div class="notice error system" role="alert">
          {props.systemError}
        </div>
      )}
      <section class="scanbar">
        <label for="scan">{tr('lane.scanLabel')}</label>
        <div class="scan-row">
          <input
            id="scan"
            ref={scan}
            class="scan-input"
            value={scanText}
            autoComplete="off"
            spellcheck={false}
            onBlur={() => setTimeout(() => overlayOpen.current || scan.current?.focus(), 0)}
          />
          {lane.nextQty !== null && (
            <span class="chip">{tr('lane.nextQty', { qty: formatQuantity(lane.nextQty) })}</span>
          )}
        </div>
        <div class={`notice ${notice?.tone ?? ''}`} role="status" aria-live="polite">
          {notice?.text ?? '\u00a0'}
        </div>
      </section>
      <main class="lane-body">
        <CartTable cart={lane.cart} selected={lane.selected} onSelect={lane.setSelected} />
        <aside class="side">
          <div class="total-box">
            <div class="total-label">{tr('lane.total')}</div>
            <div class="total" data-testid="total">
              {formatMoney(sums.total, CURRENCY)}
            </div>
            <div>{tr('lane.items', { count: sums.items })}</div>
            <div class="muted small">{tr('lane.estimate')}</div>
          </div>
          <div class="fkeys">
            {F_KEYS.map(([key, action, label]) => (
              <button
                type="button"
                key={key}
                class={action === 'pay' ? 'fkey pay' : 'fkey'}
                onClick={() => act(action)}
              >
                <kbd>{key}</kbd>
                <span>{tr(label)}</span>
              </button>
            ))}
          </div>
        </aside>
      </main>
      <Overlays lane={lane} api={props.api} due={sums.total} />
    </div>
  );
}
