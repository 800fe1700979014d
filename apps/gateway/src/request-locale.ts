/** The request's preferred language from `Accept-Language`, as a tag the `Locale` contract accepts. */
import { Locale } from '@hotrepos/contracts';
import Negotiator from 'negotiator';

export function preferredLocale(acceptLanguage: string | undefined): string | undefined {
  if (!acceptLanguage) return undefined;
  // Ordered by quality, q=0 left out; `*` and malformed tags are skipped for the next one.
  const languages = new Negotiator({ headers: { 'accept-language': acceptLanguage } }).languages();
  return languages.find((tag) => Locale.safeParse(tag).success);
}
