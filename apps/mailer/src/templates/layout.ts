/** What every mail shares: the greeting, the signature, label punctuation, and the HTML page around the body. */
import type { MailLocale } from '../locale.js';
import { html, type SafeHtml } from './html.js';

interface Common {
  readonly greeting: string;
  /** French puts a (non-breaking) space before a colon. */
  readonly colon: string;
}

const common: Record<MailLocale, Common> = {
  en: { greeting: 'Hello,', colon: ': ' },
  de: { greeting: 'Hallo,', colon: ': ' },
  fr: { greeting: 'Bonjour,', colon: '\u00a0: ' },
};

export const greeting = (locale: MailLocale): string => common[locale].greeting;

/** `Label: value`, punctuated for the locale. */
export const labelled = (locale: MailLocale, label: string, value: string): string => `${label}${common[locale].colon}${value}`;

/** Paragraphs separated by a blank line, then the signature; undefined paragraphs are left out. */
export function textMail(paragraphs: readonly (string | undefined)[]): string {
  return [...paragraphs.filter((p) => p !== undefined), '-- \nhotrepos'].join('\n\n') + '\n';
}

export function htmlMail(locale: MailLocale, title: string, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; line-height: 1.4; color: #222">
${body}
<p style="color: #777">hotrepos</p>
</body>
</html>
`.value;
}
