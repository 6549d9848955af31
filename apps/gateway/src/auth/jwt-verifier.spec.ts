import { claim, looksLikeJwt } from './jwt-verifier';

describe('JWT claims', () => {
  it('reads a claim by name, or by a dotted path into nested claims', () => {
    const payload = { tenant: 'acme', 'https://example/roles': ['x'], realm_access: { roles: ['cam-ops'] } };
    expect(claim(payload, 'tenant')).toBe('acme');
    expect(claim(payload, 'https://example/roles')).toEqual(['x']);
    expect(claim(payload, 'realm_access.roles')).toEqual(['cam-ops']);
    expect(claim(payload, 'realm_access.missing.deeper')).toBeUndefined();
  });

  it('tells a JWT from an opaque token', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln')).toBe(true);
    expect(looksLikeJwt('dev-token')).toBe(false);
  });
});
