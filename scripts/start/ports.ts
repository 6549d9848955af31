import { createServer } from 'node:net';

/** Undefined when `port` can be listened on at `host`, else the reason it cannot. */
export async function portInUse(port: number, host: string): Promise<string | undefined> {
  const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once('error', (e) => resolve(e));
    server.listen(port, host, () => server.close(() => resolve(undefined)));
  });
  return error ? (error.code ?? error.message) : undefined;
}
