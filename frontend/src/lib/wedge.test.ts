import { describe, expect, it } from 'vitest';
import { WedgeDetector, type WedgeEvent } from './wedge';

type Key = [key: string, at: number];

/** A scanner burst: one key every `gap` ms from `start`, then Enter. */
function burst(code: string, start: number, gap = 8): Key[] {
  const keys: Key[] = [...code].map((ch, i) => [ch, start + i * gap]);
  keys.push(['Enter', start + code.length * gap]);
  return keys;
}

/** A person typing: one key every `gap` ms. */
function typed(text: string, start: number, gap = 180): Key[] {
  return [...text].map((ch, i): Key => [ch === '⏎' ? 'Enter' : ch, start + i * gap]);
}

function run(keys: Key[], detector = new WedgeDetector()): WedgeEvent[] {
  return keys.map(([k, at]) => detector.key(k, at)).filter((e): e is WedgeEvent => e !== null);
}

describe('WedgeDetector', () => {
  it('recognises a scanner burst ending in Enter', () => {
    expect(run(burst('4791234567890', 1000))).toEqual([{ kind: 'scan', code: '4791234567890', prefix: '' }]);
  });

  it('treats a person typing a code as an entry, not a scan', () => {
    expect(run(typed('123456⏎', 1000))).toEqual([{ kind: 'entry', text: '123456' }]);
  });

  it('keeps two back-to-back bursts apart with every digit', () => {
    const first = burst('4791234567890', 0, 5);
    const second = burst('9556001012345', 65, 5); // starts the same millisecond the first Enter arrives
    expect(run([...first, ...second])).toEqual([
      { kind: 'scan', code: '4791234567890', prefix: '' },
      { kind: 'scan', code: '9556001012345', prefix: '' },
    ]);
  });

  it('loses nothing when all keys carry the same timestamp', () => {
    const keys: Key[] = [...burst('11112222', 0, 0), ...burst('33334444', 0, 0), ...burst('55556666', 0, 0)];
    expect(run(keys).map((e) => (e.kind === 'scan' ? e.code : e.text))).toEqual(['11112222', '33334444', '55556666']);
  });

  it('hands a typed quantity prefix to the scan that follows it', () => {
    const keys = [...typed('3*', 0), ...burst('4791234567890', 2000)];
    expect(run(keys)).toEqual([{ kind: 'scan', code: '4791234567890', prefix: '3*' }]);
  });

  it('never turns a second scan into the prefix of a third', () => {
    const keys = [
      ...typed('2*', 0),
      ...burst('11112222', 1000),
      ...burst('33334444', 1072),
      ...burst('55556666', 1144),
    ];
    expect(run(keys)).toEqual([
      { kind: 'scan', code: '11112222', prefix: '2*' },
      { kind: 'scan', code: '33334444', prefix: '' },
      { kind: 'scan', code: '55556666', prefix: '' },
    ]);
  });

  it('does not count a short fast pair as a scan', () => {
    expect(
      run([
        ['1', 0],
        ['2', 5],
        ['Enter', 10],
      ]),
    ).toEqual([{ kind: 'entry', text: '12' }]);
  });

  it('needs a fast Enter: a burst followed by a slow Enter was typed', () => {
    const keys: Key[] = [...burst('12345678', 0).slice(0, -1), ['Enter', 900]];
    expect(run(keys)).toEqual([{ kind: 'entry', text: '12345678' }]);
  });

  it('supports editing while typing and ignores modifier keys', () => {
    const d = new WedgeDetector();
    run(typed('129', 0), d);
    d.key('Backspace', 600);
    d.key('Shift', 700);
    expect(d.text()).toBe('12');
    d.key('Escape', 800);
    expect(d.text()).toBe('');
    expect(d.key('Enter', 900)).toBeNull();
  });

  it('honours its thresholds', () => {
    const slowScanner = new WedgeDetector({ maxGapMs: 60, minLength: 4 });
    expect(run(burst('12345678', 0, 50), slowScanner)).toEqual([{ kind: 'scan', code: '12345678', prefix: '' }]);
    expect(run(burst('12345678', 0, 50))).toEqual([{ kind: 'entry', text: '12345678' }]);
  });
});
