import type { ClientBase } from 'pg';

// Each till's replication as head office sees it: how far PostgreSQL's copy
// is behind what the till last said its journal held, and when it last
// made contact.

export interface TillStatus {
  udid: string;
  store: string;
  /** The till's latest journal event at its last contact. */
  journalSeq: number;
  /** The latest event head office holds. */
  replicatedSeq: number;
  /** Events the till had at its last contact that head office does not hold yet. */
  lagEvents: number;
  lastContactMs: number | null;
  zReports: number;
}

export async function officeStatus(client: ClientBase): Promise<TillStatus[]> {
  const rows = await client.query<{ udid: string; store: string; journal_seq: string; seq: string; last_contact_ms: string | null; zs: string }>(
    `SELECT t.udid, t.store, t.journal_seq, t.last_contact_ms,
            (SELECT COALESCE(max(e.seq), 0) FROM office.events e WHERE e.udid = t.udid) AS seq,
            (SELECT count(*) FROM office.z_reports z WHERE z.udid = t.udid) AS zs
       FROM office.tills t ORDER BY t.store, t.udid`,
  );
  return rows.rows.map((r) => ({
    udid: r.udid,
    store: r.store,
    journalSeq: Number(r.journal_seq),
    replicatedSeq: Number(r.seq),
    lagEvents: Math.max(0, Number(r.journal_seq) - Number(r.seq)),
    lastContactMs: r.last_contact_ms === null ? null : Number(r.last_contact_ms),
    zReports: Number(r.zs),
  }));
}
