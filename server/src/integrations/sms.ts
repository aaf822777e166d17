// SMS adapter. Production configures a real gateway; development and tests use the outbox, which keeps
// what would have been sent so a tester (or a browser test) can read the code.
export interface SmsSender {
  readonly name: string;
  send(phone: string, text: string): Promise<void>;
}

export interface OutboxMessage {
  phone: string;
  text: string;
  at: Date;
}

export class DevSmsOutbox implements SmsSender {
  readonly name = 'dev-outbox';
  private readonly messages: OutboxMessage[] = [];

  async send(phone: string, text: string): Promise<void> {
    this.messages.push({ phone, text, at: new Date() });
    if (this.messages.length > 1000) this.messages.shift();
  }

  /** Newest first. */
  read(phone: string): OutboxMessage[] {
    return this.messages.filter((m) => m.phone === phone).reverse();
  }

  latestCode(phone: string): string | null {
    const m = this.read(phone)[0];
    return m ? (/\d{6}/.exec(m.text)?.[0] ?? null) : null;
  }
}
