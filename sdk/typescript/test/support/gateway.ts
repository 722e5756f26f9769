/**
 * A live gateway for the suite: `gateway up` on 127.0.0.1 and a free port, in a data
 * directory of its own, with the first API key it prints on a first start.
 *
 * GATEWAY_SDK_TEST_DATABASE_URL / GATEWAY_SDK_TEST_REDIS_URL point it at running servers
 * (an empty database: the gateway migrates it); unset, `gateway up` starts its embedded
 * PostgreSQL and Redis. GATEWAY_BIN names the `gateway` command (default: the project's
 * .venv/bin/gateway).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DEFAULT_BIN = path.resolve(PACKAGE_DIR, '../../.venv/bin/gateway');
const KEY = /gw_test_[0-9A-Za-z]{36}/;

export interface LiveGateway {
  baseUrl: string;
  apiKey: string;
  stop(): Promise<void>;
}

export async function startGateway(): Promise<LiveGateway> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-sdk-'));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dataDir,
    LANG: process.env.LANG ?? 'C.UTF-8',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: String(port),
    GATEWAY_DATA_DIR: path.join(dataDir, 'data'),
    GATEWAY_LOG_LEVEL: 'WARNING',
    // Room for the suite's bursts; the rate-limit test makes a slow key of its own.
    GATEWAY_DEFAULT_RATE_LIMIT: '1000/second',
    // The suite's webhook receiver listens on 127.0.0.1.
    GATEWAY_ALLOW_PRIVATE_TARGETS: 'true',
  };
  const databaseUrl = process.env.GATEWAY_SDK_TEST_DATABASE_URL;
  const redisUrl = process.env.GATEWAY_SDK_TEST_REDIS_URL;
  if (databaseUrl) env.GATEWAY_DATABASE_URL = databaseUrl;
  if (redisUrl) env.GATEWAY_REDIS_URL = redisUrl;

  // Only these variables: a developer's own GATEWAY_* settings must not leak in.
  const child = spawn(process.env.GATEWAY_BIN ?? DEFAULT_BIN, ['up'], {
    cwd: dataDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stop = async (): Promise<void> => {
    await stopChild(child);
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const banner = await waitForBanner(child);
    const key = KEY.exec(banner);
    if (!key) {
      throw new Error(`gateway up printed no API key (not a fresh database?):\n${banner}`);
    }
    return { baseUrl: `http://127.0.0.1:${port}`, apiKey: key[0], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function waitForBanner(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => fail('no banner within 90 s'), 90_000);
    const fail = (why: string): void => {
      clearTimeout(timer);
      reject(new Error(`gateway up: ${why}\nstdout:\n${stdout}\nstderr:\n${stderr.slice(-4000)}`));
    };
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve(stdout);
      }
    });
    child.once('error', (error) => fail(error.message));
    child.once('exit', (code) => fail(`exited with ${code}`));
  });
}

/** Ctrl-C, as a user stops it (the embedded servers stop with it); a kill if it hangs. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGINT');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
