/** A mail template: the data it needs (a zod schema) and how it reads in each language. */
import { z } from 'zod';
import type { MailLocale } from '../locale.js';
import { MailDataError } from './mail-data-error.js';

export interface RenderedMail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

export interface Template {
  /** Checks `data` against the template's schema first; throws `MailDataError` when it does not fit. */
  render(data: unknown, locale: MailLocale): RenderedMail;
}

export function defineTemplate<S extends z.ZodType>(name: string, schema: S, render: (data: z.output<S>, locale: MailLocale) => RenderedMail): Template {
  return {
    render(data, locale) {
      const parsed = schema.safeParse(data);
      if (!parsed.success) throw new MailDataError(name, z.prettifyError(parsed.error), { cause: parsed.error });
      return render(parsed.data, locale);
    },
  };
}
