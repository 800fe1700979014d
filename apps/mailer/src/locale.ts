/**
 * Which language a mail is written in. The mailer has wording for a few languages; any other
 * language tag falls back along its prefixes (`de-AT` → `de`) and then to English.
 */

export const MAIL_LOCALES = ['en', 'de', 'fr'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

const DEFAULT_MAIL_LOCALE: MailLocale = 'en';

const isMailLocale = (tag: string): tag is MailLocale => (MAIL_LOCALES as readonly string[]).includes(tag);

/** The closest language we have for a BCP 47 tag: `de-AT` → `de`, `es` → `en`, none → `en`. */
export function mailLocale(tag: string | undefined): MailLocale {
  const subtags = (tag ?? '').toLowerCase().split('-');
  for (let n = subtags.length; n > 0; n--) {
    const candidate = subtags.slice(0, n).join('-');
    if (isMailLocale(candidate)) return candidate;
  }
  return DEFAULT_MAIL_LOCALE;
}

/**
 * A locale on the `mail.send` payload wins over the one inherited from the message's scope (the
 * requester's); it is not combined with it, so an explicit `es` means English, not the scope's `de`.
 */
export function chooseMailLocale(explicit: string | undefined, inherited: string | undefined): MailLocale {
  return mailLocale(explicit ?? inherited);
}
