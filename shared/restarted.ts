// The query main reloads a crashed window's page with (electron/service/crash-guard.ts),
// so the page shows the "screen restarted; the sale is safe" banner.
export const RESTARTED_QUERY = 'restarted';
