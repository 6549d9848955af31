import request from 'supertest';
import { EscSimOptions, RunningEscSim, startEscSim } from '../esc-sim';
import { CallbackReceiver } from './callback-receiver';
import { EscRequests } from './esc-requests';

export interface SimContext {
  sim: RunningEscSim;
  receiver: CallbackReceiver;
  /** ESC requests with the receiver as Callback. */
  esc: EscRequests;
}

/**
 * For the enclosing describe: a simulator and a callback receiver, started before its tests and
 * closed after them; with `resetAfterEach`, both are back to a fresh state after every test.
 */
export function useEscSim(options: EscSimOptions, { resetAfterEach = true } = {}): SimContext {
  const context = {} as SimContext;
  beforeAll(async () => {
    context.receiver = await CallbackReceiver.start();
    context.sim = await startEscSim(options);
    context.esc = new EscRequests(context.sim.baseUrl, context.receiver.url);
  });
  if (resetAfterEach) {
    afterEach(async () => {
      context.receiver.release();
      await request(context.sim.baseUrl).post('/_sim/reset').expect(204);
      context.receiver.clear();
    });
  }
  afterAll(async () => {
    await context.sim?.close();
    await context.receiver?.close();
  });
  return context;
}
