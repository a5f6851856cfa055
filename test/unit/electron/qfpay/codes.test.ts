import { describe, it, expect } from 'vitest';
import {
  STATUS_CODES,
  TRANSPORT_OUTCOMES,
  cashierText,
  codeInfo,
  normalizeRespcd,
  treatmentOf,
  type CodeInfo,
  type Language,
  type Treatment,
} from '../../../../electron/qfpay/codes';

// Written out literally from API.md's "Status codes" table, so a code dropped
// from codes.ts (or added without updating the doc) fails here.
const API_MD_CODES = (
  '0000 1143 1145 1100 1101 1102 1103 1104 1105 1106 1107 1108 1125 1136 1142 1147 1150 1155 1181 ' +
  '1201 1202 1203 1204 1205 1212 1241 1242 1243 1251 1250 1252 1254 1260 1261 1262 1263 1264 1265 ' +
  '1266 1267 1268 1269 1270 1271 1272 1294 1295 1296 1297 1298 2005 2011'
).split(' ');

const SPECIAL_TREATMENTS: Record<string, Treatment> = {
  '0000': 'success',
  '1143': 'in_progress',
  '1145': 'in_progress',
  '1102': 'unknown',
  '1295': 'unknown',
  '1296': 'unknown',
  '1298': 'unknown',
  '2011': 'unknown',
  '1142': 'closed',
  '1263': 'closed',
  '1264': 'closed',
  '1181': 'expired',
  '1260': 'paid_confirm',
  '1261': 'not_paid_confirm',
  '1262': 'refunded',
};

const RETRY_LATER_CODES = ['1100', '1205', '1252', '1254', '1297'];

const LANGUAGES: readonly Language[] = ['en', 'zh-Hant', 'zh-Hans'];
const HAN = /\p{Script=Han}/u;
// Characters that exist in only one of the two scripts: a zh-Hant text with a
// simplified form (or the reverse) means the two columns got mixed up.
const SIMPLIFIED_ONLY = /[请这个时过网统设户额账码门关银联电话问题无须经继续检询务应该让给错误启动备据资对顾确认单处钱笔绝获连响读与发现订败态机进实营货结记录数]/u;
const TRADITIONAL_ONLY = /[請這個時過網統設戶額帳賬碼門關銀聯電話問題無須經繼續檢詢務應該讓給錯誤啟動備據資對顧確認單處錢筆絕獲連響讀與發現訂敗態機進實營貨結記錄數後於]/u;

function allEntries(): [string, CodeInfo][] {
  return [
    ...Object.entries(STATUS_CODES),
    ...Object.entries(TRANSPORT_OUTCOMES),
    ['fallback 1999', codeInfo('1999')],
  ];
}

describe('STATUS_CODES', () => {
  it('holds exactly the codes of API.md, each under its own key', () => {
    expect(Object.keys(STATUS_CODES).sort()).toEqual([...API_MD_CODES].sort());
    for (const [key, info] of Object.entries(STATUS_CODES)) expect(info.code).toBe(key);
  });

  it.each(API_MD_CODES)('%s has the treatment API.md gives it', (code) => {
    expect(STATUS_CODES[code]?.treatment).toBe(SPECIAL_TREATMENTS[code] ?? 'failed');
    expect(treatmentOf(code)).toBe(SPECIAL_TREATMENTS[code] ?? 'failed');
  });

  it('marks only the temporary failures as retry-later', () => {
    const retry = Object.values(STATUS_CODES)
      .filter((info) => info.retryLater)
      .map((info) => info.code)
      .sort();
    expect(retry).toEqual(RETRY_LATER_CODES);
    for (const code of RETRY_LATER_CODES) expect(STATUS_CODES[code]?.treatment).toBe('failed');
  });

  it('groups codes into the categories the UI relies on', () => {
    const expected: Record<string, string[]> = {
      ok: ['0000'],
      pending: ['1143', '1145'],
      config: ['1105', '1106', '1107', '1203', '1204', '1241', '1242', '1243', '1251'],
      signature: ['1108'],
      input: ['1103', '1104'],
      refund: ['1125', '1155', '1265', '1269', '1270', '1271', '1272'],
      cancel: ['1150'],
      customer: ['1201', '1202', '2005', '1212'],
    };
    for (const [category, codes] of Object.entries(expected)) {
      for (const code of codes) expect(STATUS_CODES[code]?.category, code).toBe(category);
    }
  });

  it('gives the refund failures hints that say exactly what to do', () => {
    expect(STATUS_CODES['1265']?.text.en.hint).toBe('Refunds are not possible between 23:30 and 00:30. Try again after 00:30.');
    expect(STATUS_CODES['1269']?.text.en.hint).toBe(
      "Today's takings are too small to cover this refund. Refund tomorrow or through the QFPay merchant portal.",
    );
    expect(STATUS_CODES['1270']?.text.en.hint).toBe('Only a full refund is possible for this payment.');
    expect(STATUS_CODES['1271']?.text.en.hint).toBe('Only a full refund is possible for this payment.');
    expect(STATUS_CODES['1272']?.text.en.hint).toBe('The amount is more than what is left to refund.');
  });

  it('cannot be modified at run time', () => {
    expect(Object.isFrozen(STATUS_CODES)).toBe(true);
    expect(Object.isFrozen(STATUS_CODES['0000'])).toBe(true);
    expect(Object.isFrozen(STATUS_CODES['0000']?.text.en)).toBe(true);
  });
});

