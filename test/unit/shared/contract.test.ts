import { describe, expect, expectTypeOf, it } from 'vitest';
import { ERROR_CODES, EVENTS, METHODS, eventsFor, methodsFor, type CustomerApi, type EventName, type MethodName, type TillApi } from '../../../shared/contract';
import { acceptedWallets, displayStateFor, type DisplayState } from '../../../shared/display';
import { SALE_STATES, type SaleView } from '../../../shared/sale';

// The one contract: channel names, who may call what, and the customer
// display's read-only subset, checked as data and as types.

const methodNames = Object.keys(METHODS) as MethodName[];
const eventNames = Object.keys(EVENTS) as EventName[];
const allChannels = [...methodNames.map((n) => METHODS[n].channel), ...eventNames.map((n) => EVENTS[n].channel)];

describe('channels', () => {
  it('are unique across methods and events', () => {
    expect(new Set(allChannels).size).toBe(allChannels.length);
  });

  it('are namespaced domain:verb (till:… or display:…)', () => {
    for (const channel of allChannels) expect(channel).toMatch(/^(till|display):[a-z]+(\.[a-z]+)*$/);
  });

  it('events are under an event namespace, methods never are', () => {
    for (const name of eventNames) expect(EVENTS[name].channel).toMatch(/:event\./);
    for (const name of methodNames) expect(METHODS[name].channel).not.toMatch(/:event\./);
  });

  it('every method and event is open to the cashier window', () => {
    expect(methodsFor('cashier')).toEqual(methodNames);
    expect(eventsFor('cashier')).toEqual(eventNames);
  });
});

describe("the customer display's subset", () => {
  it('is the display state and its event, nothing else', () => {
    expect(methodsFor('customer')).toEqual(['displayState']);
    expect(eventsFor('customer')).toEqual(['onDisplay']);
  });

  it('only display: channels are open to it', () => {
    for (const name of methodNames) {
      const open = (METHODS[name].windows as readonly string[]).includes('customer');
      expect(open, name).toBe(METHODS[name].channel.startsWith('display:'));
    }
    for (const name of eventNames) {
      const open = (EVENTS[name].windows as readonly string[]).includes('customer');
      expect(open, name).toBe(EVENTS[name].channel.startsWith('display:'));
    }
  });

  it('has no charge, settings, credentials or history in its type', () => {
    expectTypeOf<CustomerApi>().toHaveProperty('displayState');
    expectTypeOf<CustomerApi>().toHaveProperty('onDisplay');
    expectTypeOf<keyof CustomerApi>().toEqualTypeOf<'displayState' | 'onDisplay'>();
    expectTypeOf<TillApi>().toHaveProperty('charge');
    expectTypeOf<TillApi>().toHaveProperty('setCredentials');
  });

  it('the API types take the inputs the schemas define', () => {
    expectTypeOf<Parameters<TillApi['charge']>[0]>().toMatchTypeOf<{ amountMinor: number; currency: string }>();
    expectTypeOf<Parameters<TillApi['status']>>().toEqualTypeOf<[]>();
    expectTypeOf<ReturnType<TillApi['onSale']>>().toEqualTypeOf<() => void>();
  });
});

