import type { Logger } from '@hotrepos/logging';
import type { ErrorDigester } from './digest/error-digester.js';
import type { MailTransport } from './mail-transport.js';

/** What the handlers share. */
export interface MailerContext {
  readonly transport: MailTransport;
  /** Undefined when ADMINS is empty: reported errors are then logged only. */
  readonly digests: ErrorDigester | undefined;
  /** The per-task logger (`LOG_DIR/mailer.<task>.log` and stdout). */
  log(task: 'send' | 'digest'): Logger;
}
