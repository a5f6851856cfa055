import { writeFile } from 'node:fs/promises';
import { DEFAULT_SETTINGS, LANGUAGES, RECEIPT_CODE_PAGES, settingsSchema, type Language, type ReceiptCodePage } from '../../shared/settings';
import { noSaleWho, openDrawerNoSale } from '../receipts/drawer';
import { layoutOf, noSaleSlip, renderJob, saleReceipt, testPageSlip, type ReceiptSettings } from '../receipts/jobs';
import { findChromium, svgToPng } from '../receipts/png';
import { deliver } from '../receipts/printing';
import { parsePrinter, printerText, type PrinterTarget } from '../receipts/printer-target';
import { headerFrom, type ReceiptDescription } from '../receipts/receipt';
import type { PrintOutcome } from '../receipts/tcp-printer';
import { VirtualPrinter } from '../receipts/virtual-printer';
import { EXIT, UsageError, emit, parseCommandArgs, type Command, type CommandContext, type ExitCode } from './io';
import { TILL_OPTIONS, TILL_OPTIONS_USAGE, exitForOpenError, openTillFrom, withRecoveredTill } from './till-options';

// `till receipt`, `till printer test`, `till drawer open` (issue 14): the
// receipt printer from the command line, over the same receipts module as
// the app. Layout options stand in for the app's Settings.

const LAYOUT_OPTIONS = {
  printer: { type: 'string' },
  paper: { type: 'string' },
  'code-page': { type: 'string' },
  language: { type: 'string' },
  'shop-name': { type: 'string' },
  address: { type: 'string' },
  footer: { type: 'string' },
} as const;
const LAYOUT_USAGE = '[--paper 80|58] [--code-page big5|gb18030|ascii] [--language zh-Hant|zh-Hans|en] [--shop-name T] [--address T] [--footer T]';

type LayoutValues = Partial<Record<keyof typeof LAYOUT_OPTIONS | 'time-zone', string | boolean | undefined>>;
const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function textOption(value: string | undefined, name: string, key: 'merchantName' | 'receiptAddress' | 'receiptFooter'): string {
  if (value === undefined) return '';
  const parsed = settingsSchema.shape[key].safeParse(value);
  if (!parsed.success) throw new UsageError(`--${name} is too long`, name);
  return parsed.data;
}

export function receiptSettingsFrom(values: LayoutValues, env: NodeJS.ProcessEnv): ReceiptSettings {
  const paper = str(values.paper) ?? '80';
  if (paper !== '80' && paper !== '58') throw new UsageError('--paper must be 80 or 58', 'paper');
  const codePage = str(values['code-page']) ?? 'big5';
  // 'image' needs a raster of the receipt: the app draws it; here, ask for --image instead.
  if (!(RECEIPT_CODE_PAGES as readonly string[]).includes(codePage) || codePage === 'image') throw new UsageError('--code-page must be big5, gb18030 or ascii', 'code-page');
  const language = str(values.language) ?? (codePage === 'gb18030' ? 'zh-Hans' : codePage === 'ascii' ? 'en' : 'zh-Hant');
  if (!(LANGUAGES as readonly string[]).includes(language)) throw new UsageError('--language must be zh-Hant, zh-Hans or en', 'language');
  return {
    merchantName: textOption(str(values['shop-name']) ?? env.TILL_SHOP_NAME, 'shop-name', 'merchantName'),
    receiptAddress: textOption(str(values.address), 'address', 'receiptAddress'),
    receiptFooter: textOption(str(values.footer), 'footer', 'receiptFooter'),
    timeZone: str(values['time-zone']) ?? env.TILL_TIME_ZONE ?? DEFAULT_SETTINGS.timeZone,
    language: language as Language,
    paperWidth: paper === '80' ? 80 : 58,
    receiptCodePage: codePage as ReceiptCodePage,
  };
}

function printerOption(value: string | boolean | undefined, required: boolean): PrinterTarget | undefined {
  const text = str(value);
  if (text === undefined) {
    if (required) throw new UsageError('give --printer tcp://HOST:PORT', 'printer');
    return undefined;
  }
  const target = parsePrinter(text);
  if (!target || target.kind === 'os' || target.kind === 'none') throw new UsageError('--printer must be tcp://HOST:PORT (operating-system printers print from the app)', 'printer');
  return target;
}

function imageOption(value: string | boolean | undefined): string | undefined {
  const path = str(value);
  if (path !== undefined && !/\.(png|svg)$/i.test(path)) throw new UsageError('--image must name a .png or .svg file', 'image');
  return path;
}

/** Prints the outcome; a printer problem is exit 1 with the message, never an exception. */
function reportOutcome(ctx: CommandContext, json: boolean | undefined, what: string, target: PrinterTarget, outcome: PrintOutcome): ExitCode {
  const where = printerText(target);
  emit(ctx.io, json, { printed: outcome.ok, printer: where, ...outcome }, () =>
    outcome.ok ? [`${what} sent to ${where} (${outcome.bytes} bytes, ${outcome.durationMs} ms)`] : [],
  );
  if (!outcome.ok) ctx.io.err(`${what} not printed: ${outcome.message}`);
  return outcome.ok ? EXIT.ok : EXIT.failed;
}

