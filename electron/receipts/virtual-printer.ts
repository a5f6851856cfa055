// The built-in printer for training and tests: it keeps the last jobs' ESC/POS
// bytes and their rendered image so the cashier (and a test) can look at
// exactly what a real printer would have been sent.

export interface VirtualJob {
  id: number;
  atMs: number;
  title: string;
  bytes: Buffer;
  svg: string;
}

export const VIRTUAL_PRINTER_KEEPS = 20;

export class VirtualPrinter {
  private readonly kept: VirtualJob[] = [];
  private nextId = 1;

  constructor(private readonly keeps = VIRTUAL_PRINTER_KEEPS) {}

  print(job: Omit<VirtualJob, 'id'>): VirtualJob {
    const stored = { ...job, id: this.nextId++ };
    this.kept.unshift(stored);
    this.kept.length = Math.min(this.kept.length, this.keeps);
    return stored;
  }

  /** Newest first. */
  jobs(): readonly VirtualJob[] {
    return this.kept;
  }
}
