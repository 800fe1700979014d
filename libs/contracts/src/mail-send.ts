import { z } from 'zod';
import { Email, Locale } from './scalars.js';

/** The mailer owns the wording; producers pick a template and hand it the data. */
export const MailTemplate = z.enum(['report-ready', 'report-failed', 'error-digest']);
export type MailTemplate = z.infer<typeof MailTemplate>;

/** `mail.send`: an e-mail to send. */
export const MailSend = z
  .strictObject({
    to: z.array(Email).min(1).max(50),
    template: MailTemplate,
    // Open on purpose: each template reads its own fields and the mailer checks them.
    data: z.record(z.string(), z.unknown()),
    locale: Locale.optional(),
  })
  .describe('An e-mail to send from a template');
export type MailSend = z.infer<typeof MailSend>;
