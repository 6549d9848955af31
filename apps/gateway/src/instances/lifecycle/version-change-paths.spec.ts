import { ServiceVersion } from '@cam-esc/persistence';
import { versionChangePaths } from './version-change-paths';

function version(id: string, label: string, extra: Record<string, unknown> = {}, status = 'Published'): ServiceVersion {
  return { id, version: label, status, tenantId: 't', serviceId: 's', document: { version: label, ...extra }, publishedAt: null, retiredAt: null, retireOn: null, createdAt: new Date(), updatedAt: new Date() };
}

describe('versionChangePaths', () => {
  const v1 = version('11111111-1111-4111-8111-111111111111', '1.1.1.1');
  const v2 = version('22222222-2222-4222-8222-222222222222', '2.2.2.2', { upgrade_from: [{ version: '1.1.1.1' }], downgrade_to: [{ version: '1.1.1.1' }] });
  const v3 = version('33333333-3333-4333-8333-333333333333', '3.3.3.3', { upgrade_from: [{ version: '2.2.2.2' }] });
  const retired = version('44444444-4444-4444-8444-444444444444', '4.0', { upgrade_from: ['2.2.2.2'] }, 'Retired');

  it("offers the upgrades whose upgrade_from names the current version and the downgrades its downgrade_to names, as the seed's instance at 2.2.2.2", () => {
    const { upgrades, downgrades } = versionChangePaths(v2, [v1, v2, v3, retired]);
    expect(upgrades).toEqual([expect.objectContaining({ fromVersionId: v2.id, toVersionId: v3.id, currentVersionId: v3.id, type: 'UPGRADE', toVersion: '3.3.3.3' })]);
    expect(downgrades).toEqual([expect.objectContaining({ fromVersionId: v2.id, toVersionId: v1.id, currentVersionId: v2.id, type: 'DOWNGRADE', toVersion: '1.1.1.1' })]);
  });

  it('gives each path an id of UUID shape that stays the same, and differs by direction and ends', () => {
    const a = versionChangePaths(v2, [v1, v2, v3]);
    const b = versionChangePaths(v2, [v3, v2, v1]);
    expect(a.upgrades[0].id).toBe(b.upgrades[0].id);
    expect(a.upgrades[0].id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.upgrades[0].id).not.toBe(a.downgrades[0].id);
    expect(versionChangePaths(v1, [v1, v2]).upgrades[0].id).not.toBe(a.upgrades[0].id);
  });

  it('offers nothing when the documents declare nothing', () => {
    expect(versionChangePaths(v1, [v1, version('5', '9.9')])).toEqual({ upgrades: [], downgrades: [] });
  });
});
