import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../../shared/contract';
import { RECONCILE_REASONS } from '../../../../shared/reconcile';
import { SALE_STATES } from '../../../../shared/sale';
import { ENVIRONMENTS } from '../../../../shared/settings';
import { RESOURCES } from '../../../../renderer/i18n';

// All three languages carry every text: a missing or empty key, a Chinese
// text left in English, or a placeholder that does not match fails here,
// not on a cashier's screen.

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();
const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

const en = flatten(RESOURCES.en as unknown as Tree);
const others = { 'zh-Hant': flatten(RESOURCES['zh-Hant'] as unknown as Tree), 'zh-Hans': flatten(RESOURCES['zh-Hans'] as unknown as Tree) };

describe('translations', () => {
  it('English has texts to compare against', () => {
    expect(en.size).toBeGreaterThan(100);
    for (const [key, text] of en) expect(text.trim(), key).not.toBe('');
  });

  for (const [language, texts] of Object.entries(others)) {
    describe(language, () => {
      it('has every English key', () => {
        expect([...en.keys()].filter((k) => !texts.has(k))).toEqual([]);
      });

      it('has no key English lacks', () => {
        expect([...texts.keys()].filter((k) => !en.has(k))).toEqual([]);
      });

      it('has no empty text', () => {
        expect([...texts].filter(([, t]) => t.trim() === '').map(([k]) => k)).toEqual([]);
      });

      it('is written in Chinese (every text has CJK characters)', () => {
        expect([...texts].filter(([, t]) => !CJK.test(t)).map(([k]) => k)).toEqual([]);
      });

      it('uses exactly the placeholders English uses', () => {
        const mismatched = [...en].filter(([k, t]) => JSON.stringify(placeholders(t)) !== JSON.stringify(placeholders(texts.get(k) ?? ''))).map(([k]) => k);
        expect(mismatched).toEqual([]);
      });
    });
  }

  it('Traditional and Simplified are not the same text throughout', () => {
    const same = [...others['zh-Hant']].filter(([k, t]) => others['zh-Hans'].get(k) === t && CJK.test(t));
    expect(same.length).toBeLessThan(others['zh-Hant'].size / 2);
  });

  it('every key the screens build at run time exists in every language', () => {
    const built = [
      ...ERROR_CODES.map((c) => `errors.${c}`),
      ...SALE_STATES.map((s) => `state.${s}`),
      'state.refunded',
      'state.partlyRefunded',
      ...ENVIRONMENTS.map((e) => `settings.env${e[0]!.toUpperCase()}${e.slice(1)}`),
      ...['charge', 'history', 'settings'].map((n) => `app.nav.${n}`),
      ...['cancelled', 'expired', 'failed'].map((r) => `customer.${r}`),
      ...['udid', 'merchantName', 'qrExpiryMinutes', 'tillsPerMerchant', 'businessDayCutoffHour', 'timeZone', 'rmbTag', 'pin', 'appCode', 'clientKey', 'mchid'].map((f) => `invalid.${f}`),
      ...RECONCILE_REASONS.map((r) => `reports2.reasons.${r}`),
    ];
    for (const texts of [en, others['zh-Hant'], others['zh-Hans']]) expect(built.filter((k) => !texts.has(k))).toEqual([]);
  });
});
