/** Decides which injected fault, if any, a search request gets, and counts what each rule did. */
import type { FaultRule } from './fixture-options.js';

export interface FaultProbe {
  readonly page: number;
  readonly qDay: string | undefined;
}

export class FaultRules {
  private readonly matched: number[];
  private readonly fired: number[];

  constructor(private readonly rules: readonly FaultRule[]) {
    this.matched = rules.map(() => 0);
    this.fired = rules.map(() => 0);
  }

  /**
   * Every rule that matches counts the request toward its `nth`, whether or not it fires; the
   * first rule that is due fires, so rules never stack on one request.
   */
  pick(probe: FaultProbe): FaultRule | undefined {
    let chosen: FaultRule | undefined;
    this.rules.forEach((rule, i) => {
      const { page, since, nth = 1, times = 1 } = rule.match;
      if (page !== undefined && page !== probe.page) return;
      if (since !== undefined && since !== probe.qDay) return;
      const seen = ++this.matched[i]!;
      if (chosen || seen < nth || this.fired[i]! >= times) return;
      this.fired[i]!++;
      chosen = rule;
    });
    return chosen;
  }

  /** How often each rule fired, in the order of the rules. */
  hits(): readonly number[] {
    return [...this.fired];
  }
}
