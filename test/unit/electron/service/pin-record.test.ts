import { describe, expect, it } from 'vitest';
import { hashPin, newPepper } from '../../../../electron/service/pin';
import { CLIENT_KEY, fakeBox, fakeTill, memoryBackend } from './support';
import { TEST_PIN_COST, setup, type Setup } from './service-setup';

// The PIN record bound to the OS key store (issue 10): deleting or replacing
// pinHash in settings.json is detected and never removes the PIN; a record
// nobody can check forgets the stored client key before a new PIN is taken;
// and no path lets the till go live without a PIN.

const PIN = '2468';
const LIVE = { environment: 'test' as const, appCode: 'APP0001', clientKey: CLIENT_KEY };

/** A till set up live with a PIN, then "settings.json" edited while the app was closed, then restarted. */
async function editedAndRestarted(edit: (data: Record<string, unknown>) => void): Promise<{ before: Setup; after: Setup }> {
  const before = await setup({ pin: PIN });
  expect(await before.call('setCredentials', { ...LIVE, pin: PIN })).toMatchObject({ ok: true });
  expect(before.settings.credentials()).toBeDefined();
  const data = before.backend.data as Record<string, unknown>;
  edit(data);
  const after = await setup({ backend: before.backend, box: before.box, till: fakeTill() });
  return { before, after };
}

