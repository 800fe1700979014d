/**
 * What the test SMTP server refuses, and how: a queue of one-off failures (`failNext`) and
 * standing rules for recipients (`reject`). Kept apart from the server so the rules read on their own.
 */

/** Where in the SMTP transaction a refusal is given: at `RCPT TO` (one recipient) or after `DATA` (the whole message). */
export type SmtpStage = 'rcpt' | 'data';

export interface SmtpFailure {
  /** 4xx is a temporary refusal (the client should retry), 5xx a permanent one. */
  readonly code: number;
  readonly stage: SmtpStage;
  /** The reply text after the code; a generic one for the code when left out. */
  readonly message?: string;
}

/** A refusal the server gave, as the client saw it. */
export interface SmtpRefusal {
  readonly stage: SmtpStage;
  readonly code: number;
  readonly message: string;
  /** The recipient refused at `RCPT TO`; absent for a refused message. */
  readonly address?: string;
}

interface RecipientRule {
  readonly matches: (address: string) => boolean;
  readonly code: number;
  readonly message: string | undefined;
}

function defaultMessage(code: number, address?: string): string {
  if (code >= 500) return address ? `5.1.1 <${address}>: Recipient address rejected: mailbox unavailable` : '5.6.0 Message rejected';
  return '4.3.0 Temporary failure, try again later';
}

export class ScriptedReplies {
  readonly #pending: { remaining: number; failure: SmtpFailure }[] = [];
  readonly #rules: RecipientRule[] = [];

  failNext(count: number, failure: SmtpFailure): void {
    if (count > 0) this.#pending.push({ remaining: count, failure });
  }

  reject(pattern: string | RegExp, code: number, message?: string): void {
    const matches = typeof pattern === 'string' ? (a: string) => a.toLowerCase() === pattern.toLowerCase() : (a: string) => pattern.test(a);
    this.#rules.push({ matches, code, message });
  }

  /** The refusal for this recipient or message, if any; a one-off failure is used up by answering with it. */
  refusal(stage: SmtpStage, address?: string): SmtpRefusal | undefined {
    if (stage === 'rcpt' && address !== undefined) {
      const rule = this.#rules.find((r) => r.matches(address));
      if (rule) return { stage, code: rule.code, message: rule.message ?? defaultMessage(rule.code, address), address };
    }
    const next = this.#pending.find((p) => p.failure.stage === stage);
    if (!next) return undefined;
    if (--next.remaining === 0) this.#pending.splice(this.#pending.indexOf(next), 1);
    const { code, message } = next.failure;
    return { stage, code, message: message ?? defaultMessage(code, address), ...(address !== undefined ? { address } : {}) };
  }
}
