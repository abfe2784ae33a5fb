// `redis://[:password@]host:port[/db]` → the connection options BullMQ passes to ioredis.
import type { ConnectionOptions } from 'bullmq';

export const DEFAULT_QUEUE_NAME = 'ganc-trials';

export class QueueUrlError extends Error {}

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