describe('pinHash deleted or replaced in settings.json', { timeout: 60_000 }, () => {
  it('a right PIN through a gated action restores the record without switching the till under that action; the next PIN check takes it live', async () => {
    const { after } = await editedAndRestarted((data) => {
      data.pinHash = null;
    });
    const opened = after.till.opened.length;
    expect(await after.call('updateSettings', { patch: { merchantName: 'Tea' }, pin: PIN })).toMatchObject({ ok: true, value: { pinState: 'set' } });
    expect(after.till.opened).toHaveLength(opened);
    expect(await after.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
    expect(after.till.opened.at(-1)!.credentials).toMatchObject({ appCode: 'APP0001' });
  });

  it('deleted: detected as tampered, the PIN is still asked for, the till is not live, and the right PIN restores the record', async () => {
    const { before, after } = await editedAndRestarted((data) => {
      data.pinHash = null;
    });
    expect(after.settings.view()).toMatchObject({ pinState: 'tampered', pinSet: true });
    expect(after.settings.credentials()).toBeUndefined();
    expect(after.till.opened.at(-1)!.credentials).toBeUndefined();
    expect(await after.call('updateSettings', { patch: { merchantName: 'Open' } })).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(await after.call('refund', { saleOutTradeNo: 'S-TILL-1', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await after.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
    expect(after.settings.pinState()).toBe('set');
    expect(after.settings.current.pinHash).toBe(before.settings.current.pinHash);
    // Restored: the till went back to the live mode its settings name.
    expect(after.till.opened.at(-1)!.credentials).toMatchObject({ appCode: 'APP0001' });
    expect(after.lines.some((l) => l.includes('restored from the sealed copy'))).toBe(true);
  });

  it("replaced by a hash of the attacker's own PIN: that PIN is refused, the owner's still works", async () => {
    const forged = await hashPin('0000', newPepper(), TEST_PIN_COST);
    const { after } = await editedAndRestarted((data) => {
      data.pinHash = forged;
    });
    expect(after.settings.pinState()).toBe('tampered');
    expect(await after.call('setCredentials', { ...LIVE, appCode: 'THEIRS01', pin: '0000' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await after.call('setPin', { currentPin: '0000', newPin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(after.settings.current.appCode).toBe('APP0001');
    expect(await after.call('setPin', { currentPin: PIN, newPin: '1357' })).toMatchObject({ ok: true, value: { pinState: 'set' } });
  });

  it('the seal deleted (or from another machine): the record is missing; a new PIN may be set but the stored key is forgotten', async () => {
    const { after } = await editedAndRestarted((data) => {
      data.pinSeal = null;
    });
    expect(after.settings.view()).toMatchObject({ pinState: 'missing', pinSet: false, hasClientKey: true });
    expect(after.settings.credentials()).toBeUndefined();
    for (const [name, input] of [
      ['refund', { saleOutTradeNo: 'S-TILL-1', pin: PIN }],
      ['zReport', { pin: PIN }],
      ['updateSettings', { patch: { merchantName: 'X' }, pin: PIN }],
      ['setCredentials', { ...LIVE, pin: PIN }],
      ['checkPin', { pin: PIN }],
      ['exportCsv', { fromMs: 0, toMs: 1, pin: PIN }],
      ['printReport', { kind: 'x', layout: 'a4', output: 'pdf', pin: PIN }],
    ] as const) {
      expect(await after.call(name, input as never), name).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    }
    expect(await after.call('setPin', { newPin: '9753' })).toMatchObject({ ok: true, value: { pinState: 'set', environment: 'training', hasClientKey: false } });
    expect(after.settings.current.clientKeyEncrypted).toBeNull();
    // Live again only with the key entered again, under the new PIN.
    expect(await after.call('setCredentials', { environment: 'test', pin: '9753' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'clientKey' } });
    expect(await after.call('setCredentials', { ...LIVE, pin: '9753' })).toMatchObject({ ok: true, value: { environment: 'test' } });
  });

  it('both deleted with live credentials left behind: missing, not a fresh till', async () => {
    const { after } = await editedAndRestarted((data) => {
      data.pinSeal = null;
      data.pinHash = null;
    });
    expect(after.settings.pinState()).toBe('missing');
    expect(after.settings.credentials()).toBeUndefined();
  });

  it('a 0.1 store (a PIN hashed without a pepper, no seal) asks for a new PIN before it goes live again', async () => {
    const s = await setup({ backend: memoryBackend({ settingsVersion: 2, environment: 'production', appCode: 'APP0001', pinHash: 'scrypt$32768$8$1$U0FMVA==$SEFTSA==' }) });
    expect(s.settings.pinState()).toBe('missing');
    expect(s.till.opened.at(-1)!.credentials).toBeUndefined();
    expect(s.service.status().mode).toBe('training');
  });
});

describe('no live mode without a PIN', { timeout: 60_000 }, () => {
  it('a fresh till cannot store credentials or leave training before a PIN is set (first run: PIN first)', async () => {
    const s = await setup();
    expect(s.settings.view()).toMatchObject({ pinState: 'none', pinSet: false });
    expect(await s.call('setCredentials', LIVE)).toMatchObject({ ok: false, error: { code: 'pin_not_set', field: 'pin' } });
    expect(await s.call('setCredentials', { environment: 'training', appCode: 'APP0001', clientKey: CLIENT_KEY })).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(s.settings.current).toMatchObject({ environment: 'training', appCode: null, clientKeyEncrypted: null });
    // Staying in training needs nothing.
    expect(await s.call('setCredentials', { environment: 'training' })).toMatchObject({ ok: true });
    expect(await s.call('setPin', { newPin: PIN })).toMatchObject({ ok: true, value: { pinState: 'set' } });
    expect(await s.call('setCredentials', { ...LIVE, pin: PIN })).toMatchObject({ ok: true, value: { environment: 'test' } });
  });

  it('settings.json edited to a live environment without any PIN record: the till opens in training', async () => {
    const s = await setup({ backend: memoryBackend({ settingsVersion: 2, environment: 'production', appCode: 'APP0001' }) });
    expect(s.settings.pinState()).toBe('missing');
    expect(s.till.opened.at(-1)!.credentials).toBeUndefined();
  });

  it('the PIN cannot be removed while the till is set to go live', async () => {
    const s = await setup({ pin: PIN });
    await s.call('setCredentials', { ...LIVE, pin: PIN });
    expect(await s.call('setPin', { currentPin: PIN, newPin: null })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'newPin' } });
    expect(s.settings.pinState()).toBe('set');
  });

  it('removing the PIN in training also forgets the stored key, so the till cannot go live on it', async () => {
    const s = await setup({ pin: PIN });
    await s.call('setCredentials', { ...LIVE, pin: PIN });
    await s.call('setCredentials', { environment: 'training', pin: PIN });
    expect(await s.call('setPin', { currentPin: PIN, newPin: null })).toMatchObject({ ok: true, value: { pinState: 'none', hasClientKey: false } });
    expect(s.settings.pinState()).toBe('none');
  });

  it('with no key store at all a PIN cannot be sealed: not_available, and the till stays in training', async () => {
    const s = await setup({ box: fakeBox('unavailable') });
    expect(await s.call('setPin', { newPin: PIN })).toMatchObject({ ok: false, error: { code: 'not_available' } });
    expect(s.settings.pinState()).toBe('none');
  });
});

describe('setting the PIN', { timeout: 60_000 }, () => {
  it('two first-run setPin calls at once: the first wins, the second is refused rather than replacing it without its PIN', async () => {
    const s = await setup();
    const [first, second] = await Promise.all([s.call('setPin', { newPin: '1357' }), s.call('setPin', { newPin: '8642' })]);
    expect(first).toMatchObject({ ok: true });
    expect(second).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(await s.call('checkPin', { pin: '1357' })).toEqual({ ok: true, value: { valid: true } });
  });
});
