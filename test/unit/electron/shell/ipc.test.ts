import { describe, expect, it, vi } from 'vitest';
import { METHODS, type IpcResult, type MethodName, type WindowKind } from '../../../../shared/contract';
import { makeHandler, registerIpc, type WindowRegistry } from '../../../../electron/ipc';

// ipc.ts: one handler per contract channel, and the one wrapper that checks
// the sender (our window, its main frame, a window the channel allows) and
// the input (the channel's schema) before the service sees anything.

const NAMES = Object.keys(METHODS) as MethodName[];
const CASHIER_ID = 1;
const CUSTOMER_ID = 2;

const registry: WindowRegistry = {
  kindOf: (id) => (id === CASHIER_ID ? 'cashier' : id === CUSTOMER_ID ? 'customer' : undefined),
};

function sender(id: number) {
  const mainFrame = { routingId: id * 10 };
  return { id, mainFrame };
}

/** An invoke event from the main frame of web contents `id`. */
function from(id: number) {
  const s = sender(id);
  return { sender: s, senderFrame: s.mainFrame } as never;
}

type Service = Parameters<typeof makeHandler>[0];

/** A service that echoes what it was called with; `call` is a spy. */
function fakeService() {
  const call = vi.fn(async (name: MethodName, input: unknown): Promise<IpcResult<unknown>> => ({ ok: true, value: { name, input } }));
  return { call } as { call: typeof call } & Service;
}

const LONG = 'x'.repeat(65);
const ID = 'S-TILL-1-20261126-0001';

interface Case {
  /** A valid input, and what the service must receive for it once parsed. */
  good: unknown;
  parsed: unknown;
  /** Bad inputs, each with the field the error must name. */
  bad: Array<[input: unknown, field: string]>;
}

const NO_INPUT: Case = { good: undefined, parsed: undefined, bad: [[{}, 'input'], ['x', 'input'], [0, 'input'], [null, 'input']] };