describe('cashier texts', () => {
  it.each(allEntries())('%s has a message and a hint in every language', (_key, info) => {
    for (const lang of LANGUAGES) {
      const { message, hint } = info.text[lang];
      expect(message.trim(), `${lang} message`).not.toBe('');
      expect(hint.trim(), `${lang} hint`).not.toBe('');
      expect(message).toBe(message.trim());
      expect(hint, `${lang} hint is a sentence`).toMatch(/[.。]$/u);
    }
  });

  it.each(allEntries())('%s says it differently in each language', (_key, info) => {
    const messages = LANGUAGES.map((lang) => info.text[lang].message);
    const hints = LANGUAGES.map((lang) => info.text[lang].hint);
    expect(new Set(messages).size).toBe(3);
    expect(new Set(hints).size).toBe(3);
  });

  it.each(allEntries())('%s is Chinese in the zh texts and has no Chinese in English', (_key, info) => {
    const { en, 'zh-Hant': hant, 'zh-Hans': hans } = info.text;
    expect(en.message).not.toMatch(HAN);
    expect(en.hint).not.toMatch(HAN);
    for (const zh of [hant, hans]) {
      expect(zh.message).toMatch(HAN);
      expect(zh.hint).toMatch(HAN);
    }
    expect(`${hant.message} ${hant.hint}`).not.toMatch(SIMPLIFIED_ONLY);
    expect(`${hans.message} ${hans.hint}`).not.toMatch(TRADITIONAL_ONLY);
  });

  it.each(allEntries())('%s keeps the English message short', (_key, info) => {
    expect(info.text.en.message.length).toBeLessThanOrEqual(40);
  });

  it('looks texts up by code and language', () => {
    expect(cashierText('1201', 'zh-Hant')).toEqual(STATUS_CODES['1201']?.text['zh-Hant']);
    expect(cashierText('1201', 'en').hint).toBe('Ask the customer to pay another way.');
    expect(cashierText('1105', 'en').hint).toBe("Call your supervisor: the till's QFPay settings are wrong.");
  });

  it('1108 names both causes, the client key and the merchant id, in every language', () => {
    const both: Record<Language, [RegExp, RegExp]> = {
      en: [/\bkey\b/i, /merchant ID/],
      'zh-Hant': [/密鑰/u, /商戶編號/u],
      'zh-Hans': [/密钥/u, /商户编号/u],
    };
    for (const lang of LANGUAGES) {
      const { message, hint } = cashierText('1108', lang);
      for (const cause of both[lang]) {
        expect(message, `${lang} message`).toMatch(cause);
        expect(hint, `${lang} hint`).toMatch(cause);
      }
    }
  });

  it('falls back to English for a language the table does not know', () => {
    expect(cashierText('1201', 'fr' as Language)).toEqual(STATUS_CODES['1201']?.text.en);
  });
});

describe('TRANSPORT_OUTCOMES', () => {
  it('treats HTTP 429 as a failure to retry later: the request did not run', () => {
    expect(TRANSPORT_OUTCOMES.rate_limited).toMatchObject({
      code: 'HTTP_429',
      treatment: 'failed',
      category: 'rate_limit',
      retryLater: true,
    });
  });

  it('treats timeouts, resets, 5xx, unreadable and unverified replies as unknown: query, never resend', () => {
    const expected = {
      timeout: 'TIMEOUT',
      network: 'NETWORK',
      http_error: 'HTTP_ERROR',
      bad_response: 'BAD_RESPONSE',
      bad_signature: 'BAD_SIGNATURE',
    } as const;
    for (const [outcome, code] of Object.entries(expected)) {
      const info = TRANSPORT_OUTCOMES[outcome as keyof typeof expected];
      expect(info.code).toBe(code);
      expect(info.treatment).toBe('unknown');
      expect(info.retryLater).toBe(false);
      expect(codeInfo(code)).toBe(info);
    }
  });
});

describe('normalizeRespcd', () => {
  it('reads an unquoted 0000, which JSON parses as the number 0', () => {
    expect(normalizeRespcd(0)).toBe('0000');
    expect(normalizeRespcd(JSON.parse('{"respcd": 0}').respcd)).toBe('0000');
  });

  it('accepts numbers and padded or spaced strings', () => {
    expect(normalizeRespcd(1143)).toBe('1143');
    expect(normalizeRespcd('0000')).toBe('0000');
    expect(normalizeRespcd(' 1145 ')).toBe('1145');
  });

  it('rejects anything that is not a 1-4 digit code', () => {
    for (const value of [null, undefined, 'abc', '12345', '', ' ', -1, 1.5, 10000, Number.NaN, '11 43', '0x10', {}, [1143]]) {
      expect(normalizeRespcd(value), JSON.stringify(value) ?? String(value)).toBeUndefined();
    }
  });
});

describe('codeInfo', () => {
  it('normalizes the code it is given', () => {
    expect(codeInfo(' 1143 ')).toBe(STATUS_CODES['1143']);
    expect(treatmentOf('0')).toBe('success');
  });

  it('turns a code missing from API.md into a failure that names the code', () => {
    const info = codeInfo('1999');
    expect(info.code).toBe('1999');
    expect(info.treatment).toBe('failed');
    expect(info.retryLater).toBe(false);
    expect(info.text.en.message).toBe('Payment failed (code 1999)');
    for (const lang of LANGUAGES) expect(info.text[lang].message).toContain('1999');
    expect(treatmentOf('1999')).toBe('failed');
    expect(cashierText('1999', 'zh-Hans').message).toContain('1999');
  });

  it('never mistakes an object property name or garbage for a code', () => {
    expect(codeInfo('constructor').treatment).toBe('failed');
    expect(codeInfo('__proto__').treatment).toBe('failed');
    const garbage = codeInfo('<script>alert(1)</script>'.repeat(10));
    expect(garbage.treatment).toBe('failed');
    expect(garbage.text.en.message.length).toBeLessThanOrEqual(40);
    expect(codeInfo('').text.en.message).toBe('Payment failed (code ?)');
  });
});
