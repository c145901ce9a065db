/**
 * Keyboard-wedge scanner detection. A scanner "types" its code in a burst (a few ms per key) and ends it
 * with Enter; a person types tens to hundreds of ms apart. Every character goes into one buffer and every
 * Enter cuts it, so back-to-back scans can neither merge nor lose a digit. On Enter, the longest fast tail
 * of the buffer (every gap, including the one to Enter, under the threshold) is the scan; what a person
 * typed slowly before it (e.g. a quantity "3*") is handed over as its prefix.
 */

export interface WedgeOptions {
  /** Largest gap between keys (ms) that still counts as scanner speed. */
  maxGapMs: number;
  /** Fewest characters a burst needs to count as a scan (shorter fast bursts are treated as typing). */
  minLength: number;
}

export type WedgeEvent =
  /** A scanned code; `prefix` is whatever was typed by hand before the burst began (often ""). */
  | { kind: 'scan'; code: string; prefix: string }
  /** Text a person typed and confirmed with Enter. */
  | { kind: 'entry'; text: string };

interface Stroke {
  ch: string;
  at: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 35, minLength: 4 };

/** Index where the fast tail of `strokes` begins, given the time Enter arrived; strokes.length if none. */
function fastTailStart(strokes: readonly Stroke[], enterAt: number, maxGapMs: number): number {
  let next = enterAt;
  let start = strokes.length;
  for (let i = strokes.length - 1; i >= 0; i -= 1) {
    const at = strokes[i]?.at ?? 0;
    if (next - at >= maxGapMs) break;
    start = i;
    next = at;
  }
  return start;
}

export class WedgeDetector {
  private strokes: Stroke[] = [];

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  /** What is in the buffer now (shown in the scan field while a person types). */
  text(): string {
    return this.strokes.map((s) => s.ch).join('');
  }

  clear(): void {
    this.strokes = [];
  }

  /** Feed one key (KeyboardEvent.key) with its timestamp in ms; returns an event when Enter completes one. */
  key(key: string, at: number): WedgeEvent | null {
    if (key === 'Enter') return this.enter(at);
    if (key === 'Backspace') {
      this.strokes.pop();
      return null;
    }
    if (key === 'Escape') {
      this.clear();
      return null;
    }
    if (key.length === 1) this.strokes.push({ ch: key, at });
    return null;
  }

  private enter(at: number): WedgeEvent | null {
    const strokes = this.strokes;
    this.strokes = [];
    if (strokes.length === 0) return null;
    const start = fastTailStart(strokes, at, this.options.maxGapMs);
    const text = strokes.map((s) => s.ch).join('');
    if (strokes.length - start < this.options.minLength) return { kind: 'entry', text };
    return { kind: 'scan', code: text.slice(start), prefix: text.slice(0, start) };
  }
}
