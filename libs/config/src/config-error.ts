/** Raised when the environment does not satisfy an app's config schema; `issues` holds one readable line per problem. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
  readonly issues: string[];

  constructor(issues: string[], options?: ErrorOptions) {
    super(issues.join('\n'), options);
    this.issues = issues;
  }
}
