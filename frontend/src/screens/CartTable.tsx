/** The cart as a table: newest line selected and scrolled into view; voided lines struck through. */
import { useEffect, useRef } from 'preact/hooks';
import { lineTotal, type Cart, type CartLine } from '../lib/cart';
import { formatMoney, formatQuantity } from '../lib/money';
import { useT } from '../ui';
import { reasonText } from './dialogs';

interface Props {
  cart: Cart;
  selected: number | null;
  onSelect: (lineId: number) => void;
}

function Row({
  line,
  index,
  selected,
  onSelect,
}: {
  line: CartLine;
  index: number;
  selected: boolean;
  onSelect: () => void;
}) {
  const { tr } = useT();
  const ref = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const voided = line.voidReason !== null;
  const classes = [voided ? 'voided' : '', selected ? 'selected' : ''].join(' ').trim();
  return (
    <tr ref={ref} class={classes} aria-selected={selected} onClick={onSelect}>
      <td class="num muted">{index + 1}</td>
      <td class="name">
        {line.name}
        {voided && (
          <div class="void-reason">{tr('cart.voided', { reason: reasonText(tr, line.voidReason ?? '') })}</div>
        )}
      </td>
      <td class="num">
        {formatQuantity(line.qty)}
        {line.unit !== 'pc' ? ` ${line.unit}` : ''}
      </td>
      <td class="num">
        {formatMoney(line.unitPrice)}
        {line.weighed ? ` /${line.unit}` : ''}
      </td>
      <td class="num amount">{formatMoney(lineTotal(line))}</td>
    </tr>
  );
}

export function CartTable({ cart, selected, onSelect }: Props) {
  const { tr } = useT();
  if (cart.lines.length === 0) {
    return (
      <div class="cart empty-cart">
        <p>{tr('lane.emptyCart')}</p>
      </div>
    );
  }
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
          {cart.lines.map((line, i) => (
            <Row
              key={line.lineId}
              line={line}
              index={i}
              selected={line.lineId === selected}
              onSelect={() => onSelect(line.lineId)}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}
