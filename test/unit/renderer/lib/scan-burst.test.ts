import { describe, expect, it } from 'vitest';
import { ScanBurstRecogniser, paymentCodeOf, type ScanVerdict } from '../../../../renderer/lib/scan-burst';

// The scanner recogniser on a made-up clock: a burst of characters a few ms
// apart is a scan (recognised at its 6th character, its Enter dropped);
// anything a person types — however long, however fast a person can go — is
// not.

/** Feeds `text` one character every `gapMs` from `startMs`, then `end` (Enter) one gap later. */
function feed(r: ScanBurstRecogniser, text: string, gapMs: number, startMs = 1000, end: string | null = 'Enter'): ScanVerdict[] {
  const keys = [...text, ...(end ? [end] : [])];
  return keys.map((k, i) => r.feed(k, startMs + i * gapMs));
}

const kinds = (vs: ScanVerdict[]) => vs.map((v) => v.kind);
const WECHAT_CODE = '134567890123456789';

describe('ScanBurstRecogniser', () => {
  it('an 18-digit WeChat payment code at 5 ms a character is a scan: recognised at the 6th, the rest and the Enter dropped', () => {
    const r = new ScanBurstRecogniser();
    const verdicts = feed(r, WECHAT_CODE, 5);
    expect(kinds(verdicts.slice(0, 5))).toEqual(['key', 'key', 'key', 'key', 'key']);
    expect(verdicts[0]).toEqual({ kind: 'key', startsRun: true });
    expect(verdicts[1]).toEqual({ kind: 'key', startsRun: false });
    expect(verdicts[5]).toEqual({ kind: 'burst' });
    expect(kinds(verdicts.slice(6, 18))).toEqual(Array(12).fill('inBurst'));
    expect(verdicts[18]).toEqual({ kind: 'scanned', code: WECHAT_CODE });
  });

  it('a scan at 30 ms a character (the slowest scanners) is still one', () => {
    expect(feed(new ScanBurstRecogniser(), WECHAT_CODE, 30).at(-1)).toEqual({ kind: 'scanned', code: WECHAT_CODE });
  });

  it('a person typing 18 digits at 80 ms a key, then Enter, is a person', () => {
    const verdicts = feed(new ScanBurstRecogniser(), WECHAT_CODE, 80);
    expect(verdicts.every((v) => v.kind === 'key' && v.startsRun)).toBe(true);
  });

  it('a quick "500" + Enter (a person rolling over three keys) is a person: fewer than 6 characters', () => {
    const verdicts = feed(new ScanBurstRecogniser(), '500', 10);
    expect(kinds(verdicts)).toEqual(['key', 'key', 'key', 'key']);
    expect(verdicts.at(-1)).toEqual({ kind: 'key', startsRun: true });
  });

  it('an Enter long after a scan is a person\'s Enter', () => {
    const r = new ScanBurstRecogniser();
    feed(r, WECHAT_CODE, 5, 1000, null);
    expect(r.feed('Enter', 5000)).toEqual({ kind: 'key', startsRun: true });
  });

  it('a scan straight after typing starts its run at its own first character', () => {
    const r = new ScanBurstRecogniser();
    feed(r, '12', 150, 0, null);
    const verdicts = feed(r, WECHAT_CODE, 4, 1000);
    expect(verdicts[0]).toEqual({ kind: 'key', startsRun: true });
    expect(verdicts[5]).toEqual({ kind: 'burst' });
    expect(verdicts.at(-1)).toEqual({ kind: 'scanned', code: WECHAT_CODE });
  });

  it('Shift between characters (scanners send it for letters) does not break the run', () => {
    const r = new ScanBurstRecogniser();
    const keys = ['A', 'Shift', 'B', 'Shift', 'C', '1', '2', '3', 'Enter'];
    const verdicts = keys.map((k, i) => r.feed(k, 100 + i * 3));
    expect(verdicts.at(-1)).toEqual({ kind: 'scanned', code: 'ABC123' });
  });

  it('a scan ending in Tab is ended by the Tab; two scans back to back are two scans', () => {
    const r = new ScanBurstRecogniser();
    expect(feed(r, '987654321', 5, 0, 'Tab').at(-1)).toEqual({ kind: 'scanned', code: '987654321' });
    expect(feed(r, WECHAT_CODE, 5, 500).at(-1)).toEqual({ kind: 'scanned', code: WECHAT_CODE });
  });

  it('Backspace or Escape ends a run', () => {
    const r = new ScanBurstRecogniser();
    feed(r, '12345', 5, 0, null);
    expect(r.feed('Backspace', 26)).toEqual({ kind: 'key', startsRun: true });
    expect(r.feed('6', 30)).toEqual({ kind: 'key', startsRun: true });
  });

  it('takes other gaps and lengths', () => {
    const r = new ScanBurstRecogniser({ maxGapMs: 50, minLength: 10 });
    expect(kinds(feed(r, '123456789', 40, 0, null))).toEqual(Array(9).fill('key'));
    expect(r.feed('0', 360)).toEqual({ kind: 'burst' });
  });
});

describe('paymentCodeOf', () => {
  it('a scan of 10–32 digits is a payment code; spaces and dashes between groups are dropped', () => {
    expect(paymentCodeOf('134567890123456789')).toBe('134567890123456789');
    expect(paymentCodeOf('28 7654-3210 9876 5432')).toBe('287654321098765432');
    expect(paymentCodeOf('1234567890')).toBe('1234567890');
  });

  it('anything else is not (a product barcode with letters, too short, too long)', () => {
    expect(paymentCodeOf('ABC-12345678')).toBeUndefined();
    expect(paymentCodeOf('123456789')).toBeUndefined();
    expect(paymentCodeOf('1'.repeat(33))).toBeUndefined();
    expect(paymentCodeOf('')).toBeUndefined();
  });
});
