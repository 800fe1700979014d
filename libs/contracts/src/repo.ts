import { z } from 'zod';
import { IsoDateTime, WebUrl } from './scalars.js';

/**
 * A repository as the reports need it. GitHub's search items are ~5 KB each; keeping only these
 * fields lets a page of 100 travel as one NATS message well under the default 1 MB limit.
 */
export const Repo = z
  .strictObject({
    id: z.int().positive(),
    fullName: z
      .string()
      .max(256)
      .regex(/^[^/\s]+\/[^/\s]+$/, 'Expected "owner/name"'),
    // Only web links: the URL is written into CSV files and e-mails.
    htmlUrl: WebUrl,
    // Generous: GitHub caps descriptions far lower; the bound only protects the message size.
    description: z.string().max(4096).nullable(),
    language: z.string().min(1).max(100).nullable(),
    stars: z.int().nonnegative(),
    forks: z.int().nonnegative(),
    createdAt: IsoDateTime,
  })
  .describe('A GitHub repository, trimmed to the fields a report uses');
export type Repo = z.infer<typeof Repo>;
