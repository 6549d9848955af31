import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OperationRequest } from '../common/operation-runner';
import { SimulatedFailureException } from '../common/simulated-failure.exception';
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

  /** Throws the forced synchronous answer of a matching `respond` rule (consumed if found). */
  assertNoResponseFault(operation: FaultOperation, target: FaultTarget): void {
    const fault = this.take(operation, target, (rule) => rule.respond !== undefined)?.respond;
    if (fault) throw new SimulatedFailureException(fault.status, fault.body ?? `Simulated ${operation} failure`);
  }

  /**
   * A fresh transaction for an accepted request, carrying the failure or silence of a matching
   * `callback`/`silent` rule (consumed if found). Rules that also have `respond` are left to
   * assertNoResponseFault, which runs first.
   */
  operationRequest(operation: FaultOperation, target: FaultTarget, callbackUrl: string | undefined): OperationRequest {
    const rule = this.take(operation, target, (candidate) => candidate.respond === undefined);
    return {
      transactionId: randomUUID(),
      ...(callbackUrl !== undefined && { callbackUrl }),
      ...(rule?.callback && { failure: { statusCode: rule.callback.statusCode, message: rule.callback.message } }),
      ...(rule?.silent && { silent: true }),
    };
  }

  private take(operation: FaultOperation, target: FaultTarget, kind: (rule: FaultRule) => boolean): FaultRule | undefined {
    const rule = this.rules.find((candidate) => kind(candidate) && ruleMatches(candidate, operation, target));
    if (rule) rule.hits += 1;
    return rule;
  }
}
