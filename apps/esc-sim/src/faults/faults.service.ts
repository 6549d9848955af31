import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { FaultOperation, FaultRule, FaultRuleInput, FaultTarget, ruleMatches } from './fault-rule';

/** Rules are tried in the order they were added; the first match applies and counts a hit. */
@Injectable()
export class FaultsService {
  private rules: FaultRule[] = [];

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { id: randomUUID(), ...input, hits: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  remove(id: string): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  clear(): void {
    this.rules = [];
  }

  /** A rule that makes the synchronous answer fail, consumed if found. */
  takeResponseFault(operation: FaultOperation, target: FaultTarget): FaultRule['respond'] {
    return this.take(operation, target, (rule) => rule.respond !== undefined)?.respond;
  }

  /**
   * A rule that makes the final service callback fail, consumed if found. Rules that also have
   * `respond` are left to takeResponseFault, which runs first.
   */
  takeCallbackFault(operation: FaultOperation, target: FaultTarget): FaultRule['callback'] {
    return this.take(operation, target, (rule) => rule.callback !== undefined && rule.respond === undefined)?.callback;
  }

  private take(operation: FaultOperation, target: FaultTarget, kind: (rule: FaultRule) => boolean): FaultRule | undefined {
    const rule = this.rules.find((candidate) => kind(candidate) && ruleMatches(candidate, operation, target));
    if (rule) rule.hits += 1;
    return rule;
  }
}
