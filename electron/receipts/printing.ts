import { printerText, type PrinterTarget } from './printer-target';
import { sendToTcpPrinter, type PrintOutcome } from './tcp-printer';
import type { VirtualPrinter } from './virtual-printer';

// Sends one rendered job to wherever Settings point. The OS printer needs
// Electron (the shell hands in `osPrint`); the CLI and tests have none.

export interface RenderedJob {
  title: string;
  bytes: Buffer;
  svg: string;
  paperWidth: 80 | 58;
}

/** Electron's silent printing of the receipt image on a roll-sized page (electron/windows.ts). */
export type OsPrint = (printerName: string, svg: string, paperWidth: 80 | 58) => Promise<{ ok: true } | { ok: false; message: string }>;

export interface PrintPorts {
  virtual: VirtualPrinter;
  osPrint?: OsPrint | undefined;
  deadlineMs?: number;
  now?: () => number;
}

export async function deliver(target: PrinterTarget, job: RenderedJob, ports: PrintPorts): Promise<PrintOutcome> {
  const now = ports.now ?? Date.now;
  const started = now();
  switch (target.kind) {
    case 'none':
      return { ok: false, reason: 'not_configured', message: 'no receipt printer is set up (Settings → Receipts)', durationMs: 0 };
    case 'virtual':
      ports.virtual.print({ atMs: started, title: job.title, bytes: job.bytes, svg: job.svg });
      return { ok: true, bytes: job.bytes.length, durationMs: 0 };
    case 'tcp':
      return sendToTcpPrinter(target.host, target.port, job.bytes, { deadlineMs: ports.deadlineMs, now });
    case 'os': {
      if (!ports.osPrint) return { ok: false, reason: 'not_configured', message: `${printerText(target)}: operating-system printers print from the app only`, durationMs: 0 };
      const result = await ports.osPrint(target.name, job.svg, job.paperWidth).catch((error: unknown) => ({ ok: false as const, message: error instanceof Error ? error.message : String(error) }));
      return result.ok ? { ok: true, bytes: job.bytes.length, durationMs: now() - started } : { ok: false, reason: 'failed', message: `printer "${target.name}": ${result.message}`, durationMs: now() - started };
    }
  }
}