// Typed by MethodName: a method added to the contract without a row here does not compile.
const CASES: Record<MethodName, Case> = {
  charge: {
    good: { amountMinor: 1230, currency: 'HKD', goodsName: 'Coffee' },
    parsed: { amountMinor: 1230, currency: 'HKD', goodsName: 'Coffee' },
    bad: [
      [{ amountMinor: 0, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: -5, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: 1.5, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: '100', currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: Number.NaN, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: Number.MAX_SAFE_INTEGER + 2, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: 100, currency: 'XXX' }, 'currency'],
      [{ amountMinor: 100 }, 'currency'],
      [{ amountMinor: 100, currency: 'HKD', goodsName: LONG }, 'goodsName'],
      [{ amountMinor: 100, currency: 'HKD', goodsName: 5 }, 'goodsName'],
      [{ amountMinor: 100, currency: 'HKD', outTradeNo: 'mine' }, 'input'],
      [{ amountMinor: 100, currency: 'HKD', __proto__x: 1 }, 'input'],
      [undefined, 'input'],
      ['charge 100', 'input'],
      [[100, 'HKD'], 'input'],
    ],
  },
  chargeCode: {
    good: { amountMinor: 1230, currency: 'HKD', authCode: '134567890123456789' },
    parsed: { amountMinor: 1230, currency: 'HKD', authCode: '134567890123456789' },
    bad: [
      [{ amountMinor: 1230, currency: 'HKD' }, 'authCode'],
      [{ amountMinor: 1230, currency: 'HKD', authCode: '13456789012345678x' }, 'authCode'],
      [{ amountMinor: 1230, currency: 'HKD', authCode: '123' }, 'authCode'],
      [{ amountMinor: 1230, currency: 'HKD', authCode: '134567890123456789', payType: '800201' }, 'payType'],
      [{ amountMinor: 0, currency: 'HKD', authCode: '134567890123456789' }, 'amountMinor'],
      [{ amountMinor: 1230, currency: 'HKD', authCode: '134567890123456789', realName: { idCardNumber: 'x'.repeat(19), name: 'A' } }, 'realName.idCardNumber'],
      [{ amountMinor: 1230, currency: 'HKD', authCode: '134567890123456789', extra: 1 }, 'input'],
    ],
  },
  cancel: {
    good: {},
    parsed: {},
    bad: [
      [{ outTradeNo: 'has space' }, 'outTradeNo'],
      [{ outTradeNo: '' }, 'outTradeNo'],
      [{ outTradeNo: 'x'.repeat(129) }, 'outTradeNo'],
      [{ outTradeNo: 7 }, 'outTradeNo'],
      [{ outTradeNo: ID, force: true }, 'input'],
      [undefined, 'input'],
    ],
  },
  currentSale: NO_INPUT,
  parkedSales: NO_INPUT,
  simulateCustomerPayment: {
    good: { outTradeNo: ID },
    parsed: { outTradeNo: ID },
    bad: [
      [{}, 'outTradeNo'],
      [{ outTradeNo: '../etc' }, 'outTradeNo'],
      [{ outTradeNo: ID, amountMinor: 1 }, 'input'],
    ],
  },
  history: {
    good: {},
    parsed: { limit: 50, offset: 0 },
    bad: [
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ limit: 2.5 }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ fromMs: -1 }, 'fromMs'],
      [{ toMs: '2026' }, 'toMs'],
      [{ text: LONG }, 'text'],
      [{ amountMinor: 0 }, 'amountMinor'],
      [{ sql: '1=1' }, 'input'],
      [undefined, 'input'],
    ],
  },
  saleDetail: {
    good: { outTradeNo: ID },
    parsed: { outTradeNo: ID },
    bad: [
      [{ outTradeNo: "x' OR 1=1 --" }, 'outTradeNo'],
      [{ outTradeNo: ID, extra: 1 }, 'input'],
    ],
  },
  refund: {
    good: { saleOutTradeNo: ID, amountMinor: 50, pin: '1234' },
    parsed: { saleOutTradeNo: ID, amountMinor: 50, pin: '1234' },
    bad: [
      [{ saleOutTradeNo: ID, amountMinor: 0 }, 'amountMinor'],
      [{ saleOutTradeNo: ID, amountMinor: 1.5 }, 'amountMinor'],
      [{ saleOutTradeNo: ID, amountMinor: '100' }, 'amountMinor'],
      [{ saleOutTradeNo: ID, pin: 'abc' }, 'pin'],
      [{ saleOutTradeNo: ID, pin: '123' }, 'pin'],
      [{ saleOutTradeNo: ID, pin: '123456789' }, 'pin'],
      [{ saleOutTradeNo: ID, pin: 1234 }, 'pin'],
      [{ amountMinor: 10 }, 'saleOutTradeNo'],
      [{ saleOutTradeNo: ID, reason: 'x' }, 'input'],
    ],
  },
  xReport: NO_INPUT,
  zReport: {
    good: { pin: '0000' },
    parsed: { pin: '0000' },
    bad: [
      [{ pin: 'abc' }, 'pin'],
      [{ pin: '0000', close: true }, 'input'],
      [{ pin: '0000', counted: [{ currency: 'HKD', countedMinor: -1 }] }, 'counted.0.countedMinor'],
      [undefined, 'input'],
    ],
  },
  reportStatus: NO_INPUT,
  zHistory: {
    good: { limit: 10 },
    parsed: { limit: 10, offset: 0 },
    bad: [
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ offset: -1 }, 'offset'],
      [{ offset: 0.5 }, 'offset'],
      [{ udid: 'OTHER-TILL' }, 'input'],
      [undefined, 'input'],
    ],
  },
  zReprint: {
    good: { zNumber: 3 },
    parsed: { zNumber: 3 },
    bad: [
      [{ zNumber: 0 }, 'zNumber'],
      [{ zNumber: 1.5 }, 'zNumber'],
      [{ zNumber: '3' }, 'zNumber'],
      [{}, 'zNumber'],
      [{ zNumber: 3, udid: 'OTHER-TILL' }, 'input'],
    ],
  },
  reconcile: {
    good: { fromMs: 1, toMs: 2 },
    parsed: { fromMs: 1, toMs: 2 },
    bad: [
      [{ fromMs: 1.5 }, 'fromMs'],
      [{ toMs: -2 }, 'toMs'],
      [{ fromMs: 5, toMs: 4 }, 'toMs'],
      [{ fromMs: 1e300 }, 'fromMs'],
      [{ all: true }, 'input'],
    ],
  },
  exportCsv: {
    good: { fromMs: 1_700_000_000_000, toMs: 1_700_086_400_000 },
    parsed: { fromMs: 1_700_000_000_000, toMs: 1_700_086_400_000 },
    bad: [
      [{ toMs: 2 }, 'fromMs'],
      [{ fromMs: 1 }, 'toMs'],
      [{ fromMs: 10, toMs: 9 }, 'toMs'],
      [{ fromMs: -1, toMs: 9 }, 'fromMs'],
      [{ fromMs: 1, toMs: 2, path: '/etc/passwd' }, 'input'],
      [undefined, 'input'],
    ],
  },
  printReport: {
    good: { kind: 'z', zNumber: 2, layout: 'receipt', output: 'pdf' },
    parsed: { kind: 'z', zNumber: 2, layout: 'receipt', output: 'pdf' },
    bad: [
      [{ kind: 'y', layout: 'a4', output: 'print' }, 'kind'],
      [{ kind: 'x', layout: 'letter', output: 'print' }, 'layout'],
      [{ kind: 'x', layout: 'a4', output: 'png' }, 'output'],
      [{ kind: 'x', zNumber: 1, layout: 'a4', output: 'print' }, 'zNumber'],
      [{ kind: 'z', zNumber: 0, layout: 'a4', output: 'print' }, 'zNumber'],
      [{ kind: 'x', layout: 'a4', output: 'print', html: '<script>' }, 'input'],
      [{ kind: 'x', layout: 'a4' }, 'output'],
    ],
  },
  settings: NO_INPUT,
  updateSettings: {
    good: { patch: { merchantName: 'Tea House', qrExpiryMinutes: 10 }, pin: '1234' },
    parsed: { patch: { merchantName: 'Tea House', qrExpiryMinutes: 10 }, pin: '1234' },
    bad: [
      [{ patch: { qrExpiryMinutes: 4 } }, 'patch.qrExpiryMinutes'],
      [{ patch: { qrExpiryMinutes: 121 } }, 'patch.qrExpiryMinutes'],
      [{ patch: { qrExpiryMinutes: '10' } }, 'patch.qrExpiryMinutes'],
      [{ patch: { merchantName: 'x'.repeat(41) } }, 'patch.merchantName'],
      [{ patch: { language: 'fr' } }, 'patch.language'],
      [{ patch: { udid: 'x'.repeat(41) } }, 'patch.udid'],
      [{ patch: { udid: 'bad udid' } }, 'patch.udid'],
      [{ patch: { customerDisplay: 'left' } }, 'patch.customerDisplay'],
      [{ patch: { businessDayCutoffHour: 24 } }, 'patch.businessDayCutoffHour'],
      [{ patch: { tillsPerMerchant: 0 } }, 'patch.tillsPerMerchant'],
      [{ patch: { rmbTag: 'yes' } }, 'patch.rmbTag'],
      [{ patch: { timeZone: 'Mars/Olympus' } }, 'patch.timeZone'],
      [{ patch: { timeZone: 'x'.repeat(65) } }, 'patch.timeZone'],
      // Credentials and the mode go through setCredentials, never through settings.update.
      [{ patch: { environment: 'production' } }, 'patch'],
      [{ patch: { appCode: 'APP' } }, 'patch'],
      [{ patch: { clientKeyEncrypted: 'x' } }, 'patch'],
      [{ patch: { pinHash: 'scrypt$1' } }, 'patch'],
      [{ patch: {}, pin: 'abc' }, 'pin'],
      [{}, 'patch'],
    ],
  },
  setCredentials: {
    good: { environment: 'test', appCode: 'APPCODE123', clientKey: 'SECRETKEY1234567890', mchid: null },
    parsed: { environment: 'test', appCode: 'APPCODE123', clientKey: 'SECRETKEY1234567890', mchid: null },
    bad: [
      [{ environment: 'staging' }, 'environment'],
      [{}, 'environment'],
      [{ environment: 'test', clientKey: 'short' }, 'clientKey'],
      [{ environment: 'test', clientKey: 'has a space in it' }, 'clientKey'],
      [{ environment: 'test', clientKey: 'k'.repeat(257) }, 'clientKey'],
      [{ environment: 'test', appCode: 'x'.repeat(65) }, 'appCode'],
      [{ environment: 'test', appCode: 'with space' }, 'appCode'],
      [{ environment: 'test', mchid: 'not-alnum' }, 'mchid'],
      [{ environment: 'test', pin: 'abc' }, 'pin'],
      [{ environment: 'test', baseUrl: 'http://evil.example' }, 'input'],
    ],
  },
  setHeadOffice: {
    good: { enabled: true, url: 'postgres://till_shop1@office.example:5432/office', password: 'p@ss:word/%41', pin: '2468' },
    parsed: { enabled: true, url: 'postgres://till_shop1@office.example:5432/office', password: 'p@ss:word/%41', pin: '2468' },
    bad: [
      [{ enabled: 'yes', url: null }, 'enabled'],
      [{ enabled: true, url: null }, 'url'],
      [{ enabled: false, url: 'http://office.example/office' }, 'url'],
      [{ enabled: false, url: 'postgres://till@office.example:99999/office' }, 'url'],
      [{ enabled: false, url: 'postgres://till@office.example:5432/' }, 'url'],
      [{ enabled: false, url: 'postgres://till:secret@office.example/office' }, 'url'],
      [{ enabled: false, url: `postgres://till@office.example/${'x'.repeat(500)}` }, 'url'],
      [{ enabled: false, url: null, password: '' }, 'password'],
      [{ enabled: false, url: null, password: 'line\nbreak' }, 'password'],
      [{ enabled: false, url: null, password: 'p'.repeat(257) }, 'password'],
      [{ enabled: false, url: null, pin: 'abc' }, 'pin'],
      [{ enabled: false, url: null, passwordEncrypted: 'x' }, 'input'],
      [undefined, 'input'],
    ],
  },
  officeStatus: NO_INPUT,
  testConnection: NO_INPUT,
  checkPin: {
    good: { pin: '12345678' },
    parsed: { pin: '12345678' },
    bad: [
      [{ pin: 'abc' }, 'pin'],
      [{ pin: '' }, 'pin'],
      [{}, 'pin'],
      [{ pin: '1234', again: true }, 'input'],
    ],
  },
  setPin: {
    good: { currentPin: '1234', newPin: null },
    parsed: { currentPin: '1234', newPin: null },
    bad: [
      [{ newPin: 'abc' }, 'newPin'],
      [{ newPin: '12' }, 'newPin'],
      [{ currentPin: 'abc', newPin: '1234' }, 'currentPin'],
      [{}, 'newPin'],
      [{ newPin: '1234', hash: 'x' }, 'input'],
    ],
  },
  status: NO_INPUT,
  updateStatus: NO_INPUT,
  restartToUpdate: {
    good: { pin: '2468' },
    parsed: { pin: '2468' },
    bad: [
      [{ pin: '12' }, 'pin'],
      [{ pin: '2468', force: true }, 'input'],
      [undefined, 'input'],
    ],
  },
  displayState: NO_INPUT,
  showAmount: {
    good: { amountMinor: 1230, currency: 'HKD' },
    parsed: { amountMinor: 1230, currency: 'HKD' },
    bad: [
      [{ amountMinor: 0, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: 1.5, currency: 'HKD' }, 'amountMinor'],
      [{ amountMinor: null, currency: 'XYZ' }, 'currency'],
      [{ amountMinor: 5, currency: 'HKD', extra: 1 }, 'input'],
    ],
  },
  printReceipt: {
    good: { outTradeNo: ID, refundOutTradeNo: 'R-1' },
    parsed: { outTradeNo: ID, refundOutTradeNo: 'R-1', reprint: false },
    bad: [[{}, 'outTradeNo'], [{ outTradeNo: 'a b' }, 'outTradeNo'], [{ outTradeNo: ID, reprint: 'yes' }, 'reprint'], [{ outTradeNo: ID, copies: 2 }, 'input']],
  },
  previewReceipt: { good: { outTradeNo: ID, reprint: true }, parsed: { outTradeNo: ID, reprint: true }, bad: [[{}, 'outTradeNo'], [{ outTradeNo: LONG.repeat(2) }, 'outTradeNo']] },
  virtualReceipts: NO_INPUT,
  openDrawer: { good: { pin: '1234' }, parsed: { pin: '1234' }, bad: [[{ pin: 'abc' }, 'pin'], [{ pin: '1234', reason: 'x' }, 'input']] },
  testPrinter: NO_INPUT,
  printReportReceipt: { good: { kind: 'z', zNumber: 3 }, parsed: { kind: 'z', zNumber: 3 }, bad: [[{ kind: 'y' }, 'kind'], [{ kind: 'x', zNumber: 1 }, 'zNumber'], [{ kind: 'z', zNumber: 0 }, 'zNumber']] },
  chargeCash: {
    good: { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 },
    parsed: { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 },
    bad: [
      [{ amountMinor: 1230, currency: 'HKD' }, 'tenderedMinor'],
      [{ amountMinor: 1230, currency: 'HKD', tenderedMinor: 1.5 }, 'tenderedMinor'],
      [{ amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: -1 }, 'openingFloatMinor'],
      [{ amountMinor: 1230, currency: 'XYZ', tenderedMinor: 2000 }, 'currency'],
      [{ amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, extra: 1 }, 'input'],
    ],
  },
  drawerMove: {
    good: { kind: 'paid_out', currency: 'HKD', amountMinor: 500, reason: 'milk', pin: '0000' },
    parsed: { kind: 'paid_out', currency: 'HKD', amountMinor: 500, reason: 'milk', pin: '0000' },
    bad: [
      [{ kind: 'steal', currency: 'HKD', amountMinor: 500 }, 'kind'],
      [{ kind: 'paid_in', currency: 'HKD', amountMinor: -1 }, 'amountMinor'],
      [{ kind: 'paid_in', currency: 'HKD', amountMinor: 5, reason: 'x'.repeat(81) }, 'reason'],
      [{ kind: 'paid_in', currency: 'HKD', amountMinor: 5, pin: 'abc' }, 'pin'],
    ],
  },
  drawerStatus: {
    good: { currency: 'HKD' },
    parsed: { currency: 'HKD' },
    bad: [
      [{ currency: 'XYZ' }, 'currency'],
      [undefined, 'input'],
    ],
  },
};

