// Tells a keyboard-wedge barcode scanner from a person at the keyboard.
// A scanner "types" a whole code in a burst — every character a few
// milliseconds after the last, usually ending in Enter — while a person
// leaves 80 ms or more between keys. The 30 ms gap and the 6-character
// minimum are onscan.js's defaults (the library most tills use for this); it
// is reimplemented here as a pure state machine fed with each key and the
// time the browser stamped on it (event.timeStamp, so a busy renderer that
// handles queued keys late does not make a person look like a scanner), so
// it runs in unit tests with a made-up clock, and a scan's text (ended by
// Enter or Tab) is handed back: after an amount it is the customer's payment
// code (issue 13).

export interface ScanBurstOptions {
  /** Longest gap between two characters of one scan. */
  maxGapMs: number;
  /** Fewest characters that make a burst a scan (a WeChat payment code has 18). */
  minLength: number;
}

export const SCAN_DEFAULTS: ScanBurstOptions = { maxGapMs: 30, minLength: 6 };

export type ScanVerdict =
  /** A person's key: handle it. `startsRun` marks where a burst would begin (what to restore if it becomes one). */
  | { kind: 'key'; startsRun: boolean }
  /** This key made the run a scan: undo what the run's earlier keys did, and drop this one. */
  | { kind: 'burst' }
  /** Another character of a scan already recognised: drop it. */
  | { kind: 'inBurst' }
  /** The Enter (or Tab) that ends a scan: drop it; `code` is what was scanned. */
  | { kind: 'scanned'; code: string };

/** Keys a scanner (or a person) sends around characters that never break a run. */
const NEUTRAL = new Set(['Shift', 'Control', 'Alt', 'Meta', 'CapsLock', 'NumLock', 'Unidentified']);

export class ScanBurstRecogniser {
  private run = '';
  private lastAtMs = Number.NEGATIVE_INFINITY;
  private recognised = false;

  constructor(private readonly options: ScanBurstOptions = SCAN_DEFAULTS) {}

  /** Feeds one keydown: its `key` and its timestamp in ms. */
  feed(key: string, atMs: number): ScanVerdict {
    if (NEUTRAL.has(key)) return { kind: 'key', startsRun: false };
    const quick = this.run !== '' && atMs - this.lastAtMs <= this.options.maxGapMs;
    if (key === 'Enter' || key === 'Tab') {
      const ends = quick && this.recognised;
      const code = this.run;
      this.reset();
      return ends ? { kind: 'scanned', code } : { kind: 'key', startsRun: true };
    }
    if ([...key].length !== 1) {
      this.reset();
      return { kind: 'key', startsRun: true };
    }
    this.lastAtMs = atMs;
    if (!quick) {
      this.run = key;
      this.recognised = false;
      return { kind: 'key', startsRun: true };
    }
    this.run += key;
    if (this.recognised) return { kind: 'inBurst' };
    if ([...this.run].length < this.options.minLength) return { kind: 'key', startsRun: false };
    this.recognised = true;
    return { kind: 'burst' };
  }

  private reset(): void {
    this.run = '';
    this.lastAtMs = Number.NEGATIVE_INFINITY;
    this.recognised = false;
  }
}

/**
 * The digits of a scanned payment code (a scanner may send spaces or a
 * dash between groups, as a person reads them off a phone), or undefined
 * when it is not a run of 10–32 digits: the contract's auth_code form.
 */
export function paymentCodeOf(scanned: string): string | undefined {
  const digits = scanned.replace(/[\s-]/g, '');
  return /^\d{10,32}$/.test(digits) ? digits : undefined;
}
