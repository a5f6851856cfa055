import { beforeEach, describe, expect, it, vi } from 'vitest';
import { printReceiptSilently, rasteriseReceipt, receiptPageSize } from '../../../../electron/windows';
import { FakeBrowserWindow, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

// The OS printer path (issue 14): Electron's silent printing of the receipt
// image on a page the size of the roll, in a hidden locked-down window that
// is always destroyed, with a deadline a stuck print system cannot outlast.

beforeEach(resetFakeElectron);

const SVG_80 = '<svg width="576px" height="1152px" viewBox="0 0 576 1152"><text>HKD 12.50</text></svg>';
const SVG_58 = '<svg width="384px" height="384px" viewBox="0 0 384 384"></svg>';

describe('receipt page size', () => {
  it('is the roll: 80 or 58 mm wide, as long as the receipt, never A4', () => {
    expect(receiptPageSize(SVG_80, 80)).toEqual({ width: 80_000, height: 160_000 });
    expect(receiptPageSize(SVG_58, 58)).toEqual({ width: 58_000, height: 58_000 });
  });
});

describe('printReceiptSilently', () => {
  it('prints silently to the named printer with no margins, then destroys the window', async () => {
    const result = await printReceiptSilently('EPSON TM-T88VI', SVG_80, 80);
    expect(result).toEqual({ ok: true });
    const win = FakeBrowserWindow.instances.at(-1)!;
    expect(win.webContents.printed).toEqual([
      { silent: true, deviceName: 'EPSON TM-T88VI', printBackground: true, margins: { marginType: 'none' }, pageSize: { width: 80_000, height: 160_000 } },
    ]);
    expect(decodeURIComponent(win.loaded.url!)).toContain('HKD 12.50');
    expect(decodeURIComponent(win.loaded.url!)).toContain("default-src 'none'");
    expect((win.options.webPreferences as Record<string, unknown>).sandbox).toBe(true);
    expect(win.isDestroyed()).toBe(true);
  });

  it('passes on the print system’s refusal', async () => {
    const printing = printReceiptSilently('Gone', SVG_58, 58);
    // The window exists as soon as the call returns; it prints only after its page loads.
    FakeBrowserWindow.instances.at(-1)!.webContents.printAnswer = [false, 'Printer is offline'];
    expect(await printing).toEqual({ ok: false, message: 'Printer is offline' });
  });

  it('gives up after 5 s when the print system never answers', async () => {
    vi.useFakeTimers();
    try {
      const printing = printReceiptSilently('Stuck', SVG_58, 58);
      FakeBrowserWindow.instances.at(-1)!.webContents.printAnswer = undefined;
      await vi.advanceTimersByTimeAsync(5_000);
      expect(await printing).toEqual({ ok: false, message: 'the print system did not take the receipt within 5 s' });
      expect(FakeBrowserWindow.instances.at(-1)!.isDestroyed()).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('rasteriseReceipt', () => {
  it('draws the SVG offscreen at the roll width and returns the PNG', async () => {
    expect(await rasteriseReceipt(SVG_80, 576)).toEqual(Buffer.from('fake-png'));
    const win = FakeBrowserWindow.instances.at(-1)!;
    expect(win.options).toMatchObject({ show: false, width: 576, height: 1152 });
    expect((win.options.webPreferences as Record<string, unknown>).offscreen).toBe(true);
    expect(win.isDestroyed()).toBe(true);
  });
});
