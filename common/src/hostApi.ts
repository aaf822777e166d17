// Embedding in a host super-app (闽政通; H7; issue 10): the host signs its user in, then hands the plugin a
// short-lived ticket signed with the host's key; the plugin trades it for a citizen session here.
//
// Ticket text: "HT1.<payload>.<signature>": payload = base64url(JSON of HostTicketPayload), signature =
// base64url of the host's signature over the payload text's bytes — Ed25519, or RSA PKCS#1 v1.5 with
// SHA-256 (RS256) — under the key registered for `iss` in this server's configuration (HOST_APPS_FILE).
// The server refuses, each with its own error code (HOST_TICKET_ERRORS): a malformed ticket, an unknown
// host, a bad signature, an expired ticket (or one valid for longer than HOST_TICKET_MAX_TTL_SECONDS), a
// ticket for another audience, and a ticket used before (single use by jti).

export const HOST_TICKET_PREFIX = 'HT1';
/** This service's audience name; a host's ticket must carry exactly this `aud` (or the configured one). */
export const HOST_TICKET_DEFAULT_AUDIENCE = 'bamin-health-code';
export const HOST_TICKET_MAX_TTL_SECONDS = 300;
/** Tolerance for the host's clock running ahead. */
export const HOST_TICKET_CLOCK_SKEW_SECONDS = 30;

export interface HostTicketPayload {
  v: 1;
  /** the host app id registered here */
  iss: string;
  aud: string;
  /** unique per ticket: single use */
  jti: string;
  /** seconds since the epoch */
  iat: number;
  exp: number;
  /** the host's own user id */
  sub: string;
  /** the host asserts it verified this user at level 4 (face check); required */
  l4: true;
  name: string;
  idType: 'resident_id';
  idNumber: string;
  /** the user's mobile number as the host verified it */
  phone: string;
}

export const HOST_TICKET_ERRORS = [
  'HOST_TICKET_MALFORMED',
  'HOST_UNKNOWN',
  'HOST_TICKET_FORGED',
  'HOST_TICKET_EXPIRED',
  'HOST_TICKET_WRONG_AUDIENCE',
  'HOST_TICKET_REPLAYED',
] as const;
export type HostTicketError = (typeof HOST_TICKET_ERRORS)[number];

/**
 * POST /api/v1/app/host-sessions { ticket } → 201 HostSignInResult (the same session the SMS sign-in gives,
 * already L4: the host's assertion is recorded with the host's id). Refusals: 400 HOST_TICKET_MALFORMED,
 * 401 HOST_UNKNOWN / HOST_TICKET_FORGED / HOST_TICKET_EXPIRED / HOST_TICKET_WRONG_AUDIENCE,
 * 409 HOST_TICKET_REPLAYED, 409 IDENTITY_TAKEN (the ID number belongs to another account).
 */
export interface HostSignInRequest {
  ticket: string;
}
export interface HostSignInResult {
  token: string;
  expiresAt: string;
  /** who asserted L4 */
  host: { appId: string; name: string };
}

/** The plugin's `main` interface for the host (plugin.json "main"). */
export interface PluginMain {
  /** Trades a host ticket for a session kept by the plugin. */
  signIn(hostTicket: string): Promise<{ ok: true } | { ok: false; code: string; message: string }>;
  /** Colour and code number of the signed-in citizen's own code (null before the first code). */
  getCodeSummary(): Promise<{ colour: 'green' | 'orange'; colourText: string; codeNumber: string } | null>;
  /** Opens one of the plugin's pages. */
  open(page: PluginPage): Promise<void>;
}
export const PLUGIN_PAGES = ['code', 'report', 'register', 'scanner'] as const;
export type PluginPage = (typeof PLUGIN_PAGES)[number];
