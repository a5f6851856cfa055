import QRCode from 'qrcode';
import { useMemo } from 'react';

// The QR as an SVG image: error correction M and a quiet zone of 4 modules,
// as WeChat's scanner expects; crisp at any size. Built synchronously while
// rendering (qrcode's callback form does not defer), so the image is in the
// very first commit of a QR screen rather than one effect and render later.

const OPTIONS = { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } } as const;

/** The SVG text of the QR code for `text`, or null when it cannot be encoded (too long). */
export function qrSvg(text: string): string | null {
  let svg: string | null = null;
  try {
    QRCode.toString(text, OPTIONS, (error, out) => {
      if (!error) svg = out;
    });
  } catch {
    svg = null;
  }
  return svg;
}

export function QrImage({ text, className, label }: { text: string; className?: string; label: string }) {
  const src = useMemo(() => {
    const svg = qrSvg(text);
    return svg === null ? null : `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  }, [text]);
  return src ? <img className={className} src={src} alt={label} data-qr={text} /> : <div className={className} aria-busy="true" />;
}
