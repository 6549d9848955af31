import { randomBytes } from 'node:crypto';
import { SharedParameter, SharedParameterRepository } from '@cam-esc/persistence';
import { SecretBox } from '@cam-esc/secrets';
import { SharedParameters } from './shared-parameters';

describe('SharedParameters', () => {
  const box = new SecretBox(randomBytes(32));
  let stored: SharedParameter | null = null;
  const repository = { findByName: async () => stored } as unknown as SharedParameterRepository;
  const parameters = new SharedParameters(repository, box);

  it('seals the secured values (keeping their type) and resolves them in clear', async () => {
    const values = { host: 'bastion.example', port: 22, password: 's3cret', pin: 1234, strict: true };
    const sealed = parameters.seal(values, ['password', 'pin']);
    expect(sealed).toMatchObject({ host: 'bastion.example', port: 22, strict: true });
    expect(String(sealed.password)).toMatch(/^v1\./);
    expect(JSON.stringify(sealed)).not.toContain('s3cret');
    stored = { name: 'Bastion1', datatype: 'bastionhost', values: sealed, securedKeys: ['password', 'pin'] } as SharedParameter;
    expect(await parameters.resolve('acme', 'Bastion1')).toEqual({ datatype: 'bastionhost', values, securedKeys: ['password', 'pin'] });
  });

  it('names the shared parameter whose secrets it cannot open', async () => {
    stored = { name: 'Bastion1', datatype: 'bastionhost', values: new SharedParameters(repository, new SecretBox(randomBytes(32))).seal({ pw: 'x' }, ['pw']), securedKeys: ['pw'] } as unknown as SharedParameter;
    await expect(parameters.resolve('acme', 'Bastion1')).rejects.toThrow(/the secured values of shared parameter 'Bastion1' cannot be opened \(the secret was sealed under another SECRETS_KEY/);
  });

  it('resolves an unknown name to null', async () => {
    stored = null;
    expect(await parameters.resolve('acme', 'none')).toBeNull();
  });
});
