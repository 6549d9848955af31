/** Asserts that a request got no HTTP answer at all: the server destroyed its connection. */
export async function expectNoAnswer(pending: PromiseLike<unknown>): Promise<void> {
  const outcome = await Promise.resolve(pending).then(
    (response: unknown) => ({ response, error: undefined }),
    (error: { code?: string; status?: number }) => ({ response: undefined, error }),
  );
  expect(outcome.response).toBeUndefined();
  expect({ code: outcome.error?.code, status: outcome.error?.status }).toEqual({ code: expect.stringMatching(/^(ECONNRESET|EPIPE)$/), status: undefined });
}
