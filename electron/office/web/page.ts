import { tenderName } from '../../../shared/cash';
import { formatMinorPlain, isCurrencyCode } from '../../../shared/currency';
import { formatTxdtm } from '../../qfpay/time';
import type { OfficeReconciliation } from '../reconcile';
import type { HourTakings, OfficeReport, OfficeTotals } from '../report';
import type { TillStatus } from '../status';
import type { PageTexts } from './texts';

// The owner's page, rendered on the server as plain HTML (no script: the
// page's CSP forbids any): today's takings per store and till, the hourly
// chart across tills, the takings per tender and each till's cash drawer
// (both from the same X report), the Z list, the last reconciliation,
// replication lag.
// Every value from the database is escaped.

export interface PageData {
  report: OfficeReport;
  hourly: HourTakings[];
  status: TillStatus[];
  reconciliation: OfficeReconciliation | null;
  canReconcile: boolean;
  nowMs: number;
  t: PageTexts;
}

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const money = (minor: number, currency: string) => esc(`${currency} ${isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor)}`);

const STYLE = `
  body { font: 15px/1.45 system-ui, "Noto Sans", sans-serif; margin: 0; color: #1b1f24; background: #f4f6f8; }
  header { background: #0b6e4f; color: #fff; padding: 12px 24px; display: flex; justify-content: space-between; align-items: center; }
  header h1 { font-size: 20px; margin: 0; }
  header form { margin: 0; }
  main { padding: 16px 24px; display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
  section { background: #fff; border-radius: 8px; padding: 12px 16px; box-shadow: 0 1px 3px rgba(0,0,0,.08); min-width: 0; overflow-x: auto; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 16px; margin: 0 0 8px; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e3e7eb; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .nw { white-space: nowrap; }
  td.hash code { font-size: 12px; color: #556; }
  td.hash { max-width: 9em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .muted { color: #667; }
  .total { font-size: 28px; font-weight: 600; margin: 4px 0 8px; }
  .bad { color: #b00020; font-weight: 600; }
  .ok { color: #0b6e4f; }
  button { font: inherit; padding: 6px 14px; border-radius: 6px; border: 1px solid #0b6e4f; background: #fff; color: #0b6e4f; cursor: pointer; }
  .login { max-width: 360px; margin: 80px auto; }
  .login input { font: inherit; width: 100%; box-sizing: border-box; padding: 8px; margin: 8px 0 12px; }
  .error { color: #b00020; }
`;

