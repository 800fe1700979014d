/** Dates, sizes and plurals written the way the reader's language writes them. */
import type { MailLocale } from '../locale.js';

/** Times are in UTC, said so, since the services and their readers may be anywhere. */
export function formatDateTime(locale: MailLocale, iso: string): string {
  return `${new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }).format(new Date(iso))} UTC`;
}

/** A calendar day (`YYYY-MM-DD`), which has no time zone to speak of. */
export function formatDate(locale: MailLocale, day: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
}

const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

export function formatBytes(locale: MailLocale, bytes: number): string {
  const power = Math.min(units.length - 1, bytes > 0 ? Math.floor(Math.log10(bytes) / 3) : 0);
  return new Intl.NumberFormat(locale, { style: 'unit', unit: units[power], unitDisplay: 'short', maximumFractionDigits: 1 }).format(bytes / 1000 ** power);
}

/** `forms.one` or `forms.other` by the locale's plural rule (French counts 0 as singular). */
export function plural(locale: MailLocale, count: number, forms: { readonly one: string; readonly other: string }): string {
  return new Intl.PluralRules(locale).select(count) === 'one' ? forms.one : forms.other;
}
