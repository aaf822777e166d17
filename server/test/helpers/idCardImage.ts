// Synthetic photos of a resident ID card front for the OCR tests (F3): a light card on a grey table with
// the labels and fields of a real card (姓名, 性别, 民族, 出生, 住址, a photo area) and the 公民身份号码 line,
// optionally with speckle noise and a slight rotation, as PNG or JPEG. Everything is drawn here; the font
// comes from an npm package (Noto Sans SC, woff2 subsets) and is registered explicitly, so the images do not
// depend on the fonts of the machine. The noise is seeded by the card's text: the same options always give
// the same image.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readdirSync } from 'node:fs';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';

export interface IdCardImageOptions {
  /** Printed as is on the number line; may be any text (an invalid number, or '' for none). */
  idNumber: string;
  name?: string;
  noise?: boolean;
  /** Rotation of the card on the table, in degrees (real photos: about ±3°). */
  rotationDeg?: number;
  format?: 'png' | 'jpeg';
}

/** A real card is 85.6 × 54 mm; at 300 dpi about 1011 × 638 px. */
const CARD_WIDTH = 1011;
const CARD_HEIGHT = 638;
const TABLE_MARGIN = 70;
const FONT_FAMILY = 'BaminTestCardSC';

let fontsRegistered = false;

/** Registers every woff2 subset of Noto Sans SC under one family name (once per process). */
function registerFonts(): void {
  if (fontsRegistered) return;
  const require = createRequire(import.meta.url);
  const filesDir = join(dirname(require.resolve('@fontsource-variable/noto-sans-sc/package.json')), 'files');
  const files = readdirSync(filesDir).filter((file) => file.endsWith('.woff2'));
  const registered = files.filter((file) => GlobalFonts.registerFromPath(join(filesDir, file), FONT_FAMILY)).length;
  if (registered === 0) throw new Error(`no font could be registered from ${filesDir}`);
  fontsRegistered = true;
}

