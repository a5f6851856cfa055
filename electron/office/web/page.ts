import { formatMinorPlain, isCurrencyCode } from '../../../shared/currency';
import { formatTxdtm } from '../../qfpay/time';
import type { OfficeReconciliation } from '../reconcile';
import type { HourTakings, OfficeReport, OfficeTotals } from '../report';
import type { TillStatus } from '../status';

// The owner's page, rendered on the server as plain HTML (no script: the
// page's CSP forbids any): today's takings per store and till, the hourly
// chart across tills, the Z list, the last reconciliation, replication lag.
// Every value from the database is escaped.

export interface PageData {
  report: OfficeReport;
  hourly: HourTakings[];
  status: TillStatus[];
  reconciliation: OfficeReconciliation | null;
  canReconcile: boolean;
  nowMs: number;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (minor: number, currency: string) => esc(`${currency} ${isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor)}`);

const STYLE = `
  body { font: 15px/1.45 system-ui, "Noto Sans", sans-serif; margin: 0; color: #1b1f24; background: #f4f6f8; }
  header { background: #0b6e4f; color: #fff; padding: 12px 24px; display: flex; justify-content: space-between; align-items: center; }
  header h1 { font-size: 20px; margin: 0; }
  header form { margin: 0; }
  main { padding: 16px 24px; display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
  section { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
  h2 { font-size: 16px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7eb; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .total { font-size: 28px; font-weight: 600; margin: 4px 0 8px; }
  .bad { color: #b00020; font-weight: 600; }
  .ok { color: #0b6e4f; }
  button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #0b6e4f; background: #fff; color: #0b6e4f; cursor: pointer; }
  .login { max-width: 360px; margin: 80px auto; }
  .login input { font: inherit; width: 100%; box-sizing: border-box; padding: 8px; margin: 8px 0 12px; }
  .error { color: #b00020; }
`;

export function shell(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

export function loginPage(message: string | null): string {
  return shell(
    'Head office — sign in',
    `<section class="login"><h2>Head office</h2><form method="post" action="/login">
      <label for="password">Owner's password</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      ${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
      <button type="submit">Sign in</button></form></section>`,
  );
}

function totalsTable(rows: Array<{ label: string; totals: OfficeTotals[] }>): string {
  const body = rows
    .flatMap(({ label, totals }) =>
      (totals.length === 0 ? [null] : totals).map(
        (t) =>
          `<tr><td>${esc(label)}</td>${
            t
              ? `<td class="num">${t.paidCount}</td><td class="num">${money(t.grossMinor, t.currency)}</td><td class="num">${money(t.refundMinor, t.currency)}</td><td class="num">${money(t.netMinor, t.currency)}</td>`
              : '<td class="num">0</td><td class="num">—</td><td class="num">—</td><td class="num">—</td>'
          }</tr>`,
      ),
    )
    .join('');
  return `<table><thead><tr><th></th><th class="num">Paid</th><th class="num">Gross</th><th class="num">Refunds</th><th class="num">Net</th></tr></thead><tbody>${body}</tbody></table>`;
}

function hourlyChart(hourly: readonly HourTakings[], cutoffHour: number): string {
  const currencies = [...new Set(hourly.map((h) => h.currency))].sort();
  if (currencies.length === 0) return '<p>No paid sales yet today.</p>';
  return currencies
    .map((currency) => {
      const hours = Array.from({ length: 24 }, (_, i) => (cutoffHour + i) % 24);
      const by = new Map(hourly.filter((h) => h.currency === currency).map((h) => [h.hour, h]));
      const max = Math.max(1, ...[...by.values()].map((h) => h.grossMinor));
      const width = 24 * 22;
      const bars = hours
        .map((hour, i) => {
          const h = by.get(hour);
          const height = h ? Math.max(2, Math.round((h.grossMinor / max) * 120)) : 0;
          const title = h ? `${String(hour).padStart(2, '0')}:00 — ${h.paidCount} paid, ${money(h.grossMinor, currency)}` : '';
          return `${h ? `<rect x="${i * 22 + 3}" y="${130 - height}" width="16" height="${height}" fill="#0b6e4f"><title>${title}</title></rect>` : ''}${i % 3 === 0 ? `<text x="${i * 22 + 11}" y="146" font-size="10" text-anchor="middle">${String(hour).padStart(2, '0')}</text>` : ''}`;
        })
        .join('');
      return `<figure><figcaption>${esc(currency)} paid per hour, all tills</figcaption><svg role="img" aria-label="${esc(currency)} takings per hour" viewBox="0 0 ${width} 150" width="100%">${bars}<line x1="0" y1="130" x2="${width}" y2="130" stroke="#888"/></svg></figure>`;
    })
    .join('');
}

function zTable(report: OfficeReport, tz: string): string {
  if (report.zReports.length === 0) return '<p>No Z report yet for this business day.</p>';
  const rows = report.zReports
    .map(
      (z) =>
        `<tr><td>${esc(z.store || '—')}</td><td>${esc(z.udid)}</td><td class="num">${z.zNumber}</td><td>${esc(formatTxdtm(z.createdAtMs, tz))}</td><td class="num">${z.currencies.map((c) => money(c.netMinor, c.currency)).join('<br>')}</td><td>${
          z.intact ? '<span class="ok">hash ok</span>' : '<span class="bad">changed after it was taken</span>'
        }${z.agrees ? '' : ' <span class="bad">differs from replicated sales</span>'}</td><td><code>${esc(z.sha256.slice(0, 12))}…</code></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Store</th><th>Till</th><th class="num">Z</th><th>Taken</th><th class="num">Net</th><th>Check</th><th>SHA-256</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function reconciliationSection(data: PageData, tz: string): string {
  const r = data.reconciliation;
  const button = data.canReconcile ? '<form method="post" action="/reconcile"><button type="submit">Reconcile today with QFPay</button></form>' : '<p>Reconciliation needs the merchant\'s QFPay credentials when head office starts.</p>';
  if (!r) return `${button}<p>Not run since head office started.</p>`;
  const lists = ['stateDiffers', 'amountDiffers', 'onlyInJournal', 'onlyAtQfpay'] as const;
  const rows = lists
    .flatMap((list) => r[list].map((i) => `<tr><td>${esc(list)}</td><td>${esc(i.udid ?? 'no till')}</td><td>${esc(i.out_trade_no || i.syssn || '')}</td><td>${esc(i.reason)}</td></tr>`))
    .join('');
  return `${button}<p>${esc(formatTxdtm(r.period.fromMs, tz))} – ${esc(formatTxdtm(r.period.toMs, tz))}: ${r.matched.length} matched${r.complete ? '' : ' — <span class="bad">QFPay\'s records incomplete</span>'}</p>${
    rows ? `<table><thead><tr><th>Finding</th><th>Till</th><th>Order</th><th>Why</th></tr></thead><tbody>${rows}</tbody></table>` : '<p class="ok">Every record agrees.</p>'
  }`;
}

function statusTable(status: readonly TillStatus[], tz: string, nowMs: number): string {
  if (status.length === 0) return '<p>No till has sent anything yet.</p>';
  const rows = status
    .map((t) => {
      const ago = t.lastContactMs === null ? null : Math.round((nowMs - t.lastContactMs) / 60_000);
      return `<tr><td>${esc(t.store || '—')}</td><td>${esc(t.udid)}</td><td class="num">${t.lagEvents === 0 ? '<span class="ok">up to date</span>' : `<span class="bad">${t.lagEvents} behind</span>`}</td><td>${
        t.lastContactMs === null ? 'never' : `${esc(formatTxdtm(t.lastContactMs, tz))} (${ago} min ago)`
      }</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>Store</th><th>Till</th><th class="num">Replication</th><th>Last contact</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function dashboardPage(data: PageData): string {
  const { report } = data;
  const tz = report.timeZone;
  const grand = report.currencies.map((c) => `<div class="total">${money(c.netMinor, c.currency)}</div>`).join('') || '<div class="total">—</div>';
  const tillRows = report.tills.map((t) => ({ label: `${t.store || '—'} / ${t.udid}`, totals: t.currencies }));
  return shell(
    `Head office — ${report.businessDay ?? ''}`,
    `<header><h1>Head office · business day ${esc(report.businessDay ?? '')}</h1><form method="post" action="/logout"><button type="submit">Sign out</button></form></header>
    <main>
      <section aria-labelledby="takings"><h2 id="takings">Today's takings, all tills (net)</h2>${grand}${totalsTable(report.stores.map((s) => ({ label: s.store || '—', totals: s.currencies })))}</section>
      <section aria-labelledby="tills"><h2 id="tills">Per till</h2>${totalsTable(tillRows)}</section>
      <section aria-labelledby="hourly"><h2 id="hourly">Per hour</h2>${hourlyChart(data.hourly, report.cutoffHour)}</section>
      <section aria-labelledby="zs"><h2 id="zs">Z reports</h2>${zTable(report, tz)}</section>
      <section aria-labelledby="rec"><h2 id="rec">Reconciliation</h2>${reconciliationSection(data, tz)}</section>
      <section aria-labelledby="lag"><h2 id="lag">Replication</h2>${statusTable(data.status, tz, data.nowMs)}</section>
    </main>
    <footer style="padding:0 24px 16px;color:#667">Generated ${esc(formatTxdtm(data.nowMs, tz))} (${esc(tz)}, days start ${String(report.cutoffHour).padStart(2, '0')}:00)</footer>`,
  );
}
