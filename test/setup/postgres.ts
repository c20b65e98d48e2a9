import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** A throwaway PostgreSQL cluster started for one test run. */
export interface TestPostgres {
  /** Superuser URL of the `quantchat_test` database; tests create their own databases from it. */
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL cluster on 127.0.0.1 (a free port, sockets in its own temp dir) and
 * returns its URL. Fails loudly when the server binaries are missing: the store must be tested on
 * the real thing, and a silent skip would let PostgreSQL-only bugs through CI.
 * @example const pg = await startTestPostgres(); process.env.TEST_POSTGRES_URL = pg.url
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const bin = await findPostgresBinaries();
  const dir = mkdtempSync(path.join(os.tmpdir(), "quantchat-pg-"));
  const data = path.join(dir, "data");
  const log = path.join(dir, "server.log");
  // PostgreSQL refuses to run as root, and root is who runs CI containers: hand the dir to postgres.
  const asUser = process.getuid?.() === 0 ? postgresUser() : undefined;
  if (asUser) chownSync(dir, asUser.uid, asUser.gid);
  const exec = (tool: string, args: string[]) => {
    const file = path.join(bin, tool);
    return asUser ? run("runuser", ["-u", "postgres", "--", file, ...args]) : run(file, args);
  };
  try {
    // Trust auth on a private socket dir and loopback only; no fsync: the cluster lives for one run.
    await exec("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    const options = [
      `-p ${port}`,
      `-k ${dir}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
      "-c shared_buffers=32MB",
    ].join(" ");
    await exec("pg_ctl", ["-D", data, "-l", log, "-w", "-t", "30", "-o", options, "start"]);
    const url = `postgres://postgres@127.0.0.1:${port}/quantchat_test`;
    // If vitest dies without running teardown (Ctrl-C, a closed pipe), still take the server down.
    const killOnExit = () => killPostmaster(data, dir);
    process.once("exit", killOnExit);
    await exec("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "quantchat_test"]);
    return {
      url,
      stop: async () => {
        process.off("exit", killOnExit);
        await exec("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    const serverLog = existsSync(log) ? `\n--- server log ---\n${readFileSync(log, "utf8").slice(-2000)}` : "";
    await exec("pg_ctl", ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(`could not start the test PostgreSQL: ${detail}${serverLog}`);
  }
}

/** Where to look for the server binaries; tests of the lookup itself point it elsewhere. */
export interface BinarySearch {
  readonly pgConfig: string;
  readonly debianRoot: string;
  readonly path: string;
}

const DEFAULT_SEARCH: BinarySearch = {
  pgConfig: "pg_config",
  debianRoot: "/usr/lib/postgresql",
  path: process.env.PATH ?? "",
};

/**
 * The directory holding initdb, pg_ctl and postgres: pg_config's answer, then Debian's versioned
 * dirs, newest first, then PATH. Throws, saying what to install, when none has them.
 * @example await findPostgresBinaries() // "/usr/lib/postgresql/15/bin"
 */
export async function findPostgresBinaries(search: BinarySearch = DEFAULT_SEARCH): Promise<string> {
  const candidates: string[] = [];
  try {
    candidates.push((await run(search.pgConfig, ["--bindir"])).stdout.trim());
  } catch {
    // pg_config comes with libpq-dev, not always with the server; the other places may still hold it.
  }
  if (existsSync(search.debianRoot)) {
    const versions = readdirSync(search.debianRoot).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => path.join(search.debianRoot, v, "bin")));
  }
  candidates.push(...search.path.split(path.delimiter).filter(Boolean));
  const found = candidates.find((dir) => ["initdb", "pg_ctl", "postgres"].every((t) => existsSync(path.join(dir, t))));
  if (!found) {
    throw new Error(
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found; the store tests run against a real " +
        "PostgreSQL. Install it: apt-get install -y postgresql (or set TEST_POSTGRES_URL to a server of your own)",
    );
  }
  return found;
}

/** Synchronous last resort for process exit: SIGQUIT is PostgreSQL's immediate shutdown. */
function killPostmaster(data: string, dir: string): void {
  try {
    const pid = Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
    if (pid > 0) process.kill(pid, "SIGQUIT");
  } catch {
    // Not running, or already gone.
  }
  rmSync(dir, { recursive: true, force: true });
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith("postgres:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(
      "running as root but there is no 'postgres' user to run PostgreSQL as (apt-get install postgresql creates it)",
    );
  }
  return { uid: Number(uid), gid: Number(gid) };
}

/** A port nobody listens on right now, from the kernel. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}
