import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Harness } from './support/bridge';
import { assertNoOpenSale, callTill, openWindows, shoot, textOf, tillValue } from './support/flows';

// Settings in a real browser: bad input gets inline messages and never
// reaches the till (checked through window.till.settings()), and the
// language switch zh-Hant → en → zh-Hans changes what the cashier reads.

// What the cashier reads, per language (the e2e project cannot import renderer/: these are the texts as shipped).
const zhHant = {
  app: { nav: { charge: '收款', history: '記錄', reports: '報表', settings: '設定' }, training: '培訓模式 — 不涉及真實款項' },
  settings: { save: '儲存', setPin: '設定密碼', udid: '收銀機編號（udid）', qrExpiryMinutes: '二維碼有效時間（分鐘，5–120）', newPin: '新密碼（4–8 位數字）', language: '語言' },
  invalid: { udid: '1–40 個英文字母、數字、「-」或「_」', qrExpiryMinutes: '5 至 120 的整數', pin: '4–8 位數字' },
};
const en = {
  app: { nav: { charge: 'Charge', history: 'History', reports: 'Reports', settings: 'Settings' }, training: 'TRAINING MODE — no real money' },
  settings: { title: 'Settings', save: 'Save', saved: 'Saved', language: 'Language' },
  keypad: { enterAmount: 'Type the amount' },
};
const zhHans = {
  app: { nav: { charge: '收款', history: '记录', reports: '报表', settings: '设置' }, training: '培训模式 — 不涉及真实款项' },
  settings: { title: '设置', saved: '已保存' },
  keypad: { enterAmount: '请输入金额', keyboardHint: '键盘：数字、小数点、Backspace 删除、Esc 清除、Enter 收款' },
};

let h: Harness;
let errors: string[];

beforeAll(async () => {
  ({ h, errors } = await openWindows());
});

afterEach(async () => {
  await assertNoOpenSale(h);
});

afterAll(async () => {
  await h?.close();
});

/** The inline message under the field with this label. */
const messageFor = (label: string) => textOf(h.cashier, `label.field:has(.field-label:text-is("${label}")) .field-error`);
const field = (label: string) => h.cashier.locator(`label.field:has(.field-label:text-is("${label}")) input, label.field:has(.field-label:text-is("${label}")) select`);