describe('registerIpc', () => {
  function fakeIpcMain() {
    const handlers = new Map<string, (event: unknown, raw: unknown) => Promise<unknown>>();
    const handleCalls: string[] = [];
    const removed: string[] = [];
    return {
      handlers,
      handleCalls,
      removed,
      handle: (channel: string, handler: (event: unknown, raw: unknown) => Promise<unknown>) => {
        handleCalls.push(channel);
        handlers.set(channel, handler);
      },
      removeHandler: (channel: string) => {
        removed.push(channel);
        handlers.delete(channel);
      },
    };
  }

  it('registers exactly one handler per contract channel, and nothing else', () => {
    const ipc = fakeIpcMain();
    registerIpc(ipc as never, fakeService(), registry);
    const channels = NAMES.map((n) => METHODS[n].channel);
    expect([...ipc.handleCalls].sort()).toEqual([...channels].sort());
    expect(new Set(ipc.handleCalls).size).toBe(ipc.handleCalls.length);
  });

  it('each handler dispatches its own method', async () => {
    const ipc = fakeIpcMain();
    const service = fakeService();
    registerIpc(ipc as never, service, registry);
    for (const name of NAMES) {
      service.call.mockClear();
      const result = await ipc.handlers.get(METHODS[name].channel)!(from(CASHIER_ID), CASES[name].good);
      expect(result, name).toEqual({ ok: true, value: { name, input: CASES[name].parsed } });
      expect(service.call).toHaveBeenCalledExactlyOnceWith(name, CASES[name].parsed);
    }
  });

  it('the returned function removes every handler it registered', () => {
    const ipc = fakeIpcMain();
    const unregister = registerIpc(ipc as never, fakeService(), registry);
    unregister();
    expect([...ipc.removed].sort()).toEqual([...ipc.handleCalls].sort());
    expect(ipc.handlers.size).toBe(0);
  });
});

