// How a bearer secret is kept (sessions of citizens, staff and console users, host-app tickets): only its
// SHA-256, in hex, is stored and looked up — a database dump holds no usable session. The one definition.
import { createHash } from 'node:crypto';

export function tokenHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
