import { isPostgresUrl } from '../office/connection';
import { UsageError } from './io';

// Options shared by `till sync` and `till office …`.

export const text = (v: string | boolean | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);

/** Head office's URL: --database-url, else TILL_OFFICE_URL; undefined when neither is given. */
export function officeUrlFrom(value: string | boolean | undefined, env: NodeJS.ProcessEnv): string | undefined {
  const url = text(value) ?? text(env.TILL_OFFICE_URL);
  if (url !== undefined && !isPostgresUrl(url)) throw new UsageError('--database-url must be a postgres:// URL (e.g. postgres://till_shop1:PASSWORD@office.example:5432/office)', 'database-url');
  return url;
}

/** As officeUrlFrom, but required. */
export function officeUrl(value: string | boolean | undefined, env: NodeJS.ProcessEnv): string {
  const url = officeUrlFrom(value, env);
  if (url === undefined) throw new UsageError('give the head-office database: --database-url URL or TILL_OFFICE_URL', 'database-url');
  return url;
}

/** Head office's database and the merchant's business day. */
export const OFFICE_DAY_OPTIONS = {
  'database-url': { type: 'string' },
  'data-dir': { type: 'string' },
  'time-zone': { type: 'string' },
  'cutoff-hour': { type: 'string' },
} as const;

/** The merchant's QFPay credentials (as the till commands take them), for reconciliation. */
export const QFPAY_OPTIONS = {
  'base-url': { type: 'string' },
  'app-code': { type: 'string' },
  'client-key': { type: 'string' },
  mchid: { type: 'string' },
} as const;
