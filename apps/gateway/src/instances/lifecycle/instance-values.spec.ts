import { MASK } from '@cam-esc/catalog';
import { DomainException } from '@cam-esc/errors';
import { instanceParameters, mergeValues } from './instance-values';

const action = { type: 'provision', name: 'Provision', input_parameters: [{ name: 'url' }, { name: 'password', secured: true }, { name: 'zone' }] };

describe('the values of a lifecycle call', () => {
  it('keeps the earlier values the call does not give, drops those the action no longer has, and keeps a secret sent back masked', () => {
    expect(mergeValues(action, { url: 'a', password: 's3cret', gone: 'x' }, { zone: 'z', password: MASK }, 'f')).toEqual({ url: 'a', password: 's3cret', zone: 'z' });
  });

  it('refuses a name the action does not have, naming the field', () => {
    expect(() => mergeValues(action, {}, { nope: 1 }, 'update_details.instance_parameters')).toThrow(/^update_details\.instance_parameters\.nope: is not an input parameter of action 'Provision' \(known: url, password, zone\)/);
  });

  it('takes an object of values, nothing for null, and refuses anything else', () => {
    expect(instanceParameters(undefined, 'f')).toEqual({});
    expect(instanceParameters(null, 'f')).toEqual({});
    for (const bad of ['a=1', [1], 3]) expect(() => instanceParameters(bad, 'retry_details.instance_parameters')).toThrow(DomainException);
  });
});
