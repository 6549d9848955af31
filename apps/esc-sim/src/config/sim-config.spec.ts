import { DEFAULT_SIM_CONFIG, SimConfigError, loadSimConfigFromEnv } from './sim-config';

describe('loadSimConfigFromEnv', () => {
  it('uses the defaults for an empty environment', () => {
    expect(loadSimConfigFromEnv({})).toEqual(DEFAULT_SIM_CONFIG);
    expect(DEFAULT_SIM_CONFIG).toMatchObject({ port: 8080, callbackDelayMs: 100 });
  });

  it('reads every ESC_SIM_* variable', () => {
    expect(
      loadSimConfigFromEnv({
        ESC_SIM_HOST: '127.0.0.1',
        ESC_SIM_PORT: '9090',
        ESC_SIM_USERNAME: 'admin',
        ESC_SIM_PASSWORD: 'pw',
        ESC_SIM_CALLBACK_DELAY_MS: '0',
        ESC_SIM_CALLBACK_RETRIES: '1',
        ESC_SIM_CALLBACK_RETRY_DELAY_MS: '50',
        ESC_SIM_CALLBACK_TIMEOUT_MS: '1000',
        ESC_SIM_LOG_LEVEL: 'DEBUG',
      }),
    ).toEqual({
      host: '127.0.0.1',
      port: 9090,
      username: 'admin',
      password: 'pw',
      callbackDelayMs: 0,
      callbackRetries: 1,
      callbackRetryDelayMs: 50,
      callbackTimeoutMs: 1000,
      logLevel: 'debug',
    });
  });

  it.each([
    [{ ESC_SIM_PORT: 'http' }, /ESC_SIM_PORT/],
    [{ ESC_SIM_PORT: '70000' }, /ESC_SIM_PORT must be between 0 and 65535/],
    [{ ESC_SIM_CALLBACK_DELAY_MS: '-5' }, /ESC_SIM_CALLBACK_DELAY_MS/],
    [{ ESC_SIM_CALLBACK_DELAY_MS: '1.5' }, /ESC_SIM_CALLBACK_DELAY_MS/],
    [{ ESC_SIM_LOG_LEVEL: 'loud' }, /ESC_SIM_LOG_LEVEL/],
    [{ ESC_SIM_USERNAME: 'admin' }, /ESC_SIM_USERNAME and ESC_SIM_PASSWORD/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadSimConfigFromEnv(env)).toThrow(SimConfigError);
    expect(() => loadSimConfigFromEnv(env)).toThrow(message);
  });
});
