/** The cart as a table: newest line selected and scrolled into view; voided lines struck through. */
import { Component } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { isActive, lineTotal, type Cart, type CartLine } from '../lib/cart';
import { formatMoney, formatQuantity } from '../lib/money';
import type { QuoteLine } from '../lib/pos-api';
import { useT } from '../ui';
import { reasonText } from './dialogs';

interface Props {
  cart: Cart;
  /** The server's priced lines, in the order of the cart's active lines (null until quoted). */
  priced: readonly QuoteLine[] | null;
  selected: number | null;
  onSelect: (lineId: number) => void;
}

function Row({
  line,
  index,
  selected,
  priced,
  onSelect,
}: {
  line: CartLine;
  index: number;
  selected: boolean;
  priced: QuoteLine | null;
  onSelect: (lineId: number) => void;
}) {
  const { tr } = useT();
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const voided = line.voidReason !== null;
  const classes = [voided ? 'voided' : '', selected ? 'selected' : ''].join(' ').trim();
  return (
    <tr ref={ref} class={classes} aria-selected={selected} onClick={() => onSelect(line.lineId)}>
      <td class="num muted">{index + 1}</td>
      <td class="name">
        {line.name}
        {voided && (
          <div class="void-reason">{tr('cart.voided', { reason: reasonText(tr, line.voidReason ?? '') })}</div>
        )}
        {!voided &&
          priced?.adjustments.map((a, i) => (
            <div key={i} class={a.kind.startsWith('manual') ? 'adj manual' : 'adj promo'}>
              {a.text} <span class="num">{formatMoney(a.amount)}</span>
            </div>
          ))}
        {!voided && !priced && line.discount && (
          <div class="adj manual">
            {tr('cart.discount', {
              value: line.discount.percent ? `${line.discount.percent}%` : formatMoney(line.discount.amount ?? 0),
            })}
          </div>
        )}
      </td>
      <td class="num">
        {formatQuantity(line.qty)}
        {line.unit !== 'pc' ? ` ${line.unit}` : ''}
      </td>
      <td class="num">
        {formatMoney(priced?.unitPrice ?? line.unitPrice)}
        {line.weighed ? ` /${line.unit}` : ''}
      </td>
      <td class="num amount">{formatMoney(priced && !voided ? priced.totalAmount : lineTotal(line))}</td>
    </tr>
  );
}

/** Two quotes of a line that show the same figures (a new quote of a long cart re-renders only what changed). */
function samePrice(a: QuoteLine | null, b: QuoteLine | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  if (a.totalAmount !== b.totalAmount || a.unitPrice !== b.unitPrice) return false;
  if (a.adjustments.length !== b.adjustments.length) return false;
  return a.adjustments.every((x, i) => x.text === b.adjustments[i]?.text && x.amount === b.adjustments[i]?.amount);
}

type RowProps = Parameters<typeof Row>[0];

/** A row re-renders only when its own line, selection, price or position changed (100-line carts stay fast). */
class CartRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    const p = this.props;
    return (
      next.line !== p.line ||
      next.selected !== p.selected ||
      next.index !== p.index ||
      !samePrice(next.priced, p.priced)
    );
  }
  override render() {
    return <Row {...this.props} />;
  }
}

export function CartTable({ cart, priced, selected, onSelect }: Props) {
  const { tr } = useT();
  if (cart.lines.length === 0) {
    return (
      <div class="cart empty-cart">
        <p>{tr('lane.emptyCart')}</p>
      </div>
    );
  }
  let activeIndex = 0;
  return (
    <div class="cart">
      <table>
        <thead>
          <tr>
            <th class="num">#</th>
            <th>{tr('cart.item')}</th>
            <th class="num">{tr('cart.qty')}</th>
            <th class="num">{tr('cart.price')}</th>
            <th class="num">{tr('cart.amount')}</th>
          </tr>
        </thead>
        <tbody>
          {cart.lines.map((line, i) => {
            const at = isActive(line) ? activeIndex++ : -1;
            return (
              <CartRow
                key={line.lineId}
                line={line}
                index={i}
                selected={line.lineId === selected}
                priced={at >= 0 ? (priced?.[at] ?? null) : null}
                onSelect={onSelect}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
