/**
 * `mail.send`: render the template in the reader's language and send it. Data that does not fit
 * the template and mail the SMTP server refuses for good are dead-lettered at once; a server that
 * is away or defers the mail (4xx) is retried with backoff.
 */
import { currentScope, TransientError, UnrecoverableError, type MessageContext } from '@hotrepos/bus';
import type { PayloadOf } from '@hotrepos/contracts';
import { chooseMailLocale } from '../locale.js';
import type { MailerContext } from '../mailer-context.js';
import { SmtpRejectedError, SmtpUnavailableError } from '../smtp-errors.js';
import { MailDataError } from '../templates/mail-data-error.js';
import { renderMail } from '../templates/render-mail.js';
import type { RenderedMail } from '../templates/template.js';

export async function handleMailSend(app: MailerContext, mail: PayloadOf<'mail.send'>, ctx: MessageContext): Promise<void> {
  const locale = chooseMailLocale(mail.locale, currentScope().locale);
  let rendered: RenderedMail;
  try {
    rendered = renderMail(mail.template, locale, mail.data);
  } catch (err) {
    throw err instanceof MailDataError ? new UnrecoverableError(err.message, { cause: err }) : err;
  }
  try {
    const sent = await app.transport.send({ to: mail.to, ...rendered });
    app.log('send').info({ template: mail.template, mailLocale: locale, to: mail.to, messageId: sent.messageId, deliveries: ctx.deliveryCount }, 'mail sent');
  } catch (err) {
    if (err instanceof SmtpRejectedError) throw new UnrecoverableError(err.message, { cause: err });
    if (err instanceof SmtpUnavailableError) throw new TransientError(err.message, { cause: err });
    throw err;
  }
}
