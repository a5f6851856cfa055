// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OfficeStatus } from '../../../../shared/contract';
import { SettingsScreen } from '../../../../renderer/cashier/SettingsScreen';
import { en } from '../../../../renderer/i18n/en';
import { installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Settings → Head office (issue 15): the URL without its password, the
// password write-only (the screen knows only whether one is kept), on/off,
// saved by the screen's one Save through setHeadOffice, and the sender's
// status as main reports it.

const URL_ = 'postgres://till_shop1@office.example:5432/office';
const LIVE = { pinSet: true, pinState: 'set' as const };

describe('Settings → Head office', () => {
  let till: FakeTill;
  beforeAll(() => useLanguage('en'));
  beforeEach(() => {
    till = installFakeTill();
  });
  afterEach(cleanup);

  const section = () => within(screen.getByTestId('office-settings'));
  /** A field by its label's own text (the label also holds the hint and the message). */
  const field = (label: string) => [...screen.getByTestId('office-settings').querySelectorAll('label.field')].find((l) => l.querySelector('.field-label')?.textContent === label)!.querySelector('input') as HTMLInputElement;
  const urlField = () => field(en.office.url);
  const passwordField = () => field(en.office.password);
  const save = () => screen.getByRole('button', { name: en.settings.save });
  const officeCalls = () => till.calls.filter(([m]) => m === 'setHeadOffice').map(([, i]) => i);

  it('shows the URL, whether a password is kept (never the password), and the sender\'s status', async () => {
    const status: OfficeStatus = { state: 'ok', lastContactMs: Date.UTC(2026, 10, 26, 4, 0, 0), lastSentMs: null, lagEvents: 3, failure: null };
    till.answer('officeStatus', async () => ({ ok: true, value: status }));
    render(<SettingsScreen settings={settingsView({ ...LIVE, headOfficeEnabled: true, headOfficeUrl: URL_, headOfficePasswordSet: true })} mode="test" />);
    expect(urlField().value).toBe(URL_);
    expect(passwordField().value).toBe('');
    expect(passwordField().placeholder).toBe(en.office.passwordSet);
    expect((section().getByLabelText(en.office.enabled) as HTMLInputElement).checked).toBe(true);
    const text = await waitFor(() => {
      const t = screen.getByTestId('office-status').textContent ?? '';
      expect(t).toContain(en.office.state.ok);
      return t;
    });
    expect(text).toContain('last contact 26/11/2026');
    expect(text).toContain('last sent never');
    expect(text).toContain('3 event(s) not yet sent');
  });

  it('a failing sender says why, as a translated code', async () => {
    till.answer('officeStatus', async () => ({ ok: true, value: { state: 'failing', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: 'refused' } }));
    render(<SettingsScreen settings={settingsView(LIVE)} mode="test" />);
    await waitFor(() => expect(screen.getByTestId('office-status').textContent).toContain(en.office.failure.refused));
  });

  it('a password inside the URL is refused with its own message; so is a URL that is not postgres or has no database', () => {
    render(<SettingsScreen settings={settingsView(LIVE)} mode="test" />);
    const errorOf = () => urlField().closest('.field')!.querySelector('.field-error')?.textContent;
    fireEvent.change(urlField(), { target: { value: 'postgres://till_shop1:Hunter2@office.example/office' } });
    expect(errorOf()).toBe(en.office.invalid.officeUrlPassword);
    expect(save().hasAttribute('disabled')).toBe(true);
    for (const bad of ['mysql://till@office.example/office', 'postgres://till@office.example', 'office.example']) {
      fireEvent.change(urlField(), { target: { value: bad } });
      expect(errorOf(), bad).toBe(en.office.invalid.officeUrl);
      expect(save().hasAttribute('disabled'), bad).toBe(true);
    }
    fireEvent.click(save());
    expect(officeCalls()).toEqual([]);
    fireEvent.change(urlField(), { target: { value: URL_ } });
    expect(errorOf()).toBeUndefined();
    expect(save().hasAttribute('disabled')).toBe(false);
  });

  it('turning it on with a URL and a password saves through setHeadOffice with the PIN, not as a settings patch', async () => {
    render(<SettingsScreen settings={settingsView(LIVE)} mode="test" />);
    fireEvent.change(screen.getAllByLabelText('Supervisor PIN')[0]!, { target: { value: '2468' } });
    fireEvent.click(section().getByLabelText(en.office.enabled));
    fireEvent.change(urlField(), { target: { value: URL_ } });
    fireEvent.change(passwordField(), { target: { value: 'p@ss word' } });
    fireEvent.click(save());
    await waitFor(() => expect(officeCalls()).toEqual([{ enabled: true, url: URL_, password: 'p@ss word', pin: '2468' }]));
    expect(till.calls.filter(([m]) => m === 'updateSettings')).toEqual([]);
    expect(await screen.findByText('Saved')).toBeTruthy();
    // The password field is emptied once sent: it is never shown again.
    await waitFor(() => expect(passwordField().value).toBe(''));
  });

  it('on with no URL is refused; without a supervisor PIN, sending or keeping a password is refused with a warning', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.click(section().getByLabelText(en.office.enabled));
    expect(urlField().closest('.field')!.querySelector('.field-error')?.textContent).toBe(en.office.invalid.officeUrl);
    fireEvent.change(urlField(), { target: { value: URL_ } });
    expect(section().getByText(en.office.pinRequired)).toBeTruthy();
    expect(save().hasAttribute('disabled')).toBe(true);
    fireEvent.click(section().getByLabelText(en.office.enabled));
    expect(save().hasAttribute('disabled')).toBe(false);
  });

  it('"forget the kept password" sends null; nothing changed sends nothing', async () => {
    render(<SettingsScreen settings={settingsView({ ...LIVE, headOfficeEnabled: true, headOfficeUrl: URL_, headOfficePasswordSet: true })} mode="test" />);
    fireEvent.click(save());
    await waitFor(() => expect(till.calls.some(([m]) => m === 'updateSettings')).toBe(true));
    expect(officeCalls()).toEqual([]);
    fireEvent.click(section().getByLabelText(en.office.forgetPassword));
    fireEvent.click(save());
    await waitFor(() => expect(officeCalls()).toEqual([{ enabled: true, url: URL_, password: null }]));
  });
});
