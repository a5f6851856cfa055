import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RotatingFileLog, redact } from '../../../../electron/service/log';
import { maskFields } from '../../../../electron/service/redact';
import { CLIENT_KEY } from './support';

// The app's log: secrets and real-name data masked whatever wrote them, a
// few files that rotate, and never an exception into the till.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'till-log-'));
  dirs.push(dir);
  return dir;
}

describe('redact', () => {
  it('replaces every occurrence of every secret', () => {
    expect(redact(`a ${CLIENT_KEY} b ${CLIENT_KEY}${CLIENT_KEY} APPCODE1`, [CLIENT_KEY, 'APPCODE1'])).toBe('a *** b ****** ***');
  });

  it('masks Chinese ID card numbers (18 characters, X check digit included) but not other long numbers', () => {
    expect(redact('id 11010519491231002X ok', [])).toBe('id 11**************2X ok');
    expect(redact('id 110105194912310021', [])).toBe('id 11**************21');
    expect(redact('syssn 20261126000123456789', [])).toBe('syssn 20261126000123456789');
  });

  it('masks the real-name field in JSON and form encodings', () => {
    expect(redact('{"user_truename":"陳大文","x":1}', [])).toBe('{"user_truename":"***","x":1}');
    expect(redact('user_truename=Chan%20Tai&txamt=1', [])).toBe('user_truename=***&txamt=1');
  });

  // Issue 10: each of these went through the old value-only redactor.
  it('masks a real name with spaces, in JSON and in a form', () => {
    expect(redact('{"user_truename":"Chan Tai Man","x":1}', [])).toBe('{"user_truename":"***","x":1}');
    expect(redact('user_truename=Chan Tai Man&txamt=1', [])).toBe('user_truename=***&txamt=1');
    expect(redact('user_truename: Chan Tai Man', [])).toBe('user_truename: ***');
  });

  it('masks the name inside double-encoded JSON (JSON in a JSON string)', () => {
    const inner = JSON.stringify({ user_truename: 'Chan Tai Man', txamt: 1 });
    const line = JSON.stringify({ body: inner });
    const out = redact(line, []);
    expect(out).not.toContain('Chan');
    expect(out).toContain('txamt');
    const twice = JSON.stringify(JSON.stringify({ user_truename: '陳大文' }));
    expect(redact(twice, [])).not.toContain('陳大文');
  });

  it('masks JSON-escaped keys and values', () => {
    expect(redact('{"user\\u005ftruename":"Chan Tai Man"}', [])).not.toContain('Chan');
    expect(redact('{"\\u0075ser_truename":"x"}'.replace('"x"', '"\\u9673\\u5927\\u6587"'), [])).not.toMatch(/u9673/);
  });

  it('masks a URL-encoded name and key', () => {
    expect(redact('user_truename=Chan%20Tai%20Man&x=1', [])).toBe('user_truename=***&x=1');
    expect(redact('user%5Ftruename%3DChan%20Tai', [])).not.toContain('Chan');
  });

  it('masks ID numbers written URL-encoded or in full-width digits', () => {
    const encoded = [...'11010519491231002X'].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
    expect(redact(`idno=${encoded}`, [])).not.toContain(encoded);
    const fullWidth = '１１０１０５１９４９１２３１００２Ｘ';
    expect(redact(`id ${fullWidth} ok`, [])).toBe('id １１**************２Ｘ ok');
  });

  it('masks the secrets in their JSON-escaped and URL-encoded spellings too', () => {
    const secret = 'k3y/with+odd"chars';
    expect(redact(JSON.stringify({ a: secret }), [secret])).not.toContain('odd');
    expect(redact(`key=${encodeURIComponent(secret)}`, [secret])).not.toContain('odd');
  });

  it('ignores empty and very short secrets rather than masking every letter', () => {
    expect(redact('abc', ['', 'a'])).toBe('abc');
  });
});

