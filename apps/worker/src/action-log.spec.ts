import { Tx } from '@cam-esc/persistence';
import { SecretBox, sealActionParameters } from '@cam-esc/secrets';
import { randomBytes } from 'node:crypto';
import { maskActionSecrets, openActionSecretsWith } from './action-log';

describe('maskActionSecrets', () => {
  const box = new SecretBox(randomBytes(32));
  openActionSecretsWith(box);
  const parameters = { input_parameters: { password: 'p&ss<1>', image: 'ASA', pin: 1234 }, plan_parameters: { apiKey: 'k-9' } };
  const txWith = (row: unknown) => ({ actionInstance: { findUnique: async () => row } }) as unknown as Tx;

  it('masks secured input and plan values, as is and XML-escaped, opening what the action sealed', async () => {
    const sealed = sealActionParameters(box, parameters, ['password', 'pin', 'apiKey']);
    expect(JSON.stringify(sealed.parameters)).not.toMatch(/p&ss|1234|k-9/);
    const line = 'ESC said: bad password p&ss<1> (echoed as p&amp;ss&lt;1&gt;), pin 1234, key k-9, image ASA';
    expect(await maskActionSecrets(txWith({ ...sealed, securedNames: ['password', 'pin', 'apiKey'] }), 'sealed-action', line)).toBe(
      'ESC said: bad password ******* (echoed as *******), pin *******, key *******, image ASA',
    );
  });

  it('masks the values of an action stored before secrets were sealed', async () => {
    const line = 'bad password p&ss<1>';
    expect(await maskActionSecrets(txWith({ parameters, securedNames: ['password'], secretsSealed: null }), 'older-action', line)).toBe('bad password *******');
  });

  it('changes nothing without secured names', async () => {
    expect(await maskActionSecrets(txWith({ parameters, securedNames: [], secretsSealed: null }), 'plain-action', 'image ASA')).toBe('image ASA');
  });
});
