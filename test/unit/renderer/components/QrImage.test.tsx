// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import QRCode from 'qrcode';
import { afterEach, describe, expect, it } from 'vitest';
import { QrImage, qrSvg } from '../../../../renderer/components/QrImage';

// The QR image: error correction M, a quiet zone of 4 modules, and in the
// first render (no effect round trip before the customer sees it).

afterEach(cleanup);

const TEXT = 'weixin://wxpay/bizpayurl?pr=AbCdEf1';

describe('QrImage', () => {
  it('encodes with error correction M and a 4-module quiet zone', () => {
    // 30 bytes fit a version-2 code at level L but need version 3 at M: the size tells the level.
    const text = 'weixin://wxpay/bizpayurl?pr=Ab';
    const sizeAt = (level: 'L' | 'M') => QRCode.create(text, { errorCorrectionLevel: level }).modules.size;
    expect(sizeAt('L')).toBeLessThan(sizeAt('M'));
    expect(qrSvg(text)).toContain(`viewBox="0 0 ${sizeAt('M') + 8} ${sizeAt('M') + 8}"`);
    const modules = QRCode.create(TEXT, { errorCorrectionLevel: 'M' }).modules.size;
    expect(qrSvg(TEXT)).toContain(`viewBox="0 0 ${modules + 8} ${modules + 8}"`);
  });

  it('is an <img> of the order\'s QR in the very first render', () => {
    const { container } = render(<QrImage text={TEXT} label="Scan" className="c-qr-image" />);
    const img = container.querySelector('img')!;
    expect(img.getAttribute('data-qr')).toBe(TEXT);
    expect(img.getAttribute('alt')).toBe('Scan');
    expect(decodeURIComponent(img.getAttribute('src')!.replace(/^data:image\/svg\+xml;charset=utf-8,/, ''))).toBe(qrSvg(TEXT));
  });

  it('a text too long for a QR code shows an empty placeholder instead of crashing the screen', () => {
    const { container } = render(<QrImage text={'x'.repeat(5000)} label="Scan" className="c-qr-image" />);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('[aria-busy="true"]')).not.toBeNull();
  });
});
