import { AuditRepository, NewAuditEntry } from '@cam-esc/persistence';
import { AuditWriter } from './audit-writer';

const entry = (n: number): NewAuditEntry => ({ at: new Date(), tenantId: 't', subject: `s${n}`, via: 'api-token', roles: ['admin'], method: 'POST', call: 'POST /x', path: '/x', targetIds: [], status: 200, requestId: null, source: null });

describe('AuditWriter', () => {
  const written: NewAuditEntry[][] = [];
  const repo = { append: async (entries: NewAuditEntry[]) => void written.push(entries) } as unknown as AuditRepository;
  beforeEach(() => (written.length = 0));

  it('writes the entries of a moment together, within a tenth of a second', async () => {
    const writer = new AuditWriter(repo);
    for (let i = 0; i < 5; i++) writer.add(entry(i));
    expect(written).toEqual([]);
    await new Promise((r) => setTimeout(r, 150));
    expect(written.map((b) => b.map((e) => e.subject))).toEqual([['s0', 's1', 's2', 's3', 's4']]);
  });

  it('writes each entry of a batch the database refused on its own: one bad entry loses only itself', async () => {
    const refusing = { append: async (entries: NewAuditEntry[]) => (entries.some((e) => e.subject === 's1') ? Promise.reject(new Error('invalid byte sequence')) : void written.push(entries)) } as unknown as AuditRepository;
    const writer = new AuditWriter(refusing);
    for (let i = 0; i < 3; i++) writer.add(entry(i));
    await writer.beforeApplicationShutdown();
    expect(written.map((b) => b.map((e) => e.subject))).toEqual([['s0'], ['s2']]);
  });

  it('writes what still waits when the gateway stops', async () => {
    const writer = new AuditWriter(repo);
    writer.add(entry(1));
    await writer.beforeApplicationShutdown();
    expect(written.map((b) => b.length)).toEqual([1]);
  });
});
