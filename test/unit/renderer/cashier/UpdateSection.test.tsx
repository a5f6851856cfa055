// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UpdateSection } from '../../../../renderer/cashier/UpdateSection';
import { installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Settings → Updates: the state main reports, and "Restart to update" only
// for a downloaded update, with the PIN when one is set; a refusal is shown.

let fakeTill: FakeTill;
beforeAll(async () => {
  await useLanguage('en');
});
beforeEach(() => {
  fakeTill = installFakeTill();
});
afterEach(cleanup);

describe('UpdateSection', () => {
  it('updates off: says so, no restart button', async () => {
    render(<UpdateSection settings={settingsView()} pin="" />);
    expect((await screen.findByTestId('update-state')).textContent).toBe('Automatic updates are off (no update address).');
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('a downloaded update: "Restart to update" sends the PIN; a refusal because a sale is open is shown', async () => {
    fakeTill.answer('updateStatus', async () => ({ ok: true, value: { state: 'ready', version: '0.2.0' } }));
    fakeTill.answer('restartToUpdate', async () => ({ ok: false, error: { code: 'open_work', message: 'open' } }));
    render(<UpdateSection settings={settingsView({ pinSet: true, updateFeedUrl: 'https://u.example/' })} pin="2468" />);
    expect((await screen.findByTestId('update-state')).textContent).toContain('Version 0.2.0 is ready');
    fireEvent.click(screen.getByRole('button', { name: 'Restart to update' }));
    expect(await screen.findByRole('alert')).toBeTruthy();
    expect(fakeTill.calls.filter(([name]) => name === 'restartToUpdate')).toEqual([['restartToUpdate', { pin: '2468' }]]);
  });

  it('downloading: shows the version, no button yet', async () => {
    fakeTill.answer('updateStatus', async () => ({ ok: true, value: { state: 'downloading', version: '0.2.0' } }));
    render(<UpdateSection settings={settingsView()} pin="" />);
    expect((await screen.findByTestId('update-state')).textContent).toBe('Downloading version 0.2.0…');
    expect(screen.queryByRole('button')).toBeNull();
  });
});
