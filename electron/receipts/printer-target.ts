// Where a receipt goes: nowhere, the built-in virtual printer (training and
// tests), a network printer on raw TCP (port 9100 by convention) or a printer
// installed in the operating system (Electron's silent printing).

export type PrinterTarget = { kind: 'none' } | { kind: 'virtual' } | { kind: 'tcp'; host: string; port: number } | { kind: 'os'; name: string };

export const DEFAULT_PRINTER_PORT = 9100;

/** Parses the Settings / --printer value; undefined when it is not one of the forms. */
export function parsePrinter(value: string): PrinterTarget | undefined {
  if (value === 'none') return { kind: 'none' };
  if (value === 'virtual') return { kind: 'virtual' };
  if (value.startsWith('os:') && value.length > 3) return { kind: 'os', name: value.slice(3) };
  const m = /^tcp:\/\/([A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:]{2,39}\])(?::(\d{1,5}))?\/?$/.exec(value);
  if (!m) return undefined;
  const port = m[2] === undefined ? DEFAULT_PRINTER_PORT : Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

export function printerText(target: PrinterTarget): string {
  switch (target.kind) {
    case 'tcp':
      return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'os':
      return `os:${target.name}`;
    default:
      return target.kind;
  }
}
