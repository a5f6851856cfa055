import { connect, type Socket } from 'node:net';

// Raw TCP printing (port 9100). The job has one deadline for everything —
// connecting, writing, draining and the printer's status answer — so a
// printer that is off, unplugged, or accepts and never reads costs the
// cashier at most that long, and the result is always a value: printing
// never throws into the sale that asked for it.

export const PRINT_DEADLINE_MS = 5_000;

/** DLE EOT 4: real-time roll-paper status. The printer answers one byte even while busy printing. */
export const PAPER_STATUS_QUERY = Buffer.from([0x10, 0x04, 0x04]);
/** Bits 5 and 6 of the answer: the roll-paper end sensor sees no paper. */
const PAPER_END = 0x60;

export type PrintFailure = 'unreachable' | 'timeout' | 'no_paper' | 'closed' | 'not_configured' | 'failed';
export type PrintOutcome = { ok: true; bytes: number; durationMs: number } | { ok: false; reason: PrintFailure; message: string; durationMs: number };

export interface TcpPrintOptions {
  deadlineMs?: number;
  /** Ask the printer for its paper status after the job (off for printers that never answer DLE EOT). */
  statusCheck?: boolean;
  now?: () => number;
}

export function sendToTcpPrinter(host: string, port: number, bytes: Buffer, options: TcpPrintOptions = {}): Promise<PrintOutcome> {
  const deadlineMs = options.deadlineMs ?? PRINT_DEADLINE_MS;
  const statusCheck = options.statusCheck ?? true;
  const now = options.now ?? Date.now;
  const started = now();
  const where = `the printer at ${host}:${port}`;
  return new Promise((resolve) => {
    let settled = false;
    let connected = false;
    /** Every byte of the job handed to the operating system (the printer may still not have read them). */
    let written = false;
    let socket: Socket | undefined;
    const finish = (outcome: { ok: true } | { ok: false; reason: PrintFailure; message: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.destroy();
      const durationMs = now() - started;
      resolve(outcome.ok ? { ok: true, bytes: bytes.length, durationMs } : { ...outcome, durationMs });
    };
    const timer = setTimeout(() => {
      const seconds = deadlineMs / 1000;
      finish(
        !connected
          ? { ok: false, reason: 'unreachable', message: `${where} did not answer within ${seconds} s: check it is on and on the network` }
          : written
            ? // A printer that never reads and one that reads but ignores DLE EOT look the same from here: say both.
              { ok: false, reason: 'timeout', message: `${where} did not confirm the receipt within ${seconds} s: check that it printed (power, paper, cover)` }
            : { ok: false, reason: 'timeout', message: `${where} took the connection but did not take the receipt within ${seconds} s: check it is on, has paper and its cover is shut` },
      );
    }, deadlineMs);
    try {
      socket = connect({ host, port });
    } catch (error) {
      finish({ ok: false, reason: 'unreachable', message: `${where}: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
    socket.setNoDelay(true);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const refused = error.code === 'ECONNREFUSED' || error.code === 'EHOSTUNREACH' || error.code === 'ENETUNREACH' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN';
      finish({ ok: false, reason: connected ? 'closed' : 'unreachable', message: `${where} ${refused ? 'cannot be reached' : 'failed'} (${error.code ?? error.message}): check it is on and its address in Settings` });
    });
    socket.on('close', () => finish({ ok: false, reason: 'closed', message: `${where} closed the connection before taking the receipt` }));
    socket.on('connect', () => {
      connected = true;
      socket!.write(bytes, () => (written = true));
      if (!statusCheck) {
        // Without a status answer, "written into the socket and flushed" is the most we know.
        socket!.end(() => finish({ ok: true }));
        return;
      }
      // The status query goes after the job: its answer proves the printer read everything before it.
      socket!.write(PAPER_STATUS_QUERY);
      socket!.once('data', (answer: Buffer) => {
        const status = answer[answer.length - 1]!;
        if ((status & PAPER_END) === PAPER_END) finish({ ok: false, reason: 'no_paper', message: `${where} is out of paper: load a roll and print again` });
        else finish({ ok: true });
      });
    });
  });
}
