import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/** A sealed secret could not be opened: another master key, or altered text. Never carries the plaintext. */
export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Envelope encryption of secrets at rest. Each secret gets a random AES-256-GCM data key; the
 * data key is itself sealed (AES-256-GCM) by the master key of SECRETS_KEY. The result is one
 * self-describing string, every part base64url:
 *
 *   v1.<master key id>.<wrapped data key: iv|tag|key>.<iv>.<tag>.<ciphertext>
 *
 * The key id (a hash prefix of the master key) tells "sealed under another SECRETS_KEY" apart
 * from "altered". The header up to the wrapped key is the data cipher's additional data, so no
 * part can be swapped for another secret's.
 */
export class SecretBox {
  readonly keyId: string;
  /** Keys sealed with before this one (a rotation under way): opened, never sealed with. */
  private readonly previous = new Map<string, Buffer>();

  constructor(
    private readonly masterKey: Buffer,
    previousKeys: readonly Buffer[] = [],
  ) {
    if (masterKey.length !== KEY_BYTES) throw new Error(`the master key must be ${KEY_BYTES} bytes`);
    this.keyId = masterKeyId(masterKey);
    for (const key of previousKeys) if (masterKeyId(key) !== this.keyId) this.previous.set(masterKeyId(key), key);
  }

  /** Whether a sealed secret is sealed under this box's own (current) key. */
  sealedWithCurrentKey(sealed: string): boolean {
    return sealed.startsWith(`${VERSION}.${this.keyId}.`);
  }

  /** The secret sealed anew under the current key (a rotation); unchanged when it already is. */
  reseal(sealed: string): string {
    return this.sealedWithCurrentKey(sealed) ? sealed : this.seal(this.open(sealed));
  }

  seal(plain: string): string {
    const dataKey = randomBytes(KEY_BYTES);
    const wrapped = b64(Buffer.concat(encrypt(this.masterKey, dataKey, Buffer.from(`${VERSION}.${this.keyId}`))));
    const header = `${VERSION}.${this.keyId}.${wrapped}`;
    const [iv, tag, ciphertext] = encrypt(dataKey, Buffer.from(plain, 'utf8'), Buffer.from(header));
    return `${header}.${b64(iv)}.${b64(tag)}.${b64(ciphertext)}`;
  }

  open(sealed: string): string {
    const parts = typeof sealed === 'string' ? sealed.split('.') : [];
    if (parts.length !== 6 || parts.some((p, i) => i > 0 && !/^[A-Za-z0-9_-]*$/.test(p))) {
      throw new SecretBoxError('not a sealed secret (expected v1.<key id>.<wrapped key>.<iv>.<tag>.<ciphertext>)');
    }
    const [version, keyId, wrapped, iv, tag, ciphertext] = parts;
    if (version !== VERSION) throw new SecretBoxError(`the secret is sealed in format '${version.slice(0, 8)}', which this version cannot open`);
    const masterKey = keyId === this.keyId ? this.masterKey : this.previous.get(keyId);
    if (!masterKey) {
      throw new SecretBoxError(`the secret was sealed under another SECRETS_KEY (key id ${keyId}; this process has ${[this.keyId, ...this.previous.keys()].join(', ')}): start with the SECRETS_KEY it was sealed with, or give that key in SECRETS_KEY_PREVIOUS`);
    }
    const wrappedBytes = unb64(wrapped);
    const dataKey = decrypt(masterKey, wrappedBytes.subarray(0, IV_BYTES), wrappedBytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES), wrappedBytes.subarray(IV_BYTES + TAG_BYTES), Buffer.from(`${VERSION}.${keyId}`));
    if (dataKey.length !== KEY_BYTES) throw altered();
    return decrypt(dataKey, unb64(iv), unb64(tag), unb64(ciphertext), Buffer.from(`${version}.${keyId}.${wrapped}`)).toString('utf8');
  }
}

/** A short public fingerprint of a master key (not enough of the hash to learn anything about the key). */
export function masterKeyId(masterKey: Buffer): string {
  return b64(createHash('sha256').update('cam-esc-gateway secrets key id').update(masterKey).digest().subarray(0, 6));
}

function encrypt(key: Buffer, plain: Buffer, aad: Buffer): [Buffer, Buffer, Buffer] {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv);
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  return [iv, cipher.getAuthTag(), ciphertext];
}

function decrypt(key: Buffer, iv: Buffer, tag: Buffer, ciphertext: Buffer, aad: Buffer): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw altered();
  try {
    const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw altered();
  }
}

function altered(): SecretBoxError {
  return new SecretBoxError('the sealed secret failed its integrity check: it was altered or is corrupt');
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');
const unb64 = (text: string) => Buffer.from(text, 'base64url');
