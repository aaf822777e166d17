// The national government service platform (国家政务服务平台) as this server sees it (B1–B3, H6; issue 9):
// the three GB/T 38963-2020 operations the system uses, behind an interface. The HTTP implementation
// (signed envelopes, 2 s time-out, response signatures checked against pinned keys) is
// nationalPlatformHttp.ts; the stand-in platform of development and tests is server/src/standins/.
// Wire contract and token format: common/src/nationalApi.ts.
import type {
  CodeVerificationResult,
  CorrectionBody,
  CorrectionResult,
  HealthInfoQueryBody,
  NationalKeySet,
  OriginPass,
} from '@bamin/common';

export interface NationalPlatform {
  /** healthInfoQuery: the person's origin pass; null when the platform has none (NOT_FOUND). */
  healthInfoQuery(q: HealthInfoQueryBody): Promise<OriginPass | null>;
  /** codeVerification (验码) of a national 防疫健康信息码 token. */
  codeVerification(token: string): Promise<CodeVerificationResult>;
  /** correction (纠错) of an origin pass. */
  correction(c: CorrectionBody): Promise<CorrectionResult>;
  /** The platform's published token keys (cached; for scanners' offline checks). */
  publishedKeys(): Promise<NationalKeySet>;
}

export type NationalFailure = 'timeout' | 'network' | 'http_5xx' | 'malformed' | 'bad_signature' | 'refused' | 'not_configured';

/** The platform could not answer usefully: callers fall back to local data and retry later. */
export class NationalUnavailableError extends Error {
  constructor(
    readonly failure: NationalFailure,
    message: string,
  ) {
    super(message);
    this.name = 'NationalUnavailableError';
  }
}

/** When no platform is configured: every call fails as not_configured (codes come from local data). */
export const unconfiguredNationalPlatform: NationalPlatform = {
  healthInfoQuery: () => Promise.reject(new NationalUnavailableError('not_configured', 'NATIONAL_PLATFORM_URL is not set')),
  codeVerification: () => Promise.reject(new NationalUnavailableError('not_configured', 'NATIONAL_PLATFORM_URL is not set')),
  correction: () => Promise.reject(new NationalUnavailableError('not_configured', 'NATIONAL_PLATFORM_URL is not set')),
  publishedKeys: () => Promise.reject(new NationalUnavailableError('not_configured', 'NATIONAL_PLATFORM_URL is not set')),
};