describe('settings', () => {
  it('rejects a udid with a space, QR minutes 4 and PIN "abc" inline, and saves nothing', async () => {
    const before = await tillValue(h.cashier, 'settings');
    expect(before).toMatchObject({ udid: 'E2E-TILL-01', qrExpiryMinutes: 30, pinSet: false });
    await h.cashier.click(`role=tab[name="${zhHant.app.nav.settings}"]`);
    await h.cashier.waitForSelector('.settings');

    await field(zhHant.settings.udid).fill('TILL 01');
    await field(zhHant.settings.qrExpiryMinutes).fill('4');
    await field(zhHant.settings.newPin).fill('abc');
    expect(await messageFor(zhHant.settings.udid)).toBe(zhHant.invalid.udid);
    expect(await messageFor(zhHant.settings.qrExpiryMinutes)).toBe(zhHant.invalid.qrExpiryMinutes);
    expect(await messageFor(zhHant.settings.newPin)).toBe(zhHant.invalid.pin);
    const save = h.cashier.getByRole('button', { name: zhHant.settings.save, exact: true });
    const setPin = h.cashier.getByRole('button', { name: zhHant.settings.setPin });
    expect(await save.isDisabled()).toBe(true);
    expect(await setPin.isDisabled()).toBe(true);
    // A forced click on the disabled buttons, and Enter in a field, change nothing.
    await save.click({ force: true });
    await setPin.click({ force: true });
    await field(zhHant.settings.qrExpiryMinutes).press('Enter');
    await shoot(h, { cashier: 'settings-invalid', customer: 'idle-during-settings-invalid' });

    expect(await tillValue(h.cashier, 'settings')).toEqual(before);
    expect(h.settings.current.udid).toBe('E2E-TILL-01');
    expect(h.settings.current.qrExpiryMinutes).toBe(30);
    expect(h.settings.current.pinHash).toBeNull();
    // And the till itself refuses the same values if a window ever sent them.
    for (const patch of [{ udid: 'TILL 01' }, { qrExpiryMinutes: 4 }]) {
      const refused = await callTill(h.cashier, 'updateSettings', { patch });
      expect(refused.ok, JSON.stringify(patch)).toBe(false);
    }
    expect((await callTill(h.cashier, 'setPin', { newPin: 'abc' })).ok).toBe(false);
    expect(await tillValue(h.cashier, 'settings')).toEqual(before);

    // Putting the values right clears the messages.
    await field(zhHant.settings.udid).fill('E2E-TILL-01');
    await field(zhHant.settings.qrExpiryMinutes).fill('30');
    await field(zhHant.settings.newPin).fill('');
    expect(await h.cashier.$$('.field-error')).toHaveLength(0);
    expect(await save.isDisabled()).toBe(false);
  });

  it('Settings → Head office on a training till: says it never sends, refuses a URL carrying a password inline, saves nothing', async () => {
    const office = { title: '總部', url: '資料庫網址', training: '練習模式：不會傳送', urlPassword: '請把密碼從網址中移除，並在密碼欄輸入：密碼會加密保存' };
    await h.cashier.click(`role=tab[name="${zhHant.app.nav.settings}"]`);
    const section = h.cashier.locator('[data-testid="office-settings"]');
    await section.scrollIntoViewIfNeeded();
    expect(await section.locator('h3').textContent()).toBe(office.title);
    await section.locator('[data-testid="office-status"]').getByText(office.training).waitFor();
    await field(office.url).fill('postgres://till_a:secret@office.example:5432/office');
    expect(await messageFor(office.url)).toBe(office.urlPassword);
    expect(await h.cashier.getByRole('button', { name: zhHant.settings.save, exact: true }).isDisabled()).toBe(true);
    mkdirSync(ARTIFACTS, { recursive: true });
    await section.screenshot({ path: join(ARTIFACTS, 'settings-office-zh-Hant.png') });
    await field(office.url).fill('');
    expect((await tillValue(h.cashier, 'settings')).headOfficeUrl).toBeNull();
  });

  it('switches language zh-Hant → en → zh-Hans and the visible texts follow', async () => {
    const tabs = () => h.cashier.locator('[role="tab"]').allTextContents();
    expect(await tabs()).toEqual([zhHant.app.nav.charge, zhHant.app.nav.history, zhHant.app.nav.reports, zhHant.app.nav.settings]);
    expect(await textOf(h.cashier, '.training-banner')).toBe(zhHant.app.training);
    await h.cashier.click(`role=tab[name="${zhHant.app.nav.settings}"]`);

    await field(zhHant.settings.language).selectOption('en');
    await h.cashier.getByRole('button', { name: zhHant.settings.save, exact: true }).click();
    await h.cashier.waitForSelector(`role=tab[name="${en.app.nav.settings}"]`);
    expect(await tabs()).toEqual([en.app.nav.charge, en.app.nav.history, en.app.nav.reports, en.app.nav.settings]);
    expect(await textOf(h.cashier, '.settings h2')).toBe(en.settings.title);
    expect(await textOf(h.cashier, '.training-banner')).toBe(en.app.training);
    expect(await h.cashier.getAttribute('.app', 'lang')).toBe('en');
    // The confirmation of the save that switched the language reads in the new one.
    expect(await textOf(h.cashier, '.settings-save-bar .ok-text')).toBe(en.settings.saved);
    expect((await tillValue(h.cashier, 'settings')).language).toBe('en');
    await shoot(h, { cashier: 'settings-en', customer: 'idle-during-settings-en' });
    await h.cashier.click(`role=tab[name="${en.app.nav.charge}"]`);
    expect(await textOf(h.cashier, '[data-testid="amount"]')).toBe(en.keypad.enterAmount);
    await shoot(h, { cashier: 'idle-en', customer: 'idle-during-idle-en' });

    await h.cashier.click(`role=tab[name="${en.app.nav.settings}"]`);
    await field(en.settings.language).selectOption('zh-Hans');
    await h.cashier.getByRole('button', { name: en.settings.save, exact: true }).click();
    await h.cashier.waitForSelector(`role=tab[name="${zhHans.app.nav.settings}"]`);
    expect(await tabs()).toEqual([zhHans.app.nav.charge, zhHans.app.nav.history, zhHans.app.nav.reports, zhHans.app.nav.settings]);
    expect(await textOf(h.cashier, '.settings h2')).toBe(zhHans.settings.title);
    expect(await textOf(h.cashier, '.training-banner')).toBe(zhHans.app.training);
    expect((await tillValue(h.cashier, 'settings')).language).toBe('zh-Hans');
    expect(await textOf(h.cashier, '.settings-save-bar .ok-text')).toBe(zhHans.settings.saved);
    await shoot(h, { cashier: 'settings-zh-Hans', customer: 'idle-during-settings-zh-Hans' });
    await h.cashier.click(`role=tab[name="${zhHans.app.nav.charge}"]`);
    expect(await textOf(h.cashier, '[data-testid="amount"]')).toBe(zhHans.keypad.enterAmount);
    expect(await textOf(h.cashier, '.key-hint')).toBe(zhHans.keypad.keyboardHint);
    await shoot(h, { cashier: 'idle-zh-Hans', customer: 'idle-during-idle-zh-Hans' });
    // The texts really differ between the scripts (not the same strings twice).
    expect(zhHans.app.nav.settings).not.toBe(zhHant.app.nav.settings);
  });

  it('no page errors or console errors in either window', () => {
    expect(errors).toEqual([]);
  });
});
