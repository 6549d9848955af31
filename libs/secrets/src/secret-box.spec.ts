import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('opens what it sealed, each time under a fresh data key', () => {
    const plain = 'esc-secret-pw ünïcödé 🔑';
    const a = box.seal(plain);
    const b = box.seal(plain);
    expect(a).not.toEqual(b);
    expect(a).toMatch(/^v1(\.[A-Za-z0-9_-]+){4}\.[A-Za-z0-9_-]*$/);
    expect(a).not.toContain(plain);
    expect(box.open(a)).toBe(plain);
    expect(box.open(box.seal(''))).toBe('');
  });

  it('refuses another master key, saying so', () => {
    const sealed = box.seal('x');
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(/sealed under another SECRETS_KEY/);
  });

  it.each([
    ['the ciphertext', 5],
    ['the tag', 4],
    ['the iv', 3],
    ['the wrapped key', 2],
  ])('refuses an altered %s without giving out the plaintext', (_what, part) => {
    const parts = box.seal('top secret').split('.');
    const bytes = Buffer.from(parts[part], 'base64url');
    bytes[0] ^= 1;
    parts[part] = bytes.toString('base64url');
    expect(() => box.open(parts.join('.'))).toThrow(new SecretBoxError('the sealed secret failed its integrity check: it was altered or is corrupt'));
  });

  it("refuses a part taken from another secret's envelope", () => {
    const [a, b] = [box.seal('one').split('.'), box.seal('two').split('.')];
    expect(() => box.open([...a.slice(0, 3), ...b.slice(3)].join('.'))).toThrow(SecretBoxError);
  });

  it.each(['', 'plain text', 'v1.a.b.c.d', 'v2.a.b.c.d.e', 'v1.a.b.c.d.e!'])('refuses %p as not sealed', (text) => {
    expect(() => box.open(text)).toThrow(SecretBoxError);
  });

  it('takes a 32-byte master key only', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow('the master key must be 32 bytes');
  });
});
