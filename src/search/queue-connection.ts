// `redis://[:password@]host:port[/db]` → the connection options BullMQ passes to ioredis.
import type { ConnectionOptions } from 'bullmq';
import { UserError } from '../errors.js';

export const DEFAULT_QUEUE_NAME = 'ganc-trials';

export class QueueUrlError extends UserError {}

export function redisConnection(url: string): ConnectionOptions {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed?.protocol !== 'redis:') throw new QueueUrlError(`--queue wants redis://HOST:PORT, got '${url}'`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db,
    // BullMQ's blocking commands must wait as long as they need.
    maxRetriesPerRequest: null,
  };
}

/**
 * Fails with a one-line QueueUrlError when no Redis answers at `url`. Once connected, BullMQ's client
 * reconnects by itself; this check keeps a wrong address from waiting forever at the start.
 */
export async function checkRedisReachable(url: string, timeoutMs = 5000): Promise<void> {
  const { Redis } = await import('ioredis');
  const options = redisConnection(url) as Record<string, unknown>;
  const client = new Redis({ ...options, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // The socket's own error (e.g. ECONNREFUSED) says more than the rejected connect ("Connection is closed").
  let cause: Error | undefined;
  client.on('error', (e: Error) => { cause ??= e; });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    throw new QueueUrlError(`cannot reach Redis at ${url}: ${(cause ?? (e as Error)).message}`);
  } finally {
    client.disconnect();
  }
}
