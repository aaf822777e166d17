import { useMemo } from 'react';
import { Image, View } from '@tarojs/components';
import qrcode from 'qrcode-generator';

/** The QR of `text` (error correction Q) as a data-URL image: works in H5 and in the mini-program. */
export function qrDataUrl(text: string): string {
  const qr = qrcode(0, 'Q');
  qr.addData(text, 'Byte');
  qr.make();
  return qr.createDataURL(8, 4);
}

export function QrImage({ text, className }: { text: string; className?: string }) {
  const src = useMemo(() => (text ? qrDataUrl(text) : ''), [text]);
  if (!src) return <View className={className} />;
  return <Image className={className} data-testid='qr' src={src} mode='scaleToFill' showMenuByLongpress={false} />;
}
