// Platform pieces of the scanner side: the camera scan, the ID-card photo, QR decoding of an image and the
// device's location. The mini-program uses WeChat's APIs through Taro; H5 uses the browser's.
import Taro from '@tarojs/taro';
import jsQR from 'jsqr';

/** Inlined at build time by Taro; read at call time so tests can switch it. */
export function isH5(): boolean {
  return process.env.TARO_ENV === 'h5';
}

/** A user's cancel: not an error to show. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

function isCancel(e: unknown): boolean {
  const msg = String((e as any)?.errMsg ?? (e as any)?.message ?? '');
  return /cancel/i.test(msg);
}

/** weapp: WeChat's scanner. Resolves with the QR's text. */
export async function scanCodeWeapp(): Promise<string> {
  try {
    const res = await Taro.scanCode({ onlyFromCamera: false, scanType: ['qrCode'] });
    return res.result;
  } catch (e) {
    if (isCancel(e)) throw new Cancelled();
    throw new Error('无法打开扫码，请检查相机权限后重试，或输入健康码上方的12位数字');
  }
}

/** weapp: take or choose a photo of the ID card and read it as base64 (no data: prefix). */
export async function idCardPhotoWeapp(): Promise<string> {
  let path: string;
  try {
    const res = await Taro.chooseImage({ count: 1, sizeType: ['compressed'], sourceType: ['camera', 'album'] });
    path = res.tempFilePaths[0];
  } catch (e) {
    if (isCancel(e)) throw new Cancelled();
    throw new Error('无法打开相机或相册，请检查权限后重试');
  }
  if (!path) throw new Cancelled();
  return new Promise<string>((resolve, reject) => {
    Taro.getFileSystemManager().readFile({
      filePath: path,
      encoding: 'base64',
      success: (r) => resolve(typeof r.data === 'string' ? r.data : ''),
      fail: () => reject(new Error('读取照片失败，请重试')),
    });
  });
}

/** "data:image/png;base64,AAAA" → "AAAA". */
export function stripDataUrl(dataUrl: string): string {
  const i = dataUrl.indexOf(',');
  return dataUrl.startsWith('data:') && i >= 0 ? dataUrl.slice(i + 1) : dataUrl;
}

function readAsDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result ?? ''));
    r.onerror = () => reject(new Error('读取图片失败，请重试'));
    r.readAsDataURL(file);
  });
}

function loadImage(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => {
      URL.revokeObjectURL(url);
      resolve(img);
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('无法读取该图片，请换一张清晰的图片'));
    };
    img.src = url;
  });
}

function drawScaled(img: CanvasImageSource, width: number, height: number, maxSide: number): HTMLCanvasElement {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('当前浏览器不支持图片处理');
  // A white background, so a transparent PNG's dark modules stay dark.
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
  return canvas;
}

/** The text of a QR in the pixels, or null. */
export function decodeQrPixels(data: Uint8ClampedArray, width: number, height: number, thorough = true): string | null {
  const code = jsQR(data, width, height, { inversionAttempts: thorough ? 'attemptBoth' : 'dontInvert' });
  return code && code.data ? code.data : null;
}

/** H5: the text of the QR in an uploaded image, or null when none is found. */
export async function decodeQrFromImageFile(file: Blob): Promise<string | null> {
  const img = await loadImage(file);
  // Try the picture at a moderate size first (fast, and jsQR likes it), then at full size.
  for (const maxSide of [1000, 2400]) {
    const canvas = drawScaled(img, img.naturalWidth, img.naturalHeight, maxSide);
    const ctx = canvas.getContext('2d')!;
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const text = decodeQrPixels(pixels.data, canvas.width, canvas.height);
    if (text) return text;
    if (Math.max(img.naturalWidth, img.naturalHeight) <= maxSide) break;
  }
  return null;
}

const OCR_MAX_BYTES = 4 * 1024 * 1024;

/** H5: an ID-card photo as base64 (no data: prefix); large or unusual images are re-encoded as JPEG. */
export async function imageFileToBase64(file: File): Promise<string> {
  if (file.size <= OCR_MAX_BYTES && /^image\/(jpeg|png)$/.test(file.type)) return stripDataUrl(await readAsDataUrl(file));
  const img = await loadImage(file);
  const canvas = drawScaled(img, img.naturalWidth, img.naturalHeight, 2000);
  return stripDataUrl(canvas.toDataURL('image/jpeg', 0.88));
}

/** Coordinates as text, e.g. 北纬26.0745° 东经119.2965°. */
export function formatCoordinates(latitude: number, longitude: number): string {
  const lat = `${latitude >= 0 ? '北纬' : '南纬'}${Math.abs(latitude).toFixed(4)}°`;
  const lng = `${longitude >= 0 ? '东经' : '西经'}${Math.abs(longitude).toFixed(4)}°`;
  return `${lat} ${lng}`;
}

export interface Position {
  latitude: number;
  longitude: number;
}

const LOCATION_FAILED = '定位失败，请检查定位权限后重试，或直接输入具体位置';

/** The device's position: Taro.getLocation on weapp, navigator.geolocation on H5. */
export async function locate(): Promise<Position> {
  if (isH5()) {
    const geo = typeof navigator !== 'undefined' ? navigator.geolocation : undefined;
    if (!geo) throw new Error('当前浏览器不支持定位，请直接输入具体位置');
    return new Promise<Position>((resolve, reject) => {
      geo.getCurrentPosition(
        (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude }),
        (err) => reject(new Error(err && err.code === 1 ? '定位权限被拒绝，请在浏览器设置中允许定位，或直接输入具体位置' : LOCATION_FAILED)),
        { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
      );
    });
  }
  try {
    const res = await Taro.getLocation({ type: 'gcj02' });
    return { latitude: res.latitude, longitude: res.longitude };
  } catch {
    throw new Error(LOCATION_FAILED);
  }
}
