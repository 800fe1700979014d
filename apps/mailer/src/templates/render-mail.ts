/** The templates by name: what the mailer can write, and the one place a template is looked up. */
import type { MailTemplate } from '@hotrepos/contracts';
import type { MailLocale } from '../locale.js';
import { errorDigest } from './error-digest.js';
import { reportFailed } from './report-failed.js';
import { reportReady } from './report-ready.js';
import type { RenderedMail, Template } from './template.js';

const templates: Record<MailTemplate, Template> = {
  'report-ready': reportReady,
  'report-failed': reportFailed,
  'error-digest': errorDigest,
};

/** Throws `MailDataError` when `data` does not fit the template. */
export function renderMail(template: MailTemplate, locale: MailLocale, data: unknown): RenderedMail {
  return templates[template].render(data, locale);
}
