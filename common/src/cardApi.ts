// Contract of the printed code card (健康码卡片, H4; issue 11), shared by the server, the mini-program and the
// scanner. For a person without a phone, the person themself (signed in elsewhere) or the family member who
// applied for them prints a card: the masked name and a QR of a long-lived, colourless `card` token. The
// card never shows a colour: a scanner online always shows the current colour, offline only the card's
// validity with a warning. Every route needs a citizen session (`Authorization: Bearer …`).
//
// POST /api/v1/app/cards { holder } → 201 CardView. holder: 'self' or a family holder id of GET /api/v1/app/codes.
//   409 CARD_ACTIVE when the holder already has an active card: a second one is never issued beside it;
//   補办 (reissue) is its own call below, which revokes the old card in the same transaction.
//   404 FAMILY_NOT_FOUND for a holder the caller may not act for; 409 CODE_NOT_GENERATED without a code.
// GET  /api/v1/app/cards?holder=… → CardList: the holder's cards, newest first (active, revoked, expired).
// POST /api/v1/app/cards/:cardId/revoke { reason? } → 200 CardView (status revoked). 作废.
// POST /api/v1/app/cards/:cardId/reissue → 201 CardView: the new card; the old one is revoked (补办).
//   Both: 404 CARD_NOT_FOUND for a card of someone the caller may not act for; 409 CARD_NOT_ACTIVE when the
//   card is already revoked or expired.
// GET  /api/v1/app/cards/:cardId/pdf → application/pdf, one A6 page (105 × 148 mm), for printing.
// GET  /api/v1/app/cards/:cardId/png → image/png of the same layout (300 dpi), the screen preview.
//   Only an active card is rendered (409 CARD_NOT_ACTIVE otherwise): a void card is never printed again.
//
// Scanning a card (POST /api/v1/staff/scans { token }): the current colour, ScanResult.card set; a revoked
// card is refused with CARD_REVOKED, an expired one with CARD_EXPIRED.
import { shanghaiDay } from './dates';

export const CARD_STATUSES = ['active', 'revoked', 'expired'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];
export const CARD_STATUS_TEXT: Record<CardStatus, string> = { active: '有效', revoked: '已作废', expired: '已过期' };

/** Validity of a new card when CARD_TTL_DAYS is not set; the server accepts 1–90. */
export const CARD_TTL_DAYS_DEFAULT = 14;

export interface CardIssueRequest {
  holder: string;
}
export interface CardRevokeRequest {
  /** Why, e.g. 卡片遗失; at most 100 characters. Default 用户作废. */
  reason?: string;
}

export interface CardView {
  cardId: number;
  /** 'self' or the family holder id, as seen by the caller. */
  holder: string;
  nameMasked: string;
  issuedAt: string;
  expiresAt: string;
  /** The Shanghai calendar day printed as 有效期至 (the day of expiresAt). */
  validUntil: string;
  status: CardStatus;
  statusText: string;
  revokedAt: string | null;
  revokeReason: string | null;
}

export interface CardList {
  cards: CardView[];
}

export const CARD_TITLE = '八闽健康码 · 健康码卡片';
export const CARD_NOTICE = '本卡不显示健康码颜色，以扫码核验结果为准；遗失请及时作废补办';
/** What a scanner shows for a card checked offline: the colour cannot be known without the server. */
export const CARD_OFFLINE_WARNING = '离线核验：无法确认当前健康码颜色，请联网后复核';
/** The marker a scan result shows for a card, before its validity. */
export const CARD_SCAN_TEXT = '健康码卡片';
export const CARD_DEFAULT_REVOKE_REASON = '用户作废';
export const CARD_REISSUE_REASON = '补办新卡';

/** 有效期至 YYYY-MM-DD: the Shanghai day of the card's expiry. */
export function cardValidUntil(expiresAt: Date | string | number): string {
  return shanghaiDay(new Date(expiresAt));
}

export function cardValidityText(expiresAt: Date | string | number): string {
  return `有效期至 ${cardValidUntil(expiresAt)}`;
}
