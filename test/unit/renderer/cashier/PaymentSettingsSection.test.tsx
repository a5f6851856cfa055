// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SettingsScreen } from '../../../../renderer/cashier/SettingsScreen';
import { installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Settings → Payments (issue 13): the QR wallets (at least one), the unified
// code, the CPM wait window (30–300 s) and the real-name check per pay type,
// checked as typed and saved with the screen's one Save.

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

const section = () => within(screen.getByTestId('payments-settings'));
const save = () => screen.getByRole('button', { name: 'Save' });
const saved = () => till.calls.filter(([m]) => m === 'updateSettings').map(([, i]) => i);
const wallets = () => within(section().getByRole('group', { name: /QR codes the counter offers/ }));
const windowField = () => section().getByRole('textbox', { name: /Wait for the customer/ }) as HTMLInputElement;

describe('Settings → Payments', () => {
  it('shows the saved choices: WeChat QR on, the others off, the 60 s window', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    expect((wallets().getByRole('checkbox', { name: 'WeChat Pay QR' }) as HTMLInputElement).checked).toBe(true);
    expect((wallets().getByRole('checkbox', { name: 'Alipay QR (overseas)' }) as HTMLInputElement).checked).toBe(false);
    expect(windowField().value).toBe('60');
  });

  it('no wallet left is refused inline and Save stays off', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.click(wallets().getByRole('checkbox', { name: 'WeChat Pay QR' }));
    expect(section().getByRole('alert').textContent).toBe('Enable at least one QR wallet.');
    expect(save().hasAttribute('disabled')).toBe(true);
  });

  it('a wait window outside 30–300 s (or not a number) is refused inline; the edges pass', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    for (const bad of ['29', '301', '6O', '']) {
      fireEvent.change(windowField(), { target: { value: bad } });
      expect(section().getByRole('alert').textContent, bad).toBe('A whole number of seconds from 30 to 300.');
      expect(save().hasAttribute('disabled'), bad).toBe(true);
    }
    for (const good of ['30', '300']) {
      fireEvent.change(windowField(), { target: { value: good } });
      expect(section().queryByRole('alert'), good).toBeNull();
    }
  });

  it('saves only what changed, wallets in the counter\'s order (WeChat first) whatever order they were ticked', async () => {
    render(<SettingsScreen settings={settingsView({ mpmPayTypes: ['800101'] })} mode="training" />);
    fireEvent.click(wallets().getByRole('checkbox', { name: 'FPS QR' }));
    fireEvent.click(wallets().getByRole('checkbox', { name: 'WeChat Pay QR' }));
    fireEvent.click(section().getByRole('checkbox', { name: /unified payment code/ }));
    fireEvent.change(windowField(), { target: { value: '45' } });
    fireEvent.click(wallets().getByRole('checkbox', { name: 'Alipay QR (overseas)' }));
    fireEvent.click(wallets().getByRole('checkbox', { name: 'Alipay QR (overseas)' }));
    fireEvent.click(save());
    await waitFor(() => expect(saved()).toEqual([{ patch: { mpmPayTypes: ['800201', '800101', '802001'], unifiedCpm: true, cpmWindowSeconds: 45 } }]));
  });

  it('the real-name check is offered per pay type the counter takes, and saved', async () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    const group = within(section().getByRole('group', { name: 'Real-name check (ID) offered for' }));
    expect(group.getAllByRole('checkbox').map((c) => c.parentElement!.textContent!.trim())).toEqual([
      'WeChat Pay QR',
      "WeChat Pay: scan the customer's code",
      "Alipay: scan the customer's code",
    ]);
    fireEvent.click(group.getByRole('checkbox', { name: "Alipay: scan the customer's code" }));
    fireEvent.click(save());
    await waitFor(() => expect(saved()).toEqual([{ patch: { realNamePayTypes: ['800108'] } }]));
  });
});
