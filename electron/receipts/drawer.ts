import type { Journal } from '../journal/journal';
import type { PrintOutcome } from './tcp-printer';

// "No sale": the drawer opened without a sale. The opening is journaled
// (who and when) before the kick is sent, so a crash between the two still
// leaves the opening on record; a failed kick is journaled too.

export const DRAWER_NOTE = 'drawer_open';

/** Who opened the drawer: the slip says it in the receipt's language, the journal in English (noSaleWho). */
export type NoSaleBy = { kind: 'supervisor' } | { kind: 'cashier' } | { kind: 'command_line'; user: string };

/** The journal's English "by" (its wording is what audits of older journals read). */
export function noSaleWho(by: NoSaleBy): string {
  if (by.kind === 'supervisor') return 'supervisor (PIN)';
  if (by.kind === 'cashier') return 'cashier (no supervisor PIN set)';
  return `command line (${by.user})`;
}

export async function openDrawerNoSale(journal: Journal, atMs: number, who: string, kick: () => Promise<PrintOutcome>): Promise<PrintOutcome> {
  journal.appendEvent('note', null, atMs, { message: `drawer opened (no sale) by ${who}`, note: DRAWER_NOTE, reason: 'no_sale', by: who });
  const outcome = await kick();
  if (!outcome.ok) journal.appendEvent('note', null, atMs + outcome.durationMs, { message: `drawer kick failed: ${outcome.message}`, note: 'drawer_open_failed', reason: outcome.reason, by: who });
  return outcome;
}