describe('makeHandler: the sender', () => {
  const cashierOnly = NAMES.filter((n) => !(METHODS[n].windows as readonly WindowKind[]).includes('customer'));

  it('the table covers the contract', () => {
    expect(Object.keys(CASES).sort()).toEqual([...NAMES].sort());
    expect(cashierOnly.length).toBeGreaterThan(10);
  });

  it.each(NAMES)('%s: refused from web contents that are not one of our windows', async (name) => {
    const service = fakeService();
    const result = await makeHandler(service, registry)(name, from(99), CASES[name].good);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.call).not.toHaveBeenCalled();
  });

  it.each(NAMES)('%s: refused from a subframe of our own window', async (name) => {
    const service = fakeService();
    const s = sender(CASHIER_ID);
    const result = await makeHandler(service, registry)(name, { sender: s, senderFrame: { routingId: 999 } } as never, CASES[name].good);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.call).not.toHaveBeenCalled();
  });

  it.each(NAMES)('%s: refused when the sending frame is gone (senderFrame null)', async (name) => {
    const service = fakeService();
    const result = await makeHandler(service, registry)(name, { sender: sender(CASHIER_ID), senderFrame: null } as never, CASES[name].good);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.call).not.toHaveBeenCalled();
  });

  it.each(cashierOnly)('%s: refused from the customer display (cashier only)', async (name) => {
    const service = fakeService();
    const result = await makeHandler(service, registry)(name, from(CUSTOMER_ID), CASES[name].good);
    expect(result).toEqual({ ok: false, error: { code: 'forbidden', message: expect.any(String) } });
    expect(service.call).not.toHaveBeenCalled();
  });

  it('the customer display may read its display state, and nothing else', async () => {
    const service = fakeService();
    const handle = makeHandler(service, registry);
    const allowed: MethodName[] = [];
    for (const name of NAMES) if ((await handle(name, from(CUSTOMER_ID), CASES[name].good)).ok) allowed.push(name);
    expect(allowed).toEqual(['displayState']);
  });

  it('the cashier window may call every method', async () => {
    const handle = makeHandler(fakeService(), registry);
    for (const name of NAMES) expect((await handle(name, from(CASHIER_ID), CASES[name].good)).ok, name).toBe(true);
  });

  it('a window registry answering for the sender id, not the frame, decides the kind', async () => {
    const service = fakeService();
    // Web contents 2 (the customer display) pretending to be the cashier through a forged frame does not help.
    const result = await makeHandler(service, registry)('charge', { sender: sender(CUSTOMER_ID), senderFrame: sender(CASHIER_ID).mainFrame } as never, CASES.charge.good);
    expect(result).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(service.call).not.toHaveBeenCalled();
  });
});

