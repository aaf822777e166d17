// L4 real-name check (face verification) adapter (A1). A real provider compares a live face with the
// photo of the ID number claimed; the development provider passes when the user confirms.
import { randomBytes } from 'node:crypto';
export interface FaceCheckProvider {
  readonly name: string;
  /** Starts a check for the claimed identity; returns the provider's reference. */
  start(claim: { name: string; idMasked: string }): Promise<string>;
  /** The outcome for the evidence the app sends back. */
  finish(reference: string, evidence: { confirmed: boolean }): Promise<'passed' | 'failed'>;
}

export class DevFaceCheck implements FaceCheckProvider {
  readonly name = 'dev-confirm';
  async start(): Promise<string> {
    return `dev-${randomBytes(8).toString('hex')}`;
  }
  async finish(_reference: string, evidence: { confirmed: boolean }): Promise<'passed' | 'failed'> {
    return evidence.confirmed === true ? 'passed' : 'failed';
  }
}
