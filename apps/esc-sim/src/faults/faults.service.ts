import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AnswerFault } from '../common/esc-request';
import { OperationRequest } from '../common/operation-runner';
import { DroppedRequestException, SimulatedFailureException } from '../common/simulated-failure.exception';
import { DownPeriod } from './down-period';
import { FaultOperation, FaultRule, FaultRuleInput, FaultTarget, ruleMatches } from './fault-rule';

interface Down {
  id: string;
  ms: number;
  startedAt: number;
  endsAt: number;
  hits: number;
}

/**
 * Rules are tried in the order they were added; the first match applies and counts a hit.
 * Also holds the down period (POST /_sim/down), listed after the rules until cleared.
 */
@Injectable()
export class FaultsService {
  private rules: FaultRule[] = [];
  private down?: Down;

  add(input: FaultRuleInput): FaultRule {
    const rule: FaultRule = { id: randomUUID(), ...input, hits: 0 };
    this.rules.push(rule);
    return rule;
  }

  list(): Array<FaultRule | DownPeriod> {
    const rules: Array<FaultRule | DownPeriod> = this.rules.map((rule) => ({ ...rule }));
    return this.down ? [...rules, downPeriod(this.down)] : rules;
  }

  remove(id: string): boolean {
    if (this.down?.id === id) {
      this.down = undefined;
      return true;
    }
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule and the down period (ending it). */
  clear(): void {
    this.rules = [];
    this.down = undefined;
  }

  /** Starts a down period of `ms` from now, replacing any earlier one. */
  startDown(ms: number): DownPeriod {
    const now = Date.now();
    this.down = { id: randomUUID(), ms, startedAt: now, endsAt: now + ms, hits: 0 };
    return downPeriod(this.down);
  }

  /** Ends the down period now, if one runs (it stays listed, inactive). */
  endDown(): void {
    if (this.down && this.down.endsAt > Date.now()) this.down.endsAt = Date.now();
  }

  currentDown(): DownPeriod | undefined {
    return this.down && downPeriod(this.down);
  }

  /** True (counting a hit) if a request arriving now must be refused unanswered. */
  refuseWhileDown(): boolean {
    if (!this.down || Date.now() >= this.down.endsAt) return false;
    this.down.hits += 1;
    return true;
  }

  /** Throws the forced synchronous answer of a matching `respond` rule, or the drop of a `dropRequest` one (consumed if found). */
  assertNoResponseFault(operation: FaultOperation, target: FaultTarget): void {
    const rule = this.take(operation, target, (candidate) => candidate.respond !== undefined || candidate.dropRequest === true);
    if (rule?.dropRequest) throw new DroppedRequestException(rule.delayMs);
    if (rule?.respond) {
      const { status, body, headers } = rule.respond;
      throw new SimulatedFailureException(status, body ?? `Simulated ${operation} failure`, headers, rule.delayMs);
    }
  }

  /**
   * A fresh transaction for an accepted request, carrying the failure, silence, delay or lost
   * answer of a matching rule without `respond` (consumed if found). Rules that have `respond`
   * are left to assertNoResponseFault, which runs first.
   */
  operationRequest(operation: FaultOperation, target: FaultTarget, callbackUrl: string | undefined): OperationRequest {
    const rule = this.take(operation, target, (candidate) => candidate.respond === undefined && !candidate.dropRequest);
    const answer = rule && answerFault(rule);
    return {
      transactionId: randomUUID(),
      ...(callbackUrl !== undefined && { callbackUrl }),
      ...(rule?.callback && { failure: { statusCode: rule.callback.statusCode, message: rule.callback.message } }),
      ...(rule?.silent && { silent: true }),
      ...(answer && { answer }),
    };
  }

  private take(operation: FaultOperation, target: FaultTarget, kind: (rule: FaultRule) => boolean): FaultRule | undefined {
    const rule = this.rules.find((candidate) => kind(candidate) && ruleMatches(candidate, operation, target));
    if (rule) rule.hits += 1;
    return rule;
  }
}

function answerFault(rule: FaultRule): AnswerFault | undefined {
  const delayMs = rule.delayMs ?? 0;
  if (!rule.loseAnswer && delayMs === 0) return undefined;
  return { ...(delayMs > 0 && { delayMs }), ...(rule.loseAnswer && { lose: true }) };
}

function downPeriod(down: Down): DownPeriod {
  const { id, ms, startedAt, endsAt, hits } = down;
  return {
    id,
    down: { ms, startedAt: new Date(startedAt).toISOString(), endsAt: new Date(endsAt).toISOString(), active: Date.now() < endsAt },
    hits,
  };
}
