import { randomBytes } from 'node:crypto';
import { openActionParameters, sealActionParameters, sealText } from './action-secrets';
import { SecretBox } from './secret-box';

describe('action secrets', () => {
  const box = new SecretBox(randomBytes(32));
  const parameters = {
    input_parameters: { password: 'hunter2-secret', image: 'ASA', proxy: { host: 'p', password: 'proxy-pw-9' } },
    plan_parameters: { apiKey: 'key-77' },
    given: { password: 'hunter2-secret', image: 'ASA', proxy: 'corp-proxy' },
    svc_instance: { name: 'i', owner: 'o', group: 'g', service_instance_id: 'x' },
    plan: [{ id: 'step-1', params: { pw: '${input_parameters.password}' } }],
    plan_name: 'Standard',
  };
  const secured = ['password', 'proxy.password', 'apiKey'];

  it('stores the parameters with every secured value masked, and gives them back whole', () => {
    const sealed = sealActionParameters(box, parameters, secured);
    const stored = JSON.stringify(sealed.parameters);
    for (const secret of ['hunter2-secret', 'proxy-pw-9', 'key-77']) {
      expect(stored).not.toContain(secret);
      expect(sealed.secretsSealed).not.toContain(secret);
    }
    expect(sealed.parameters).toMatchObject({ input_parameters: { password: '*******', image: 'ASA', proxy: { host: 'p', password: '*******' } }, plan_name: 'Standard' });
    // what is not a value (the plan, the instance) is left as it is
    expect(sealed.parameters.plan).toEqual(parameters.plan);
    expect(openActionParameters(box, sealed)).toEqual(parameters);
  });

  it('seals nothing when there is no secured value', () => {
    expect(sealActionParameters(box, parameters, [])).toEqual({ parameters, secretsSealed: null });
    expect(openActionParameters(box, { parameters, secretsSealed: null })).toBe(parameters);
  });

  it('seals a text whole when it holds a secret, and keeps it masked', () => {
    const body = '<config><password>hunter2-secret</password></config>';
    const { text, sealed } = sealText(box, body, ['hunter2-secret']);
    expect(text).toBe('<config><password>*******</password></config>');
    expect(box.open(sealed!)).toBe(body);
    expect(sealText(box, '<config/>', ['hunter2-secret'])).toEqual({ text: '<config/>', sealed: null });
  });
});