export function shell(title: string, body: string, lang = 'en'): string {
  return `<!doctype html><html lang="${esc(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** A page of one sentence (refusals, not found, database down), with an optional detail after it. */
export function notice(t: PageTexts, [title, text]: [string, string], detail = ''): string {
  return shell(title, `<section class="login"><h2>${esc(title)}</h2><p>${esc(text)}${detail ? ` ${esc(detail)}` : ''}</p></section>`, t.lang);
}

export function loginPage(t: PageTexts, message: string | null): string {
  return shell(
    t.signInTitle,
    `<section class="login"><h2>${esc(t.headOffice)}</h2><form method="post" action="/login">
      <label for="password">${esc(t.ownerPassword)}</label>
      <input id="password" name="password" type="password" autocomplete="current-password" required autofocus>
      ${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
      <button type="submit">${esc(t.signIn)}</button></form></section>`,
    t.lang,
  );
}

/** Rows of totals under label columns (store; or store and till), one row per currency. */
function totalsTable(t: PageTexts, heads: readonly string[], rows: Array<{ labels: readonly string[]; totals: OfficeTotals[] }>): string {
  if (rows.length === 0) return `<p class="muted">${esc(t.noSales)}</p>`;
  const body = rows
    .flatMap(({ labels, totals }) =>
      (totals.length === 0 ? [null] : totals).map(
        (c) =>
          `<tr>${labels.map((l) => `<td class="nw">${esc(l)}</td>`).join('')}${
            c
              ? `<td class="num">${c.paidCount}</td><td class="num">${money(c.grossMinor, c.currency)}</td><td class="num">${money(c.refundMinor, c.currency)}</td><td class="num">${money(c.netMinor, c.currency)}</td>`
              : `<td class="num">0</td><td class="num muted" colspan="3">${esc(t.noSalesTill)}</td>`
          }</tr>`,
      ),
    )
    .join('');
  const labelHeads = heads.map((h) => `<th>${esc(h)}</th>`).join('');
  return `<table><thead><tr>${labelHeads}<th class="num">${esc(t.paid)}</th><th class="num">${esc(t.gross)}</th><th class="num">${esc(t.refunds)}</th><th class="num">${esc(t.net)}</th></tr></thead><tbody>${body}</tbody></table>`;
}

/** The day's takings per tender and currency (tender order from the report), with refunds and net. */
function tenderTable(t: PageTexts, report: OfficeReport): string {
  if (report.tenders.length === 0) return `<p class="muted">${esc(t.noSales)}</p>`;
  const rows = report.tenders
    .map(
      (x) =>
        `<tr><td class="nw">${esc(tenderName(x.payType, t.lang))}</td><td class="num">${x.paidCount}</td><td class="num">${money(x.grossMinor, x.currency)}</td><td class="num">${money(x.refundMinor, x.currency)}</td><td class="num">${money(x.grossMinor - x.refundMinor, x.currency)}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>${esc(t.tender)}</th><th class="num">${esc(t.paid)}</th><th class="num">${esc(t.gross)}</th><th class="num">${esc(t.refunds)}</th><th class="num">${esc(t.net)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

/** Each till's drawer per currency: float, cash sales and refunds, paid in and out, and the cash expected in it. */
function drawerTable(t: PageTexts, report: OfficeReport): string {
  if (report.drawers.length === 0) return `<p class="muted">${esc(t.noCash)}</p>`;
  const rows = report.drawers
    .map(
      (d) =>
        `<tr><td class="nw">${esc(d.store || '—')}</td><td class="nw">${esc(d.udid)}</td>${[d.floatMinor, d.cashSalesMinor, d.cashRefundMinor, d.paidInMinor, d.paidOutMinor]
          .map((minor) => `<td class="num">${money(minor, d.currency)}</td>`)
          .join('')}<td class="num"><strong>${money(d.expectedMinor, d.currency)}</strong></td></tr>`,
    )
    .join('');
  // Eight columns: the section spans the page's width, so the expected cash is never scrolled out of sight.
  const heads = [t.float, t.cashSales, t.cashRefunds, t.paidIn, t.paidOut, t.expected].map((h) => `<th class="num">${esc(h)}</th>`).join('');
  return `<table><thead><tr><th>${esc(t.store)}</th><th>${esc(t.till)}</th>${heads}</tr></thead><tbody>${rows}</tbody></table>`;
}

function hourlyChart(t: PageTexts, hourly: readonly HourTakings[], cutoffHour: number): string {
  const currencies = [...new Set(hourly.map((h) => h.currency))].sort();
  if (currencies.length === 0) return `<p class="muted">${esc(t.noSales)}</p>`;
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
          const title = h ? esc(t.hourTitle(String(hour).padStart(2, '0'), h.paidCount, `${currency} ${isCurrencyCode(currency) ? formatMinorPlain(h.grossMinor, currency) : String(h.grossMinor)}`)) : '';
          return `${h ? `<rect x="${i * 22 + 3}" y="${130 - height}" width="16" height="${height}" fill="#0b6e4f"><title>${title}</title></rect>` : ''}${i % 3 === 0 ? `<text x="${i * 22 + 11}" y="146" font-size="10" text-anchor="middle">${String(hour).padStart(2, '0')}</text>` : ''}`;
        })
        .join('');
      return `<figure><figcaption>${esc(t.paidPerHour(currency))}</figcaption><svg role="img" aria-label="${esc(currency)} takings per hour" viewBox="0 0 ${width} 150" width="100%">${bars}<line x1="0" y1="130" x2="${width}" y2="130" stroke="#888"/></svg></figure>`;
    })
    .join('');
}

