import type { RefundView, SaleView } from '../../../../shared/sale';
import type { Till, TillOptions } from '../../../../electron/till/core';
import type { SecretBox, SettingsBackend, StoredSettings } from '../../../../electron/service/settings-model';
import type { Clock, Wake } from '../../../../electron/till/clock';

// Plain-Node stand-ins for what the shell gives the service: an in-memory
// settings store that remembers every write, an OS key store whose
// protection level a test chooses, and a clock that only moves when told.

export interface MemoryBackend extends SettingsBackend {
  /** What is "on disk" now. */
  data: unknown;
  /** Every object written, in order (deep copies). */
  writes: StoredSettings[];
}

export function memoryBackend(initial: unknown = {}): MemoryBackend {
  const backend: MemoryBackend = {
    data: structuredClone(initial),
    writes: [],
    read: () => structuredClone(backend.data),
    write: (value) => {
      backend.data = structuredClone(value);
      backend.writes.push(structuredClone(value));
    },
  };
  return backend;
}

export interface FakeBox extends SecretBox {
  level: 'os' | 'basic_text' | 'unavailable';
  encrypted: string[];
}

/** "Encrypts" by XOR and base64: reversible, and the plain text never appears in the output. */
export function fakeBox(level: FakeBox['level'] = 'os'): FakeBox {
  const xor = (bytes: Buffer) => Buffer.from(bytes.map((b) => b ^ 0x5c));
  const box: FakeBox = {
    level,
    encrypted: [],
    protection: () => box.level,
    encrypt: (plain) => {
      if (box.level === 'unavailable') throw new Error('encryption is not available');
      const cipher = `box1:${xor(Buffer.from(plain, 'utf8')).toString('base64')}`;
      box.encrypted.push(cipher);
      return cipher;
    },
    decrypt: (cipher) => {
      if (box.level === 'unavailable') throw new Error('decryption is not available');
      if (!cipher.startsWith('box1:')) throw new Error('not our cipher');
      return xor(Buffer.from(cipher.slice(5), 'base64')).toString('utf8');
    },
  };
  return box;
}

/** A clock that moves only with advance(); sleeps end when their time comes or their wake fires. */
export class ManualClock implements Clock {
  private sleepers: Array<{ due: number; resolve: () => void }> = [];

  constructor(public t = Date.UTC(2026, 10, 26, 4)) {}

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  sleep(ms: number, wake?: Wake): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { due: this.t + Math.max(0, ms), resolve: () => undefined as void };
      const off = wake?.on(() => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
      sleeper.resolve = () => {
        off?.();
        resolve();
      };
      this.sleepers.push(sleeper);
    });
  }

  /** Moves time on and ends every sleep that is now due; resolves once their continuations have run. */
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.sleepers.filter((s) => s.due <= this.t);
    this.sleepers = this.sleepers.filter((s) => s.due > this.t);
    for (const sleeper of due) sleeper.resolve();
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  get pendingSleeps(): number {
    return this.sleepers.length;
  }
}

export const CLIENT_KEY = 'SECRETKEY1234567890';

// ---- a fake till for TillService unit tests ------------------------------------------


export function saleView(overrides: Partial<SaleView> = {}): SaleView {
  return {
    outTradeNo: 'S-TILL-1',
    amountMinor: 1230,
    currency: 'HKD',
    goodsName: null,
    state: 'awaiting_scan',
    activity: 'waiting',
    qrcode: 'weixin://wxpay/bizpayurl?pr=FAKE',
    expiresAtMs: Date.UTC(2026, 10, 26, 5),
    createdAtMs: Date.UTC(2026, 10, 26, 4),
    paidAtMs: null,
    syssn: null,
    respcd: null,
    paidAfterCancel: false,
    cancelReason: null,
    refundedMinor: 0,
    training: true,
    ...overrides,
  };
}

export interface FakeTill extends Till {
  /** Every options object the till was opened with. */
  opened: TillOptions[];
  closed: number;
  /** Sales by id; the engine's currentSale() is the open one, else the last one set. */
  sales: Map<string, SaleView>;
  /** Sets a sale's view and tells the listeners, as the engine does after a journal commit. */
  emit(view: SaleView): void;
  refundCalls: unknown[];
  openWork: boolean;
}

const OPEN = new Set(['requesting', 'awaiting_scan', 'unknown', 'cancelling']);

/** A till whose engine is driven by the test: no journal, no network. */
export function fakeTill(training = true): FakeTill {
  const saleListeners = new Set<(v: SaleView) => void>();
  const refundListeners = new Set<(v: RefundView) => void>();
  const sales = new Map<string, SaleView>();
  let latest: string | undefined;
  const till = {
    opened: [] as TillOptions[],
    closed: 0,
    sales,
    refundCalls: [] as unknown[],
    openWork: false,
    training,
    simulator: undefined,
    journalPath: '/fake/journal.sqlite',
    client: {} as Till['client'],
    journal: { openSales: () => [...sales.values()].filter((s) => OPEN.has(s.state)), openRefunds: () => [] } as unknown as Till['journal'],
    engine: {
      onSale: (l: (v: SaleView) => void) => {
        saleListeners.add(l);
        return () => saleListeners.delete(l);
      },
      onRefund: (l: (v: RefundView) => void) => {
        refundListeners.add(l);
        return () => refundListeners.delete(l);
      },
      recover: async () => ({ sales: [], refunds: [] }),
      currentSale: () => [...sales.values()].find((s) => OPEN.has(s.state)) ?? (latest ? sales.get(latest) : undefined),
      saleViewOf: (id: string) => sales.get(id),
      hasOpenWork: () => till.openWork || [...sales.values()].some((s) => OPEN.has(s.state)),
      refund: async (input: unknown) => {
        till.refundCalls.push(input);
        return { ok: true, value: { outTradeNo: 'R-1' } };
      },
    } as unknown as Till['engine'],
    emit(view: SaleView) {
      if (!sales.has(view.outTradeNo)) latest = view.outTradeNo;
      sales.set(view.outTradeNo, view);
      for (const l of saleListeners) l(view);
    },
    async close() {
      till.closed += 1;
    },
  };
  return till as unknown as FakeTill;
}

/** deps.openTill for TillService: hands out `till` (recording the options) every time. */
export function openFake(till: FakeTill) {
  return async (options: TillOptions): Promise<Till> => {
    till.opened.push(options);
    return till;
  };
}
