import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './support/bridge';
import { callTill, tillValue, watchErrors } from './support/flows';

// The first run in a real browser (issue 10): the supervisor PIN comes
// first; until it is set nothing takes the till live, whether the cashier
// uses the Settings screen or a script calls window.till directly.

let h: Harness;
let errors: string[];

beforeAll(async () => {
  h = await startHarness();
  errors = watchErrors(h);
  h.cashier.setDefaultTimeout(20_000);
});

afterAll(async () => {
  await h?.close();
});

const LIVE = { environment: 'production', appCode: 'E2EAPPCODE0001', clientKey: 'E2E-CLIENT-KEY-0001' } as const;

describe('first run', () => {
  it('opens on the PIN walkthrough; going live is refused through window.till and disabled on the Settings screen', async () => {
    await h.cashier.waitForSelector('.first-run[role="dialog"]');
    expect(await tillValue(h.cashier, 'settings')).toMatchObject({ pinState: 'none', pinSet: false });
    expect(await callTill(h.cashier, 'setCredentials', LIVE)).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(h.settings.current).toMatchObject({ environment: 'training', appCode: null, clientKeyEncrypted: null });

    // Put off: the Settings screen says why the connection cannot be saved, and its Save stays disabled for production.
    await h.cashier.click('.first-run-later');
    await h.cashier.click('role=tab >> nth=3');
    await h.cashier.waitForSelector('[data-testid="pin-required-to-go-live"]');
    const environment = h.cashier.locator('.settings-section select').filter({ has: h.cashier.locator('option[value="production"]') });
    await environment.selectOption('production');
    await h.cashier.locator('.warn-banner input[type="checkbox"]').check();
    // The screen's one Save (issue 12) carries the connection.
    const saveConnection = h.cashier.locator('.settings-save-bar .btn-primary');
    expect(await saveConnection.isDisabled()).toBe(true);
    await saveConnection.click({ force: true });
    expect(h.settings.current.environment).toBe('training');
  });

  it('a PIN set (typed twice) opens the way and the walkthrough goes away', async () => {
    await h.cashier.reload();
    await h.cashier.waitForSelector('.first-run[role="dialog"]');
    const [pin, again] = [h.cashier.locator('.first-run-fields input').nth(0), h.cashier.locator('.first-run-fields input').nth(1)];
    await pin.fill('2468');
    await again.fill('2469');
    expect(await h.cashier.locator('.first-run-fields .btn-primary').isDisabled()).toBe(true);
    await again.fill('2468');
    await h.cashier.locator('.first-run-fields .btn-primary').click();
    await h.cashier.waitForSelector('.first-run', { state: 'detached' });
    expect(await tillValue(h.cashier, 'settings')).toMatchObject({ pinState: 'set', pinSet: true });
    expect(h.settings.current.pinHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    // Now credentials are a supervisor's decision: without the PIN they are pin_required, not pin_not_set.
    expect(await callTill(h.cashier, 'setCredentials', LIVE)).toMatchObject({ ok: false, error: { code: 'pin_required' } });
  });

  it('no page errors or console errors', () => {
    expect(errors).toEqual([]);
  });
});
