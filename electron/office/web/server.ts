import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';
import { isDay, today, type DayScope } from '../business-day';
import { describeError } from '../connection';
import type { OfficeReconciliation } from '../reconcile';
import { hourlyTakings, officeX } from '../report';
import { officeStatus } from '../status';
import { Sessions, checkPassword, type StoredLogin } from './login';
import { dashboardPage, loginPage, notice } from './page';
import { PAGE_TEXTS, pickLanguage, type PageTexts } from './texts';

// `till office serve`: the owner's read-only page over head office, on
// 127.0.0.1 by default. One password (scrypt hash from login.ts), a session
// cookie (HttpOnly, SameSite=Strict), POSTs only from this origin, the Host
// header checked (no DNS rebinding), a CSP that allows no script, and a
// pause after repeated wrong passwords.

export interface OfficeServerOptions {
  databaseUrl: string;
  host?: string;
  port?: number;
  login: StoredLogin;
  scope: DayScope;
  /** Runs a merchant reconciliation of today; absent when head office has no QFPay credentials. */
  reconcile?: (day: string) => Promise<OfficeReconciliation>;
  now?: () => number;
}

export interface OfficeServer {
  url: string;
  close(): Promise<void>;
}

const COOKIE = 'till_office';
const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
const MAX_FAILURES = 5;
const LOCKOUT_MS = 30_000;

function cookieOf(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === COOKIE) return value.join('=');
  }
  return undefined;
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 4096) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

export async function startOfficeServer(options: OfficeServerOptions): Promise<OfficeServer> {
  const now = options.now ?? Date.now;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 3, connectionTimeoutMillis: 5_000, statement_timeout: 15_000, options: '-c jit=off' });
  pool.on('error', () => undefined);
  const sessions = new Sessions();
  let failures = 0;
  let lockedUntil = 0;
  let lastReconciliation: OfficeReconciliation | null = null;
  let loopbackHosts: string[] | undefined;

  const send = (res: ServerResponse, status: number, html: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      // same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on form posts.
      'Referrer-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      ...headers,
    });
    res.end(html);
  };
  const redirect = (res: ServerResponse, to: string, headers: Record<string, string> = {}) => {
    res.writeHead(303, { Location: to, 'Cache-Control': 'no-store', ...headers });
    res.end();
  };

  async function dashboard(res: ServerResponse, t: PageTexts, asked: string | null): Promise<void> {
    const client = await pool.connect();
    try {
      // ?day=YYYY-MM-DD shows an earlier business day; anything else is today.
      const day = asked !== null && isDay(asked) ? asked : today(options.scope, now());
      const report = await officeX(client, { ...options.scope, day, now });
      const hourly = await hourlyTakings(client, day, options.scope);
      const status = await officeStatus(client);
      send(res, 200, dashboardPage({ report, hourly, status, reconciliation: lastReconciliation, canReconcile: options.reconcile !== undefined, nowMs: now(), t }), {
        'Content-Language': t.lang,
        Vary: 'Accept-Language',
      });
    } finally {
      client.release();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse, t: PageTexts): Promise<void> {
    const host = req.headers.host ?? '';
    // On loopback, only loopback names: a page elsewhere cannot rebind its own name to this server.
    if (loopbackHosts && !loopbackHosts.includes(host)) {
      send(res, 421, notice(t, t.wrongHost));
      return;
    }
    const origin = `http://${host}`;
    const requested = new URL(req.url ?? '/', origin);
    const path = requested.pathname;
    if (req.method === 'POST' && req.headers.origin !== origin) {
      send(res, 403, notice(t, t.refused));
      return;
    }
    const token = cookieOf(req);
    if (path === '/login' && req.method === 'GET') return send(res, 200, loginPage(t, null));
    if (path === '/login' && req.method === 'POST') {
      if (now() < lockedUntil) return send(res, 429, loginPage(t, t.lockedOut));
      const password = (await formBody(req)).get('password') ?? '';
      if (!(await checkPassword(password, options.login))) {
        failures += 1;
        if (failures >= MAX_FAILURES) {
          failures = 0;
          lockedUntil = now() + LOCKOUT_MS;
        }
        return send(res, 401, loginPage(t, t.wrongPassword));
      }
      failures = 0;
      return redirect(res, '/', { 'Set-Cookie': `${COOKIE}=${sessions.create()}; HttpOnly; SameSite=Strict; Path=/` });
    }
    if (!sessions.valid(token)) return redirect(res, '/login');
    if (path === '/logout' && req.method === 'POST') {
      sessions.end(token);
      return redirect(res, '/login', { 'Set-Cookie': `${COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    if (path === '/reconcile' && req.method === 'POST') {
      if (options.reconcile) lastReconciliation = await options.reconcile(today(options.scope, now()));
      return redirect(res, '/');
    }
    if (path === '/' && req.method === 'GET') return dashboard(res, t, requested.searchParams.get('day'));
    send(res, 404, notice(t, t.notFound));
  }

  const server = createServer((req, res) => {
    const t = PAGE_TEXTS[pickLanguage(req.headers['accept-language'])];
    handle(req, res, t).catch((error: unknown) => {
      if (!res.headersSent) send(res, 503, notice(t, t.unavailable, describeError(error)));
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const hostText = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const loopback = address.address === '127.0.0.1' || address.address === '::1';
  if (loopback) loopbackHosts = [`${hostText}:${address.port}`, `localhost:${address.port}`];
  return {
    url: `http://${hostText}:${address.port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
      await pool.end();
    },
  };
}
