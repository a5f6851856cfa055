// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import { usePaidChime, type AudioContextLike } from '../../../../renderer/components/chime';
import { SettingsScreen } from '../../../../renderer/cashier/SettingsScreen';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The "paid" chime: only when enabled, only for a sale this window saw open,
// once; played through a fake AudioContext that records its tones.

class FakeAudioContext implements AudioContextLike {
  static made: FakeAudioContext[] = [];
  readonly currentTime = 0;
  readonly destination = {};
  readonly tones: number[] = [];
  constructor() {
    FakeAudioContext.made.push(this);
  }
  createOscillator() {
    const osc = { frequency: { value: 0 }, type: '', connect: () => undefined, start: () => this.tones.push(osc.frequency.value), stop: () => undefined };
    return osc;
  }
  createGain() {
    return { gain: { setValueAtTime: () => undefined, exponentialRampToValueAtTime: () => undefined }, connect: () => undefined };
  }
}

let till: FakeTill;
beforeEach(() => {
  till = installFakeTill();
  FakeAudioContext.made = [];
  (globalThis as { AudioContext?: unknown }).AudioContext = FakeAudioContext;
});
afterEach(() => {
  cleanup();
  delete (globalThis as { AudioContext?: unknown }).AudioContext;
});

function Chime({ enabled }: { enabled: boolean }) {
  usePaidChime(enabled);
  return null;
}

const payOne = (id: string) => {
  act(() => till.emit('onSale', saleView({ outTradeNo: id, state: 'awaiting_scan' })));
  act(() => till.emit('onSale', saleView({ outTradeNo: id, state: 'paid', qrcode: null, expiresAtMs: null })));
};

describe('usePaidChime', () => {
  it('is off unless the owner turns it on in Settings', () => {
    expect(DEFAULT_SETTINGS.paidChime).toBe(false);
  });

  it('off (the default): a paid sale plays nothing', () => {
    render(<Chime enabled={false} />);
    payOne('S1');
    expect(FakeAudioContext.made).toHaveLength(0);
  });

  it('on: two rising tones when a sale seen open is paid, once', () => {
    render(<Chime enabled />);
    payOne('S1');
    expect(FakeAudioContext.made).toHaveLength(1);
    expect(FakeAudioContext.made[0]!.tones).toEqual([880, 1320]);
    // The same paid sale again (a refund re-emits it) does not chime again.
    act(() => till.emit('onSale', saleView({ outTradeNo: 'S1', state: 'paid', qrcode: null, expiresAtMs: null })));
    expect(FakeAudioContext.made[0]!.tones).toHaveLength(2);
    // The next paid sale chimes through the same audio context.
    payOne('S2');
    expect(FakeAudioContext.made).toHaveLength(1);
    expect(FakeAudioContext.made[0]!.tones).toEqual([880, 1320, 880, 1320]);
  });

  it('on: failed, cancelled and expired sales, and a sale already paid before the window opened, stay silent', () => {
    render(<Chime enabled />);
    act(() => till.emit('onSale', saleView({ outTradeNo: 'OLD', state: 'paid', qrcode: null, expiresAtMs: null })));
    for (const state of ['failed', 'cancelled', 'expired'] as const) {
      act(() => till.emit('onSale', saleView({ outTradeNo: state, state: 'awaiting_scan' })));
      act(() => till.emit('onSale', saleView({ outTradeNo: state, state, qrcode: null, expiresAtMs: null })));
    }
    expect(FakeAudioContext.made).toHaveLength(0);
  });

  it('turned on while the sale is open: the setting when it is paid counts', () => {
    const { rerender } = render(<Chime enabled={false} />);
    act(() => till.emit('onSale', saleView({ outTradeNo: 'S2', state: 'awaiting_scan' })));
    rerender(<Chime enabled />);
    act(() => till.emit('onSale', saleView({ outTradeNo: 'S2', state: 'paid', qrcode: null, expiresAtMs: null })));
    expect(FakeAudioContext.made).toHaveLength(1);
  });
});

describe('the chime setting', () => {
  it('Settings shows it off by default and saves it when turned on', async () => {
    await useLanguage('en');
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    const box = screen.getByRole('checkbox', { name: /Chime when the customer has paid/ }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    fireEvent.click(box);
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(till.calls.find(([m]) => m === 'updateSettings')?.[1]).toMatchObject({ patch: { paidChime: true } }));
  });
});