describe('makeHandler: the input', () => {
  const rows = NAMES.flatMap((name) => CASES[name].bad.map(([input, field], i) => ({ name, input, field, label: `${name} #${i + 1} (${field})` })));

  it('every channel has at least one bad input', () => {
    for (const name of NAMES) expect(CASES[name].bad.length, name).toBeGreaterThan(0);
  });

  it.each(rows)('$label is refused as invalid_input without reaching the service', async ({ name, input, field }) => {
    const service = fakeService();
    const result = await makeHandler(service, registry)(name, from(CASHIER_ID), input);
    expect(result).toEqual({ ok: false, error: { code: 'invalid_input', message: expect.any(String), field } });
    expect(service.call).not.toHaveBeenCalled();
  });

  it.each(NAMES)('%s: good input reaches service.call parsed', async (name) => {
    const service = fakeService();
    const result = await makeHandler(service, registry)(name, from(CASHIER_ID), CASES[name].good);
    expect(result.ok).toBe(true);
    expect(service.call).toHaveBeenCalledExactlyOnceWith(name, CASES[name].parsed);
  });

  it('a refused client key is not echoed back in the error', async () => {
    const service = fakeService();
    const handle = makeHandler(service, registry);
    for (const clientKey of ['SECRET KEY WITH SPACES 123', 'SECRETKEY'.repeat(40), 'SHORT12']) {
      const result = await handle('setCredentials', from(CASHIER_ID), { environment: 'production', appCode: 'APP0001', clientKey });
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'clientKey' } });
      expect(JSON.stringify(result)).not.toContain(clientKey);
      expect(JSON.stringify(result)).not.toContain('SECRET');
    }
    expect(service.call).not.toHaveBeenCalled();
  });

  it('a refused head-office URL or password is not echoed back in the error', async () => {
    const service = fakeService();
    const handle = makeHandler(service, registry);
    const inURL = await handle('setHeadOffice', from(CASHIER_ID), { enabled: true, url: 'postgres://till:Hunter2Secret@office.example/office' });
    expect(inURL).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'url', message: 'officeUrlPassword' } });
    const tooLong = await handle('setHeadOffice', from(CASHIER_ID), { enabled: true, url: 'postgres://till@office.example/office', password: 'Hunter2Secret'.repeat(30) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'password' } });
    expect(JSON.stringify([inURL, tooLong])).not.toContain('Hunter2Secret');
    expect(service.call).not.toHaveBeenCalled();
  });

  it('the service receives the parsed value, not the raw object', async () => {
    const service = fakeService();
    const raw = { limit: 5 };
    await makeHandler(service, registry)('history', from(CASHIER_ID), raw);
    const received = service.call.mock.calls[0]![1];
    expect(received).toEqual({ limit: 5, offset: 0 });
    expect(received).not.toBe(raw);
  });

  it('a service that answers with an error passes it through unchanged', async () => {
    const error = { ok: false as const, error: { code: 'sale_open' as const, message: 'a sale is open', outTradeNo: ID } };
    const handle = makeHandler({ call: async () => error } as Service, registry);
    expect(await handle('charge', from(CASHIER_ID), CASES.charge.good)).toBe(error);
  });
});
