import { useEffect, useRef } from 'react';
import { isFinalSale } from '../../shared/sale';
import { till } from '../lib/api';

// The optional "paid" chime on the cashier's computer (Settings, off by
// default): two short rising tones from Web Audio, no sound file to ship.

/** The part of Web Audio the chime uses (a fake in tests). */
export interface AudioContextLike {
  readonly currentTime: number;
  /** Chromium starts a context suspended until the page has had a user gesture (the cashier has typed by then). */
  resume?(): Promise<void>;
  readonly destination: unknown;
  createOscillator(): { frequency: { value: number }; type: string; connect(node: unknown): unknown; start(at?: number): void; stop(at?: number): void };
  createGain(): { gain: { setValueAtTime(v: number, t: number): unknown; exponentialRampToValueAtTime(v: number, t: number): unknown }; connect(node: unknown): unknown };
}

const TONES = [
  { hz: 880, at: 0 },
  { hz: 1320, at: 0.16 },
];

export const defaultAudioContext = (): AudioContextLike | null => {
  const Ctor = (globalThis as { AudioContext?: new () => AudioContextLike }).AudioContext;
  return Ctor ? new Ctor() : null;
};

/** Plays the chime once; silently nothing where there is no audio. */
export function playChime(makeContext: () => AudioContextLike | null = defaultAudioContext): void {
  let ctx: AudioContextLike | null;
  try {
    ctx = makeContext();
  } catch {
    return;
  }
  if (!ctx) return;
  void ctx.resume?.().catch(() => undefined);
  for (const tone of TONES) {
    const start = ctx.currentTime + tone.at;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = tone.hz;
    gain.gain.setValueAtTime(0.25, start);
    gain.gain.exponentialRampToValueAtTime(0.001, start + 0.3);
    osc.connect(gain);
    gain.connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.3);
  }
}

/**
 * Chimes when a sale this window saw open becomes paid, if `enabled` (read
 * when the sale is paid, so turning it on or off takes effect at once). A
 * sale already paid when the window opened never chimes.
 */
export function usePaidChime(enabled: boolean, makeContext: () => AudioContextLike | null = defaultAudioContext): void {
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const contextRef = useRef(makeContext);
  contextRef.current = makeContext;
  useEffect(() => {
    const open = new Set<string>();
    // One audio context for the window's life, made at the first chime: browsers limit how many a page may open.
    let audio: AudioContextLike | null | undefined;
    return till().onSale((sale) => {
      if (!isFinalSale(sale.state)) {
        open.add(sale.outTradeNo);
        return;
      }
      if (!open.delete(sale.outTradeNo) || sale.state !== 'paid' || !enabledRef.current) return;
      playChime(() => {
        if (audio === undefined) audio = contextRef.current();
        return audio;
      });
    });
  }, []);
}