describe('maskFields: by field, before serialising', () => {
  it('masks secret fields at any depth, whatever their value looks like', () => {
    expect(
      maskFields({ user_truename: 'Chan Tai Man', nested: { idCard: '110105194912310021', clientKey: 'short', appCode: 'A' }, list: [{ pin: '2468' }], txamt: 100 }),
    ).toEqual({ user_truename: '***', nested: { idCard: '***', clientKey: '***', appCode: '***' }, list: [{ pin: '***' }], txamt: 100 });
  });

  it('masks inside a string that is JSON, and inside a form body', () => {
    expect(maskFields({ body: '{"user_truename":"Chan Tai Man","txamt":1}' })).toEqual({ body: '{"user_truename":"***","txamt":1}' });
    expect(maskFields({ body: 'txamt=1&user_truename=Chan+Tai+Man' })).toEqual({ body: 'txamt=1&user_truename=***' });
  });

  it("a customer's payment code (auth_code, authCode) is masked by field: an Alipay code is not 18 digits, so no value pass would catch it", () => {
    const code = '2812345678901234567890';
    expect(maskFields({ auth_code: code, nested: { authCode: code }, form: `txamt=1&auth_code=${code}`, txamt: 1 })).toEqual({
      auth_code: '***',
      nested: { authCode: '***' },
      form: 'txamt=1&auth_code=***',
      txamt: 1,
    });
    const dir = tempDir();
    const log = new RotatingFileLog(dir, () => [], 1024, 3, () => 0);
    log.log('warn', 'payment failed', { request: { auth_code: code, pay_type: '800108' } });
    expect(readFileSync(log.path, 'utf8')).not.toContain(code.slice(2, 20));
  });

  it('the log line masks by field what the value pass alone would miss', () => {
    const dir = tempDir();
    const log = new RotatingFileLog(dir, () => [], 1024, 3, () => 0);
    // Neither is an 18-digit ID nor a user_truename: only the field names give them away.
    log.log('info', 'request', { realName: 'Lee Ka Yan', certNo: 'A1234567', form: 'a=1&real_name=Ho+Wing' });
    const text = readFileSync(log.path, 'utf8');
    expect(text).not.toContain('Lee');
    expect(text).not.toContain('A1234567');
    expect(text).not.toContain('Ho');
  });
});

describe('RotatingFileLog', () => {
  it('writes lines with time and level, secrets masked', () => {
    const dir = tempDir();
    const log = new RotatingFileLog(dir, () => [CLIENT_KEY], 1024, 3, () => Date.UTC(2026, 10, 26, 4));
    log.log('info', `key is ${CLIENT_KEY}`, { nested: { clientKey: CLIENT_KEY } });
    const text = readFileSync(log.path, 'utf8');
    expect(text).toBe('2026-11-26T04:00:00.000Z INFO key is *** {"nested":{"clientKey":"***"}}\n');
  });

  it('reads the secrets at each line (a key set later is masked too)', () => {
    const dir = tempDir();
    const secrets: string[] = [];
    const log = new RotatingFileLog(dir, () => secrets);
    secrets.push(CLIENT_KEY);
    log.log('warn', CLIENT_KEY);
    expect(readFileSync(log.path, 'utf8')).not.toContain(CLIENT_KEY);
  });

  it('rotates at the size limit and keeps at most `keep` old files', () => {
    const dir = tempDir();
    const log = new RotatingFileLog(dir, () => [], 200, 2);
    for (let i = 0; i < 40; i++) log.log('info', `line ${i} ${'x'.repeat(40)}`);
    expect(readdirSync(dir).sort()).toEqual(['till.1.log', 'till.2.log', 'till.log']);
    expect(readFileSync(join(dir, 'till.log'), 'utf8')).toContain('line 39 ');
    expect(existsSync(join(dir, 'till.3.log'))).toBe(false);
  });

  it('data that cannot be serialised does not throw', () => {
    const dir = tempDir();
    const log = new RotatingFileLog(dir, () => []);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => log.log('error', 'loop', loop)).not.toThrow();
    expect(readFileSync(log.path, 'utf8')).toContain('[unserialisable]');
  });

  it('a log directory that disappears does not take the till down', () => {
    const dir = tempDir();
    const log = new RotatingFileLog(join(dir, 'logs'), () => []);
    rmSync(dir, { recursive: true, force: true });
    expect(() => log.log('info', 'still here')).not.toThrow();
  });
});
