import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Who may talk to a simulator on 127.0.0.1. Listening on loopback is not
// enough: any web page the till's machine opens can post a form to
// http://127.0.0.1:<port>/__sim/pay (the customer "pays"), and a DNS-rebinding
// page can even read the answers. Browsers always name the host they think
// they talk to and the page they come from; plain curl and the till do not.

/** The header that carries the in-process training simulator's per-run token. */
export const CONTROL_TOKEN_HEADER = 'x-sim-token';

export interface Refusal {
  status: number;
  error: string;
}

/**
 * Every request must name this server: `127.0.0.1:<port>` or
 * `localhost:<port>`. Another name is a rebinding page (or a mistake): 421.
 */
export function checkHost(req: IncomingMessage, port: number): Refusal | undefined {
  const host = (req.headers.host ?? '').toLowerCase();
  if (host === `127.0.0.1:${port}` || host === `localhost:${port}`) return undefined;
  return { status: 421, error: `this simulator answers to 127.0.0.1:${port} or localhost:${port} only` };
}

/**
 * The control API (`/__sim/*`) plays the customer and injects faults: never
 * from a browser (any Origin, or a Sec-Fetch-Site other than a typed-in
 * address), and, when the simulator has a token, only from whoever holds it.
 */
export function checkControlCaller(req: IncomingMessage, token: string | undefined): Refusal | undefined {
  if (req.headers.origin !== undefined) return { status: 403, error: 'the control API refuses requests from web pages (Origin header)' };
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'none') return { status: 403, error: 'the control API refuses requests from web pages (Sec-Fetch-Site)' };
  if (token === undefined) return undefined;
  const given = req.headers[CONTROL_TOKEN_HEADER];
  if (typeof given !== 'string' || !sameSecret(given, token)) return { status: 403, error: `the control API needs this run's ${CONTROL_TOKEN_HEADER}` };
  return undefined;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
