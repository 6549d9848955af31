import { FAULT_KINDS, planFaults, random, scheduleGlobalFaults } from './faults';

describe('chaos fault plan', () => {
  const names = Array.from({ length: 20 }, (_, i) => `chaos-${i}`);

  it('gives every kind of ESC trouble to creates and deletes, one fault per instance and operation, the same for the same seed', () => {
    const plan = planFaults(names, random(7));
    for (const operation of ['create', 'delete'] as const) {
      const kinds = [...plan.values()].map((p) => p[operation]).filter(Boolean);
      expect(new Set(kinds)).toEqual(new Set(FAULT_KINDS));
    }
    expect([...planFaults(names, random(7))]).toEqual([...plan]);
    expect([...planFaults(names, random(8))]).not.toEqual([...plan]);
  });

  it('spreads the stack-wide faults over the run, interleaved, before `until`', () => {
    const schedule = scheduleGlobalFaults({ down: 2, kill: 2, flush: 1 }, 0.6);
    expect(schedule.map((s) => s.fault)).toEqual(['down', 'kill', 'flush', 'down', 'kill']);
    schedule.forEach((s, i) => expect(s.at).toBeCloseTo(0.1 * (i + 1)));
  });
});