async function writeImage(ctx: CommandContext, path: string, svg: string, paperWidth: 80 | 58): Promise<ExitCode> {
  if (/\.svg$/i.test(path)) {
    await writeFile(path, svg, 'utf8');
    ctx.io.err(`image written to ${path}`);
    return EXIT.ok;
  }
  const chromium = findChromium(ctx.env);
  if (!chromium) {
    ctx.io.err('a PNG needs Chromium (set TILL_CHROMIUM to its path), or ask for an .svg image');
    return EXIT.config;
  }
  await writeFile(path, await svgToPng(svg, paperWidth === 80 ? 576 : 384, chromium));
  ctx.io.err(`image written to ${path}`);
  return EXIT.ok;
}

export const receiptCommand: Command = {
  name: 'receipt',
  summary: "print a paid sale's receipt to a network printer and/or render it as an image (--refund for a refund receipt)",
  usage: `till receipt <out_trade_no> [--printer tcp://HOST:PORT] [--image FILE.png|FILE.svg] [--reprint] [--refund REFUND_NO] ${LAYOUT_USAGE} [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...TILL_OPTIONS, ...LAYOUT_OPTIONS, image: { type: 'string' }, reprint: { type: 'boolean' }, refund: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('give the out_trade_no of one paid sale');
    const target = printerOption(values.printer, false);
    const image = imageOption(values.image);
    if (!target && !image) throw new UsageError('give --printer tcp://HOST:PORT, --image FILE, or both', 'printer');
    const settings = receiptSettingsFrom(values, ctx.env);
    const id = positionals[0]!;
    return withRecoveredTill(ctx, values, async (till) => {
      const described = saleReceipt(till.journal, id, settings, { reprint: values.reprint === true, refundOutTradeNo: str(values.refund) });
      if (!described.ok) {
        ctx.io.err(`no receipt: ${described.error.message}`);
        return described.error.code === 'not_found' ? EXIT.usage : EXIT.failed;
      }
      const job = await renderJob(`receipt ${id}`, described.receipt, layoutOf(settings));
      let code: ExitCode = EXIT.ok;
      if (image) code = await writeImage(ctx, image, job.svg, settings.paperWidth);
      if (target && code === EXIT.ok) code = reportOutcome(ctx, values.json, `receipt of ${id}`, target, await deliver(target, job, { virtual: new VirtualPrinter() }));
      else if (values.json) ctx.io.out(JSON.stringify({ image, bytes: job.bytes.length }));
      return code;
    });
  },
};

async function printSlip(ctx: CommandContext, json: boolean | undefined, what: string, target: PrinterTarget, slip: ReceiptDescription, settings: ReceiptSettings): Promise<PrintOutcome> {
  const job = await renderJob(what, slip, layoutOf(settings));
  const outcome = await deliver(target, job, { virtual: new VirtualPrinter() });
  reportOutcome(ctx, json, what, target, outcome);
  return outcome;
}

export const printerCommand: Command = {
  name: 'printer',
  summary: 'print a test page on a network receipt printer',
  usage: `till printer test --printer tcp://HOST:PORT ${LAYOUT_USAGE} [--json]`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...LAYOUT_OPTIONS, 'time-zone': { type: 'string' }, udid: { type: 'string' } });
    if (positionals.length !== 1 || positionals[0] !== 'test') throw new UsageError('the printer command is: till printer test --printer tcp://HOST:PORT');
    const target = printerOption(values.printer, true)!;
    const settings = receiptSettingsFrom(values, ctx.env);
    const header = headerFrom(settings, str(values.udid) ?? ctx.env.TILL_UDID ?? '-', false);
    const outcome = await printSlip(ctx, values.json, 'test page', target, testPageSlip(header, settings, Date.now(), printerText(target)), settings);
    return outcome.ok ? EXIT.ok : EXIT.failed;
  },
};

export const drawerCommand: Command = {
  name: 'drawer',
  summary: 'open the cash drawer through the receipt printer ("No sale", journaled)',
  usage: `till drawer open --printer tcp://HOST:PORT ${LAYOUT_USAGE} [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...TILL_OPTIONS, ...LAYOUT_OPTIONS });
    if (positionals.length !== 1 || positionals[0] !== 'open') throw new UsageError('the drawer command is: till drawer open --printer tcp://HOST:PORT');
    const target = printerOption(values.printer, true)!;
    const settings = receiptSettingsFrom(values, ctx.env);
    // No recovery first: opening the drawer must not wait for QFPay.
    const opened = await openTillFrom(values, ctx.env, ctx.io).then(
      (till) => ({ till }),
      (error: unknown) => {
        if (error instanceof UsageError) throw error;
        return { error };
      },
    );
    if ('error' in opened) return exitForOpenError(opened.error, ctx.io);
    const till = opened.till;
    try {
      const now = Date.now();
      const by = { kind: 'command_line', user: ctx.env.USER ?? 'unknown user' } as const;
      const header = headerFrom(settings, till.journal.udid, till.training);
      const outcome = await openDrawerNoSale(till.journal, now, noSaleWho(by), () => printSlip(ctx, values.json, 'no sale', target, noSaleSlip(header, settings, now, by), settings));
      return outcome.ok ? EXIT.ok : EXIT.failed;
    } finally {
      await till.close();
    }
  },
};