/** Small deterministic PRNG (mulberry32) so that noisy images are reproducible. */
function seededRandom(seedText: string): () => number {
  let seed = 2166136261;
  for (const ch of seedText) seed = Math.imul(seed ^ ch.charCodeAt(0), 16777619);
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Birth date printed on the card, taken from the number when it has one. */
function birthLine(idNumber: string): string {
  const m = /^\d{6}(\d{4})(\d{2})(\d{2})/.exec(idNumber);
  if (!m) return '1950 年 3 月 7 日';
  return `${m[1]} 年 ${Number(m[2])} 月 ${Number(m[3])} 日`;
}

function sexOf(idNumber: string): string {
  const digit = Number(idNumber[16]);
  return Number.isNaN(digit) ? '女' : digit % 2 === 1 ? '男' : '女';
}

function roundedRect(ctx: SKRSContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/** Card background: a pale blue-grey gradient with faint guilloche-like waves. */
function drawBackground(ctx: SKRSContext2D): void {
  const gradient = ctx.createLinearGradient(0, 0, CARD_WIDTH, CARD_HEIGHT);
  gradient.addColorStop(0, '#eef3f6');
  gradient.addColorStop(1, '#e3ebef');
  roundedRect(ctx, 0, 0, CARD_WIDTH, CARD_HEIGHT, 36);
  ctx.fillStyle = gradient;
  ctx.fill();
  ctx.save();
  ctx.clip();
  ctx.strokeStyle = 'rgba(120, 160, 185, 0.18)';
  ctx.lineWidth = 1.5;
  for (let row = 0; row < 14; row++) {
    ctx.beginPath();
    for (let x = 0; x <= CARD_WIDTH; x += 8) {
      const y = 30 + row * 46 + Math.sin(x / 55 + row) * 10;
      if (x === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}

/** The portrait area on the right: a grey box with a head-and-shoulders silhouette. */
function drawPhoto(ctx: SKRSContext2D): void {
  const x = 690;
  const y = 80;
  const w = 250;
  const h = 320;
  ctx.fillStyle = '#d5dde2';
  ctx.fillRect(x, y, w, h);
  ctx.fillStyle = '#8c979e';
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + 125, 62, 78, 0, 0, Math.PI * 2);
  ctx.fill();
  ctx.beginPath();
  ctx.ellipse(x + w / 2, y + h + 10, 115, 110, 0, Math.PI, Math.PI * 2);
  ctx.fill();
}

function drawField(ctx: SKRSContext2D, label: string, value: string, x: number, y: number): void {
  ctx.fillStyle = '#4a7aa0';
  ctx.font = `26px ${FONT_FAMILY}`;
  ctx.fillText(label, x, y);
  ctx.fillStyle = '#1a1a1a';
  ctx.font = `32px ${FONT_FAMILY}`;
  ctx.fillText(value, x + 100, y);
}

/** The card front at its own size, origin at its top-left corner. */
function drawCard(ctx: SKRSContext2D, opts: IdCardImageOptions): void {
  drawBackground(ctx);
  drawPhoto(ctx);
  ctx.textBaseline = 'alphabetic';
  drawField(ctx, '姓  名', opts.name ?? '林秀英', 60, 110);
  drawField(ctx, '性  别', sexOf(opts.idNumber), 60, 190);
  drawField(ctx, '民  族', '汉', 330, 190);
  drawField(ctx, '出  生', birthLine(opts.idNumber), 60, 270);
  drawField(ctx, '住  址', '福建省福州市鼓楼区东街街道', 60, 350);
  ctx.fillText('八一七北路 128 号 3 座 502 室', 160, 400);

  ctx.fillStyle = '#4a7aa0';
  ctx.font = `26px ${FONT_FAMILY}`;
  ctx.fillText('公民身份号码', 60, 555);
  ctx.fillStyle = '#111111';
  ctx.font = `600 40px ${FONT_FAMILY}`;
  ctx.letterSpacing = '4px';
  ctx.fillText(opts.idNumber, 300, 557);
  ctx.letterSpacing = '0px';
}

/**
 * Camera-like noise over the whole photo: grain on every pixel (±18 levels) plus scattered dark and light
 * specks of dust, 1–2 px.
 */
function drawNoise(ctx: SKRSContext2D, width: number, height: number, random: () => number): void {
  const pixels = ctx.getImageData(0, 0, width, height);
  const data = pixels.data;
  for (let i = 0; i < data.length; i += 4) {
    const grain = Math.round((random() + random() + random() - 1.5) * 24);
    data[i] = clampByte(data[i] + grain);
    data[i + 1] = clampByte(data[i + 1] + grain);
    data[i + 2] = clampByte(data[i + 2] + grain);
  }
  ctx.putImageData(pixels, 0, 0);
  for (let i = 0; i < 2500; i++) {
    const shade = random() < 0.5 ? Math.floor(random() * 90) : 170 + Math.floor(random() * 85);
    ctx.fillStyle = `rgba(${shade}, ${shade}, ${shade}, ${0.3 + random() * 0.5})`;
    const size = 1 + random();
    ctx.fillRect(random() * width, random() * height, size, size);
  }
}

function clampByte(value: number): number {
  return value < 0 ? 0 : value > 255 ? 255 : value;
}

/** A photo of a synthetic ID card front, as PNG (default) or JPEG bytes. */
export async function renderIdCard(opts: IdCardImageOptions): Promise<Buffer> {
  registerFonts();
  const width = CARD_WIDTH + 2 * TABLE_MARGIN;
  const height = CARD_HEIGHT + 2 * TABLE_MARGIN;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');

  ctx.fillStyle = '#7d8085';
  ctx.fillRect(0, 0, width, height);
  ctx.save();
  ctx.translate(width / 2, height / 2);
  ctx.rotate(((opts.rotationDeg ?? 0) * Math.PI) / 180);
  ctx.translate(-CARD_WIDTH / 2, -CARD_HEIGHT / 2);
  drawCard(ctx, opts);
  ctx.restore();

  if (opts.noise) drawNoise(ctx, width, height, seededRandom(`${opts.idNumber}|${opts.name ?? ''}|${opts.rotationDeg ?? 0}`));

  return opts.format === 'jpeg' ? canvas.encode('jpeg', 85) : canvas.encode('png');
}
