import { existsSync } from 'node:fs';

// SVG → PNG without native modules, for the command line: a headless Chromium
// (playwright-core drives it) draws the receipt at the roll's width. The app
// itself rasterises with Electron (the shell). Where no Chromium is found the
// caller gets a clear message and can ask for SVG instead.

export const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(env: NodeJS.ProcessEnv): string | undefined {
  const own = env.TILL_CHROMIUM;
  if (own) return existsSync(own) ? own : undefined;
  return CHROMIUM_PATHS.find((p) => existsSync(p));
}

export async function svgToPng(svg: string, widthPx: number, executablePath: string): Promise<Buffer> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: widthPx, height: 100 }, deviceScaleFactor: 1 });
    await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const element = await page.$('svg');
    if (!element) throw new Error('the receipt image has no SVG');
    return await element.screenshot({ type: 'png', omitBackground: false });
  } finally {
    await browser.close();
  }
}
