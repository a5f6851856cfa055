// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { FirstRunPin } from '../../../../renderer/cashier/FirstRunPin';
import { en } from '../../../../renderer/i18n/en';
import { installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The first run walks the owner through the supervisor PIN (issue 10): typed
// twice, sent once; "Later" keeps the till in training; a tampered record
// asks for the PIN that restores it.

describe('FirstRunPin', () => {
  let till: FakeTill;
  beforeAll(() => useLanguage('en'));
  beforeEach(() => {
    till = installFakeTill();
  });
  afterEach(cleanup);

  const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

  it('a fresh till: explains why, takes the PIN twice and sets it', async () => {
    render(<FirstRunPin settings={settingsView({ pinState: 'none' })} onLater={() => undefined} />);
    expect(screen.getByRole('dialog').textContent).toContain(en.settings.firstRunTitle);
    expect(screen.getByText(en.settings.firstRunText)).toBeTruthy();
    const set = screen.getByRole('button', { name: 'Set PIN' });
    fireEvent.change(input('New PIN (4–8 digits)'), { target: { value: '13579' } });
    const again = input('New PIN again');
    fireEvent.change(again, { target: { value: '13578' } });
    expect(set.hasAttribute('disabled')).toBe(true);
    fireEvent.change(again, { target: { value: '13579' } });
    fireEvent.click(set);
    await waitFor(() => expect(screen.getByText(en.settings.firstRunDone)).toBeTruthy());
    expect(till.calls.filter(([name]) => name === 'setPin')).toEqual([['setPin', { newPin: '13579' }]]);
  });

  it('the refusal from main is shown, translated', async () => {
    till.answer('setPin', async () => ({ ok: false, error: { code: 'not_available', message: 'no key store' } }));
    render(<FirstRunPin settings={settingsView({ pinState: 'none' })} onLater={() => undefined} />);
    fireEvent.change(input('New PIN (4–8 digits)'), { target: { value: '2468' } });
    fireEvent.change(input('New PIN again'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set PIN' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(en.errors.not_available));
  });

  it('"Later" puts it off and sets nothing', () => {
    const later = vi.fn();
    render(<FirstRunPin settings={settingsView({ pinState: 'none' })} onLater={later} />);
    fireEvent.click(screen.getByRole('button', { name: en.settings.firstRunLater }));
    expect(later).toHaveBeenCalledOnce();
    expect(till.calls.filter(([name]) => name === 'setPin')).toEqual([]);
  });

  it('a missing record says the client key must be entered again', () => {
    render(<FirstRunPin settings={settingsView({ pinState: 'missing' })} onLater={() => undefined} />);
    expect(screen.getByText(en.settings.pinMissing)).toBeTruthy();
  });

  it('a tampered record asks for the PIN and checks it (which restores the record in main)', async () => {
    till.answer('checkPin', async () => ({ ok: true, value: { valid: true } }));
    render(<FirstRunPin settings={settingsView({ pinState: 'tampered', pinSet: true })} onLater={() => undefined} />);
    expect(screen.getByText(en.settings.pinTampered)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Supervisor PIN', { selector: 'input' }), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: en.settings.restorePin }));
    await waitFor(() => expect(till.calls.filter(([name]) => name === 'checkPin')).toEqual([['checkPin', { pin: '2468' }]]));
  });
});