describe('inputs', () => {
  it('methods without input accept only undefined', () => {
    for (const name of ['currentSale', 'xReport', 'settings', 'testConnection', 'status', 'displayState'] as const) {
      expect(METHODS[name].input.safeParse(undefined).success, name).toBe(true);
      expect(METHODS[name].input.safeParse({}).success, name).toBe(false);
    }
  });

  it('history gets its paging defaults', () => {
    expect(METHODS.history.input.parse({})).toEqual({ limit: 50, offset: 0 });
  });

  it('a charge amount is whole minor units from 1 up', () => {
    const charge = METHODS.charge.input;
    expect(charge.safeParse({ amountMinor: 1, currency: 'HKD' }).success).toBe(true);
    for (const amountMinor of [0, -1, 0.5, 1e-9, Number.POSITIVE_INFINITY, Number.NaN, '1']) expect(charge.safeParse({ amountMinor, currency: 'HKD' }).success, String(amountMinor)).toBe(false);
  });

  it('the credentials take a mchid of up to 32 letters or digits (QFPay publishes 26-character test ids)', () => {
    const credentials = METHODS.setCredentials.input;
    const base = { environment: 'test', appCode: 'A1B2C3D4E5' };
    for (const mchid of ['Z', 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p', 'Z'.repeat(32), null]) expect(credentials.safeParse({ ...base, mchid }).success, String(mchid)).toBe(true);
    for (const mchid of ['Z'.repeat(33), 'Zb8Mx-Q2', '']) expect(credentials.safeParse({ ...base, mchid }).success, mchid).toBe(false);
  });

  it('the error codes are unique', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});

describe('displayStateFor', () => {
  const sale = (state: SaleView['state'], qrcode: string | null = 'weixin://wxpay/QR'): SaleView => ({
    outTradeNo: 'S-1',
    amountMinor: 990,
    currency: 'HKD',
    goodsName: 'secret goods',
    state,
    activity: 'none',
    qrcode,
    expiresAtMs: 123,
    createdAtMs: 1,
    paidAtMs: null,
    syssn: '2026112600001',
    respcd: null,
    paidAfterCancel: false,
    cancelReason: null,
    refundedMinor: 0,
    training: false,
  });

  it('a QR only for a sale awaiting the scan', () => {
    for (const state of SALE_STATES) {
      const display = displayStateFor(sale(state), 'Shop', false);
      expect(display.kind === 'qr', state).toBe(state === 'awaiting_scan');
      if (state !== 'awaiting_scan') expect(JSON.stringify(display)).not.toContain('weixin://');
    }
  });

  it('awaiting the scan without a QR yet is idle', () => {
    expect(displayStateFor(sale('awaiting_scan', null), 'Shop', false).kind).toBe('idle');
  });

  it.each([
    ['paid', 'paid'],
    ['cancelled', 'closed'],
    ['expired', 'closed'],
    ['failed', 'closed'],
    ['requesting', 'idle'],
    ['unknown', 'idle'],
    ['cancelling', 'idle'],
  ] as const)('%s shows %s', (state, kind) => {
    expect(displayStateFor(sale(state), 'Shop', true)).toMatchObject({ kind, merchantName: 'Shop', training: true });
  });

  it('a scanned payment code (consumer-presented) asks the customer for their code until it ends, never shows a QR', () => {
    for (const state of ['requesting', 'unknown', 'awaiting_scan'] as const) {
      expect(displayStateFor({ ...sale(state, null), payType: '800208' }, 'Shop', false)).toEqual({ kind: 'show_code', merchantName: 'Shop', training: false, amountMinor: 990, currency: 'HKD', payType: '800208', waiting: true });
    }
    expect(displayStateFor({ ...sale('paid', null), payType: '800108' }, 'Shop', false).kind).toBe('paid');
    expect(displayStateFor({ ...sale('cancelled', null), payType: '800108' }, 'Shop', false)).toMatchObject({ kind: 'closed', reason: 'cancelled' });
    // Parked (given up on, settled in the background): nothing for the customer to do.
    expect(displayStateFor({ ...sale('awaiting_scan', null), payType: '800208', parked: true }, 'Shop', false).kind).toBe('idle');
  });

  it('the cashier pressing Scan asks for the code with the typed amount; an Alipay QR carries its pay type', () => {
    expect(displayStateFor(undefined, 'Shop', false, 'zh-Hant', 0, { amountMinor: 500, currency: 'HKD', scanning: true })).toEqual({ kind: 'show_code', merchantName: 'Shop', training: false, amountMinor: 500, currency: 'HKD', waiting: false });
    expect(displayStateFor(undefined, 'Shop', false, 'zh-Hant', 0, { amountMinor: 500, currency: 'HKD' }).kind).toBe('due');
    expect(displayStateFor({ ...sale('awaiting_scan', 'https://qr.alipay.com/bax1'), payType: '801501' }, 'Shop', false)).toMatchObject({ kind: 'qr', qrcode: 'https://qr.alipay.com/bax1', payType: '801501' });
  });

  it('never tells the customer the order id, goods, syssn or anything but the display fields', () => {
    const allowed: Record<DisplayState['kind'], string[]> = {
      idle: ['kind', 'merchantName', 'training', 'wallets'],
      due: ['kind', 'merchantName', 'training', 'amountMinor', 'currency', 'wallets'],
      show_code: ['kind', 'merchantName', 'training', 'amountMinor', 'currency', 'payType', 'waiting'],
      qr: ['kind', 'merchantName', 'training', 'amountMinor', 'currency', 'qrcode', 'expiresAtMs', 'remainingMs', 'lifetimeMs'],
      paid: ['kind', 'merchantName', 'training', 'amountMinor', 'currency'],
      closed: ['kind', 'merchantName', 'training', 'reason'],
    };
    for (const state of SALE_STATES) {
      const display = displayStateFor(sale(state), 'Shop', false);
      expect(Object.keys(display).sort(), state).toEqual([...allowed[display.kind]].sort());
      expect(JSON.stringify(display)).not.toMatch(/S-1|secret goods|2026112600001/);
    }
    expect(displayStateFor(undefined, 'Shop', false)).toEqual({ kind: 'idle', merchantName: 'Shop', training: false, wallets: ['wechat', 'alipay'] });
    // The wallets the shop takes are wallet names only: never its pay types, order of settings beyond that, or anything else.
    const due = displayStateFor(undefined, 'Shop', false, 'zh-Hant', 0, { amountMinor: 5, currency: 'HKD' }, acceptedWallets(['800201', '801501', '800101', '802001']));
    expect(due).toEqual({ kind: 'due', merchantName: 'Shop', training: false, amountMinor: 5, currency: 'HKD', wallets: ['wechat', 'alipay', 'fps'] });
    expect(JSON.stringify(due)).not.toMatch(/80\d{4}/);
  });
});
