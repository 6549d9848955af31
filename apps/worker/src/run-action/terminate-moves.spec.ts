import { deletionOrder } from './terminate-moves';

describe('deletionOrder', () => {
  const at = (s: number) => new Date(2026, 0, 1, 0, 0, s);
  it("deletes custom actions' resources first (newest first), then the flow's last step first, the newest row of a step first", () => {
    const rows = [
      { name: 'tenant', scope: 'provision', sequenceNo: 0, createdAt: at(1) },
      { name: 'deployment (replaced)', scope: 'provision', sequenceNo: 1, createdAt: at(2) },
      { name: 'custom network', scope: 'action-1', sequenceNo: 0, createdAt: at(3) },
      { name: 'deployment', scope: 'provision', sequenceNo: 1, createdAt: at(4) },
      { name: 'custom hook', scope: 'action-2', sequenceNo: 0, createdAt: at(5) },
      { name: 'error step', scope: 'provision', sequenceNo: 1000, createdAt: at(6) },
    ];
    expect(deletionOrder(rows).map((r) => r.name)).toEqual(['custom hook', 'custom network', 'error step', 'deployment', 'deployment (replaced)', 'tenant']);
  });
});