function zTable(t: PageTexts, report: OfficeReport, tz: string): string {
  if (report.zReports.length === 0) return `<p class="muted">${esc(t.noZ)}</p>`;
  const rows = report.zReports
    .map(
      (z) =>
        `<tr><td class="nw">${esc(z.store || '—')}</td><td class="nw">${esc(z.udid)}</td><td class="num">${z.zNumber}</td><td class="nw">${esc(formatTxdtm(z.createdAtMs, tz).slice(11, 16))}</td><td class="num">${z.currencies.map((c) => money(c.netMinor, c.currency)).join('<br>')}</td><td class="nw">${
          z.intact ? `<span class="ok">${esc(t.hashOk)}</span>` : `<span class="bad">${esc(t.hashChanged)}</span>`
        }${z.agrees ? '' : ` <span class="bad">${esc(t.differsFromSales)}</span>`}</td><td class="hash" title="${esc(z.sha256)}"><code>${esc(z.sha256.slice(0, 12))}…</code></td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>${esc(t.store)}</th><th>${esc(t.till)}</th><th class="num">Z</th><th>${esc(t.taken)}</th><th class="num">${esc(t.net)}</th><th>${esc(t.check)}</th><th>SHA-256</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function reconciliationSection(t: PageTexts, data: PageData, tz: string): string {
  const r = data.reconciliation;
  const button = data.canReconcile ? `<form method="post" action="/reconcile"><button type="submit">${esc(t.reconcileNow)}</button></form>` : `<p class="muted">${esc(t.needsCredentials)}</p>`;
  if (!r) return `${button}<p>${esc(t.notRun)}</p>`;
  const lists = ['stateDiffers', 'amountDiffers', 'onlyInJournal', 'onlyAtQfpay'] as const;
  const rows = lists
    .flatMap((list) =>
      r[list].map((i) => `<tr><td class="nw">${esc(t.lists[list])}</td><td class="nw">${esc(i.udid ?? t.noTill)}</td><td>${esc(i.out_trade_no || i.syssn || '')}</td><td>${esc(i.reason)}</td></tr>`),
    )
    .join('');
  return `${button}<p>${esc(formatTxdtm(r.period.fromMs, tz))} – ${esc(formatTxdtm(r.period.toMs, tz))}: ${esc(t.matched(r.matched.length))}${r.complete ? '' : ` — <span class="bad">${esc(t.incomplete)}</span>`}</p>${
    rows
      ? `<table><thead><tr><th>${esc(t.finding)}</th><th>${esc(t.till)}</th><th>${esc(t.order)}</th><th>${esc(t.why)}</th></tr></thead><tbody>${rows}</tbody></table>`
      : `<p class="ok">${esc(t.allAgree)}</p>`
  }`;
}

function statusTable(t: PageTexts, status: readonly TillStatus[], tz: string, nowMs: number): string {
  if (status.length === 0) return `<p class="muted">${esc(t.noTills)}</p>`;
  const rows = status
    .map((till) => {
      const ago = till.lastContactMs === null ? null : Math.max(0, Math.round((nowMs - till.lastContactMs) / 60_000));
      return `<tr><td class="nw">${esc(till.store || '—')}</td><td class="nw">${esc(till.udid)}</td><td class="num">${
        till.lagEvents === 0 ? `<span class="ok">${esc(t.upToDate)}</span>` : `<span class="bad">${esc(t.behind(till.lagEvents))}</span>`
      }</td><td>${till.lastContactMs === null || ago === null ? esc(t.never) : `<span class="nw">${esc(formatTxdtm(till.lastContactMs, tz))}</span> <span class="muted nw">(${esc(t.minutesAgo(ago))})</span>`}</td></tr>`;
    })
    .join('');
  return `<table><thead><tr><th>${esc(t.store)}</th><th>${esc(t.till)}</th><th class="num">${esc(t.replication)}</th><th>${esc(t.lastContact)}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

export function dashboardPage(data: PageData): string {
  const { report, t } = data;
  const tz = report.timeZone;
  const day = report.businessDay ?? '';
  const grand = report.currencies.map((c) => `<div class="total">${money(c.netMinor, c.currency)}</div>`).join('') || '<div class="total">—</div>';
  const tillRows = report.tills.map((till) => ({ labels: [till.store || '—', till.udid], totals: till.currencies }));
  return shell(
    `${t.headOffice} — ${day}`,
    `<header><h1>${esc(t.headOffice)} · ${esc(t.businessDay(day))}</h1><form method="post" action="/logout"><button type="submit">${esc(t.signOut)}</button></form></header>
    <main>
      <section aria-labelledby="takings"><h2 id="takings">${esc(t.takings)}</h2>${grand}${totalsTable(t, [t.store], report.stores.map((s) => ({ labels: [s.store || '—'], totals: s.currencies })))}</section>
      <section aria-labelledby="tills"><h2 id="tills">${esc(t.perTill)}</h2>${totalsTable(t, [t.store, t.till], tillRows)}</section>
      <section aria-labelledby="tenders"><h2 id="tenders">${esc(t.perTender)}</h2>${tenderTable(t, report)}</section>
      <section aria-labelledby="hourly"><h2 id="hourly">${esc(t.perHour)}</h2>${hourlyChart(t, data.hourly, report.cutoffHour)}</section>
      <section class="wide" aria-labelledby="drawers"><h2 id="drawers">${esc(t.drawers)}</h2>${drawerTable(t, report)}</section>
      <section aria-labelledby="zs"><h2 id="zs">${esc(t.zReports)}</h2>${zTable(t, report, tz)}</section>
      <section aria-labelledby="rec"><h2 id="rec">${esc(t.reconciliation)}</h2>${reconciliationSection(t, data, tz)}</section>
      <section aria-labelledby="lag"><h2 id="lag">${esc(t.replication)}</h2>${statusTable(t, data.status, tz, data.nowMs)}</section>
    </main>
    <footer style="padding:0 24px 16px;color:#667">${esc(t.generated(formatTxdtm(data.nowMs, tz), tz, `${String(report.cutoffHour).padStart(2, '0')}:00`))}</footer>`,
    t.lang,
  );
}
