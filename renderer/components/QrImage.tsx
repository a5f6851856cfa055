import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

// The QR as an SVG image: error correction M and a quiet zone of 4 modules,
// as WeChat's scanner expects; crisp at any size.

export function qrSvg(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 4, color: { dark: '#000000', light: '#ffffff' } });
}

export function QrImage({ text, className, label }: { text: string; className?: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSrc(null);
    void qrSvg(text).then((svg) => {
      if (live) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
    return () => {
      live = false;
    };
  }, [text]);
  return src ? <img className={className} src={src} alt={label} data-qr={text} /> : <div className={className} aria-busy="true" />;
}
