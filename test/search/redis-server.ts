// Test helper: a private redis-server on a free loopback port, without persistence, stopped by the test;
// optionally with a password (requirepass) or TLS only (a test CA's certificate).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { exited } from '../helpers/cli-processes.js';

export const haveRedisServer = (): boolean => spawnSync('redis-server', ['--version']).status === 0;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RedisServer {
  /** `redis://127.0.0.1:PORT` (`rediss://` with TLS), never with the password in it. */
  url: string;
  port: number;
  /** Everything redis-server wrote (to look for what clients sent, e.g. in its log). */
  output: string[];
  stop(): Promise<void>;
}

export interface RedisServerOptions {
  password?: string;
  /** Serve TLS only, with this certificate and key (PEM files). */
  tls?: { cert: string; key: string; ca: string };
}

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const listen = opts.tls
    ? ['--port', '0', '--tls-port', String(port), '--tls-cert-file', opts.tls.cert, '--tls-key-file', opts.tls.key,
      '--tls-ca-cert-file', opts.tls.ca, '--tls-auth-clients', 'no']
    : ['--port', String(port)];
  const auth = opts.password === undefined ? [] : ['--requirepass', opts.password];
  const child: ChildProcess = spawn('redis-server', [...listen, '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...auth], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output.push(line);
      if (line.includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with code ${code} before it was ready: ${output.join('\n')}`)));
  });
  return {
    url: `${opts.tls ? 'rediss' : 'redis'}://127.0.0.1:${port}`,
    port,
    output,
    stop: async () => {
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
