// A MariaDB server of a test's own: a fresh data directory, its own port, socket and pid file, so a test
// can stop it, kill it (a crash) and start it again without touching the shared instance on 3306.
// Cleanup is belt and braces: stop() in afterAll, a process 'exit' hook, and a small shell watchdog that
// kills the server and removes its directory if the test process dies without either running.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';

const CANDIDATES = {
  mariadbd: ['/usr/sbin/mariadbd', '/usr/bin/mariadbd', '/usr/sbin/mysqld'],
  installDb: ['/usr/bin/mariadb-install-db', '/usr/bin/mysql_install_db', '/usr/sbin/mariadb-install-db'],
};

function firstExecutable(paths: string[]): string | null {
  for (const p of paths) {
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return null;
}

const mariadbd = firstExecutable(CANDIDATES.mariadbd);
const installDb = firstExecutable(CANDIDATES.installDb);

/** Why the private-instance tests cannot run here, or null when they can. */
export const PRIVATE_MARIADB_MISSING: string | null =
  mariadbd && installDb ? null : `private MariaDB tests skipped: ${mariadbd ? '' : 'mariadbd '}${installDb ? '' : 'mariadb-install-db '}not installed (apt-get install mariadb-server)`;

/** A port nobody listens on: 3307 when free, else one the kernel picks. */
async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(null));
      s.listen(port, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0))!;
}

const live = new Set<PrivateMariadb>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const m of live) m.killSync();
  });
}

export class PrivateMariadb {
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();
  private watchdog: ChildProcess | null = null;

  private constructor(
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir() {
    return path.join(this.dir, 'data');
  }
  private get socket() {
    return path.join(this.dir, 'mysqld.sock');
  }
  private get pidFile() {
    return path.join(this.dir, 'mysqld.pid');
  }
  private get errorLog() {
    return path.join(this.dir, 'error.log');
  }

  /** Initialises a data directory (root without password, no test database) and starts the server. */
  static async create(opts: { port?: number } = {}): Promise<PrivateMariadb> {
    if (PRIVATE_MARIADB_MISSING) throw new Error(PRIVATE_MARIADB_MISSING);
    const dir = mkdtempSync(path.join(tmpdir(), 'bamin-mariadb-'));
    const port = await freePort(opts.port ?? 3307);
    const m = new PrivateMariadb(dir, port);
    live.add(m);
    installExitHook();
    const init = spawnSync(
      installDb!,
      [
        '--no-defaults',
        `--datadir=${m.dataDir}`,
        `--user=${userFlag()}`,
        '--auth-root-authentication-method=normal', // root@localhost with an empty password, not unix_socket
        '--skip-test-db',
        '--skip-name-resolve',
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (init.status !== 0) {
      m.removeDir();
      throw new Error(`mariadb-install-db failed (${init.status}): ${(init.stderr || init.stdout).slice(-2000)}`);
    }
    m.startWatchdog();
    await m.start();
    return m;
  }

  /** mysql://root@127.0.0.1:<port>/<database> */
  url(database = ''): string {
    return `mysql://root@127.0.0.1:${this.port}/${database}`;
  }

  get running(): boolean {
    return this.child != null;
  }

  /** Starts mariadbd on the same data directory and port; resolves once it answers a query. */
  async start(): Promise<void> {
    // a server being stopped or killed is waited for, not taken as running: its 'exit' can come after the
    // sockets of its clients have closed, and returning here would leave the database down
    if (this.child?.killed) await this.exited;
    if (this.child) return;
    const child = spawn(
      mariadbd!,
      [
        '--no-defaults',
        `--datadir=${this.dataDir}`,
        `--port=${this.port}`,
        '--bind-address=127.0.0.1',
        `--socket=${this.socket}`,
        `--pid-file=${this.pidFile}`,
        `--log-error=${this.errorLog}`,
        `--user=${userFlag()}`,
        '--skip-name-resolve',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    this.exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      if (this.child === child) this.child = null;
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (this.child !== child) throw new Error(`mariadbd exited while starting:\n${this.logTail()}`);
      try {
        const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', connectTimeout: 1000 });
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch (e) {
        if (Date.now() > deadline) {
          await this.kill();
          throw new Error(`mariadbd did not answer within 30 s (${(e as Error).message}):\n${this.logTail()}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Clean shutdown (SIGTERM); waits for the process to exit (SIGKILL after 30 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** A crash: SIGKILL, no shutdown; InnoDB recovers on the next start. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its directory. Always safe to call. */
  async cleanup(): Promise<void> {
    await this.stop().catch(() => this.killSync());
    this.watchdog?.kill('SIGKILL');
    this.watchdog = null;
    this.removeDir();
    live.delete(this);
  }

  /** For the exit hook: no awaiting there. */
  killSync(): void {
    try {
      this.child?.kill('SIGKILL');
    } catch {
      // already gone
    }
    this.watchdog?.kill('SIGKILL');
    this.removeDir();
  }

  /** A query on a fresh connection (not the server's pool): to inspect rows after an outage. */
  async query<T = Record<string, unknown>>(database: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: this.port, user: 'root', database, connectTimeout: 3000 });
    try {
      const [rows] = await c.query(sql, params);
      return rows as T[];
    } finally {
      await c.end();
    }
  }

  logTail(): string {
    return existsSync(this.errorLog) ? readFileSync(this.errorLog, 'utf8').split('\n').slice(-15).join('\n') : '(no error log)';
  }

  private removeDir() {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * If this test process dies (even SIGKILL), a detached shell kills the server whose pid file is in our
   * directory — only after checking that pid still runs mariadbd on this directory — and removes it.
   */
  private startWatchdog() {
    const script = [
      `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done`,
      `pid=$(cat '${this.pidFile}' 2>/dev/null)`,
      `if [ -n "$pid" ] && tr '\\0' ' ' < /proc/$pid/cmdline 2>/dev/null | grep -qF -- '--datadir=${this.dataDir}'; then kill -9 "$pid"; fi`,
      `rm -rf '${this.dir}'`,
    ].join('\n');
    this.watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
    this.watchdog.unref();
  }
}

/** mariadbd refuses to run as root unless told to; as another user it runs as that user. */
function userFlag(): string {
  return process.getuid?.() === 0 ? 'root' : (process.env.USER ?? 'mysql');
}
