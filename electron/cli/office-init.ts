import { initOffice } from '../office/roles';
import { EXIT, UsageError, emit, parseCommandArgs, type CommandContext, type ExitCode } from './io';
import { officeUrlFrom } from './office-options';
import { withOfficeClient } from './office-session';

// `till office init --till U … --reader R …`: schema, access rules and login
// roles. A new role's password is printed once (with the URL the till or the
// reader should use) and kept nowhere else.

const UDID = /^[A-Za-z0-9_-]{1,40}$/;
const READER = /^[a-z][a-z0-9_]{0,40}$/;

export async function officeInit(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    ctx.argv,
    { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' }, till: { type: 'string', multiple: true }, reader: { type: 'string', multiple: true } },
    false,
  );
  officeUrlFrom(values['database-url'], ctx.env);
  const tills = values.till ?? [];
  const readers = values.reader ?? [];
  for (const udid of tills) if (!UDID.test(udid)) throw new UsageError(`--till ${udid}: a udid is 1–40 letters, digits, "-" or "_"`, 'till');
  for (const name of readers) {
    if (!READER.test(name) || name.startsWith('till_') || name.startsWith('office_')) throw new UsageError(`--reader ${name}: lower-case letters, digits and "_", not starting with till_ or office_`, 'reader');
  }
  return withOfficeClient(ctx, values, async (client, url) => {
    const created = await initOffice(client, tills, readers);
    const base = new URL(url);
    const urlFor = (role: string, password: string) => {
      const u = new URL(base.toString());
      u.username = encodeURIComponent(role);
      u.password = encodeURIComponent(password);
      return u.toString();
    };
    const rows = created.map((c) => ({ role: c.role, created: c.password !== undefined, url: c.password === undefined ? null : urlFor(c.role, c.password) }));
    emit(ctx.io, values.json, { roles: rows }, () => [
      'head office ready: schema up to date, roles office_till and office_read, row-level security on',
      ...rows.map((r) => (r.url ? `  ${r.role}: ${r.url}` : `  ${r.role}: exists (password unchanged)`)),
      ...(rows.some((r) => r.url) ? ['Each password is shown only this once: give each till its URL (till sync --database-url, or TILL_OFFICE_URL).'] : []),
    ]);
    return EXIT.ok;
  });
}
