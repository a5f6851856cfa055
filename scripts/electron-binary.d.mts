export const FETCH_COMMAND: string;
export interface ElectronStatus {
  dir: string;
  version: string;
  executable: string;
  installed: boolean;
}
export function electronStatus(root: string): ElectronStatus;
export function ensureElectron(root: string): { ok: true; status: ElectronStatus } | { ok: false; status: ElectronStatus; reason: string };
export function missingElectronMessage(version: string, reason: string): string;
