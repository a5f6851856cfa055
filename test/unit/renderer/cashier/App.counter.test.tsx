// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../../shared/contract';
import type { Language } from '../../../../shared/settings';
import { App } from '../../../../renderer/cashier/App';
import { nextTab } from '../../../../renderer/components/TabStrip';
import { ChargeScreen } from '../../../../renderer/cashier/ChargeScreen';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The cashier window's frame, issue 12: one h1, the training banner inside
// a landmark, tab strips that follow the arrow keys, translated labels, the
// QFPay connection light and banner, and the keypad feeding the customer display.

let till: FakeTill;
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

const status = (connection: AppStatus['connection']): AppStatus => ({ mode: 'training', ready: true, keyStorage: 'none', openWork: 0, connection });

async function renderApp(language: Language = 'en') {
  await useLanguage(language);
  till.answer('settings', async () => ({ ok: true, value: settingsView({ language }) }));
  const view = render(<App />);
  await screen.findByRole('tablist');
  return view;
}

describe('the cashier window frame', () => {
  it('one h1 (the shop), and the training banner inside the header landmark', async () => {
    const { container } = await renderApp();
    const h1s = container.querySelectorAll('h1');
    expect(h1s).toHaveLength(1);
    expect(h1s[0]!.textContent).toContain('Chan Kee');
    const banner = screen.getByText('TRAINING MODE — no real money');
    expect(banner.closest('header, main, nav, aside, footer, [role="banner"], [role="main"]')).not.toBeNull();
  });

  it('the tab strip: arrow keys, Home and End move the selection and the focus; only the selected tab is in the Tab order', async () => {
    await renderApp();
    const tabs = () => screen.getAllByRole('tab');
    expect(tabs().map((t) => t.getAttribute('tabindex'))).toEqual(['0', '-1', '-1', '-1']);
    tabs()[0]!.focus();
    fireEvent.keyDown(tabs()[0]!, { key: 'ArrowRight' });
    expect(tabs()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(tabs()[1]);
    expect(tabs().map((t) => t.getAttribute('tabindex'))).toEqual(['-1', '0', '-1', '-1']);
    fireEvent.keyDown(tabs()[1]!, { key: 'End' });
    expect(tabs()[3]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tabs()[3]!, { key: 'ArrowRight' });
    expect(tabs()[0]!.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(tabs()[0]!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(tabs()[3]);
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(tabs()[3]!.id);
  });

  it('nextTab wraps both ways and ignores other keys', () => {
    const order = ['a', 'b', 'c'];
    expect(nextTab(order, 'c', 'ArrowRight')).toBe('a');
    expect(nextTab(order, 'a', 'ArrowLeft')).toBe('c');
    expect(nextTab(order, 'b', 'Home')).toBe('a');
    expect(nextTab(order, 'b', 'Enter')).toBeUndefined();
  });

  it.each([
    ['zh-Hant', '貨幣', '畫面'],
    ['zh-Hans', '货币', '画面'],
    ['en', 'Currency', 'Screens'],
  ] as const)('aria-labels are in the till\'s language (%s)', async (language, currency, screens) => {
    await renderApp(language);
    expect(screen.getByRole('tablist').getAttribute('aria-label')).toBe(screens);
    // The currency picker may be hidden (one currency enabled); when it is there, its name is translated.
    const picker = document.querySelector('select.currency-select');
    if (picker) expect(picker.getAttribute('aria-label')).toBe(currency);
    const labels = Array.from(document.querySelectorAll('[aria-label]')).map((el) => el.getAttribute('aria-label')!);
    expect(labels.length).toBeGreaterThan(0);
    // No label left as an untranslated identifier ("currency").
    if (language !== 'en') for (const label of labels) expect(label, label).not.toMatch(/^[a-z][a-z ]*$/i);
  });

  it('QFPay unreachable: the header light says so and a banner gives the last transport error', async () => {
    till.answer('status', async () => ({ ok: true, value: status({ state: 'online', detail: null, sinceMs: 0 }) }));
    await renderApp();
    expect(screen.getByTestId('connection').textContent).toBe('QFPay connected');
    expect(screen.queryByTestId('connection-banner')).toBeNull();
    act(() => till.emit('onStatus', status({ state: 'offline', detail: 'fetch failed (ECONNREFUSED)', sinceMs: 1 })));
    expect(screen.getByTestId('connection').textContent).toBe('QFPay unreachable');
    const banner = screen.getByRole('alert');
    expect(banner.textContent).toContain('Cannot reach QFPay — check the network');
    expect(banner.querySelector('details')!.textContent).toContain('Last error: fetch failed (ECONNREFUSED)');
    act(() => till.emit('onStatus', status({ state: 'online', detail: null, sinceMs: 2 })));
    expect(screen.queryByTestId('connection-banner')).toBeNull();
  });
});

describe('the keypad feeds the customer display', () => {
  const shown = () => till.calls.filter(([m]) => m === 'showAmount').map(([, input]) => input);

  it('each typed amount goes to the customer display; an open sale stops it; leaving the keypad clears it', async () => {
    await useLanguage('en');
    const { rerender, unmount } = render(<ChargeScreen settings={settingsView()} sale={null} ready training onDismiss={() => undefined} />);
    fireEvent.keyDown(document.body, { key: '1' });
    fireEvent.keyDown(document.body, { key: '2' });
    await waitFor(() => expect(shown().at(-1)).toEqual({ amountMinor: 1200, currency: 'HKD' }));
    expect(shown()[0]).toEqual({ amountMinor: null, currency: 'HKD' });
    const before = shown().length;
    rerender(<ChargeScreen settings={settingsView()} sale={saleView()} ready training onDismiss={() => undefined} />);
    expect(shown()).toHaveLength(before);
    unmount();
    expect(shown().at(-1)).toEqual({ amountMinor: null, currency: 'HKD' });
  });

  it('NumLock off: the number pad still types (End = 1, ArrowDown = 2, Delete = point)', async () => {
    await useLanguage('en');
    render(<ChargeScreen settings={settingsView()} sale={null} ready training onDismiss={() => undefined} />);
    fireEvent.keyDown(document.body, { key: 'End', code: 'Numpad1' });
    fireEvent.keyDown(document.body, { key: 'ArrowDown', code: 'Numpad2' });
    fireEvent.keyDown(document.body, { key: 'Delete', code: 'NumpadDecimal' });
    fireEvent.keyDown(document.body, { key: 'PageUp', code: 'Numpad9' });
    expect(screen.getByTestId('amount').textContent).toBe('HK$12.90');
  });
});

describe('the Reports section strip', () => {
  it('follows the arrow keys too', async () => {
    await renderApp();
    fireEvent.click(screen.getByRole('tab', { name: 'Reports' }));
    const strip = await screen.findByRole('tablist', { name: 'Reports' });
    const sections = () => Array.from(strip.querySelectorAll('[role="tab"]'));
    const first = sections()[0] as HTMLElement;
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowRight' });
    expect(sections()[1]!.getAttribute('aria-selected')).toBe('true');
    expect(document.activeElement).toBe(sections()[1]);
    expect(sections().map((s) => s.getAttribute('tabindex'))).toEqual(['-1', '0', ...sections().slice(2).map(() => '-1')]);
  });
});
