import { maskSecuredValues } from './action-log';

describe('maskSecuredValues', () => {
  const parameters = { input_parameters: { password: 'p&ss<1>', image: 'ASA', pin: 1234 }, plan_parameters: { apiKey: 'k-9' } };

  it('masks secured input and plan values, as is and XML-escaped, and leaves the rest', () => {
    const line = 'ESC said: bad password p&ss<1> (echoed as p&amp;ss&lt;1&gt;), pin 1234, key k-9, image ASA';
    expect(maskSecuredValues(line, parameters, ['password', 'pin', 'apiKey'])).toBe(
      'ESC said: bad password ******* (echoed as *******), pin *******, key *******, image ASA',
    );
  });

  it('changes nothing without secured names', () => {
    expect(maskSecuredValues('image ASA', parameters, [])).toBe('image ASA');
  });
});
