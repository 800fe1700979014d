/** The CSV's name: the product's promise is `github-hot-repos-<date>.csv`, dated by the `since` day. */
export function reportFileName(since: string): string {
  return `github-hot-repos-${since}.csv`;
}

/** The object-store key: one object per report, so two reports for the same day never overwrite each other. */
export function reportObjectKey(reportId: string, since: string): string {
  return `${reportId}/${reportFileName(since)}`;
}
