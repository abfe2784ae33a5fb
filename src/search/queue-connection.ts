// `--queue redis[s]://[user[:password]@]host[:port][/db]` → the connection options BullMQ passes to
// ioredis, and the address as it may be shown: the password never appears in what ganc prints. A
// password on the command line is visible to every user of the machine (ps), so it can come from
// GANC_REDIS_PASSWORD instead. `rediss://` connects over TLS (a private CA: NODE_EXTRA_CA_CERTS).
import type { ConnectionOptions } from 'bullmq';
import { UserError } from '../errors.js';
import { escapeControl } from '../sanitize.js';

export const DEFAULT_QUEUE_NAME = 'ganc-trials';
export const PASSWORD_ENV = 'GANC_REDIS_PASSWORD';
const DEFAULT_PORT = 6379;
/** Redis numbers its databases 0 … `databases`-1 (16 unless configured); the server says which exist. */
const MAX_DB_INDEX = 2 ** 31 - 1;
const MASK = '***';

export class QueueUrlError extends UserError {}

export interface QueueAddress {
  /** The URL as ganc prints it: the password, if any, replaced by ***. */
  display: string;
  /** Options for ioredis (BullMQ's `connection`), the database included. */
  options: ConnectionOptions & { db?: number };
  /** Whether the password was written in the URL itself (and so is visible in `ps`). */
  passwordInUrl: boolean;
  /** Replaces the password wherever it occurs in a text (an error message, a log line). */
  redact(text: string): string;
}

/** The URL-ish text with anything between `//user:` and `@` masked: for URLs too broken to parse. */
export function maskUrlText(text: string): string {
  return escapeControl(text.replace(/(\/\/[^/@:]*:)[^@]*@/, `$1${MASK}@`));
}

export function queueAddress(url: string, env: NodeJS.ProcessEnv = process.env): QueueAddress {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed?.protocol !== 'redis:' && parsed?.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue wants redis://HOST:PORT[/DB] or rediss://…, got '${maskUrlText(url)}'`);
  }
  const bad = (why: string): QueueUrlError => new QueueUrlError(`--queue ${maskUrlText(url)}: ${why}`);
  if (parsed.hostname === '') throw bad('no host');
  if (parsed.port === '0') throw bad('port 0');
  if (parsed.search !== '' || parsed.hash !== '') throw bad('nothing may follow the database number');
  const path = parsed.pathname;
  let db = 0;
  if (path !== '' && path !== '/') {
    const digits = /^\/(\d{1,10})$/.exec(path)?.[1];
    if (digits === undefined || Number(digits) > MAX_DB_INDEX) throw bad(`'${escapeControl(path.slice(1))}' is not a database number (/0, /1, …)`);
    db = Number(digits);
  }
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw bad('malformed %-escape in the user or password');
    }
  };
  const urlPassword = parsed.password ? decode(parsed.password) : undefined;
  const password = urlPassword ?? (env[PASSWORD_ENV] || undefined);
  const username = parsed.username ? decode(parsed.username) : undefined;
  const tls = parsed.protocol === 'rediss:';
  const host = parsed.hostname.startsWith('[') ? parsed.hostname.slice(1, -1) : parsed.hostname;
  const port = parsed.port ? Number(parsed.port) : DEFAULT_PORT;
  const user = username !== undefined || urlPassword !== undefined
    ? `${username === undefined ? '' : parsed.username}${urlPassword === undefined ? '' : `:${MASK}`}@` : '';
  const display = escapeControl(`${parsed.protocol}//${user}${parsed.hostname}:${port}${db === 0 && (path === '' || path === '/') ? '' : `/${db}`}`);
  // The password as typed, %-encoded and decoded: any of them may turn up in a message.
  const secrets = [...new Set([password, parsed.password].filter((s): s is string => typeof s === 'string' && s.length > 0))];
  return {
    display,
    passwordInUrl: urlPassword !== undefined,
    options: {
      host, port, db, username, password,
      ...(tls ? { tls: {} } : {}),
      // BullMQ's blocking commands must wait as long as they need.
      maxRetriesPerRequest: null,
    },
    redact: (text) => secrets.reduce((t, s) => t.split(s).join(MASK), text),
  };
}

/** The connection options of `url` (see queueAddress). */
export function redisConnection(url: string): ConnectionOptions {
  return queueAddress(url).options;
}

/**
 * Fails with a one-line QueueUrlError when no Redis answers at the address, when it refuses the
 * password, or when it has no database of that number: ioredis would otherwise stay on database 0
 * after a failed SELECT, and the jobs would land where workers of database 0 train them. Once
 * connected, BullMQ's client reconnects by itself; this check keeps a wrong address from waiting
 * forever at the start.
 */
export async function checkRedisReachable(address: QueueAddress, timeoutMs = 5000): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...(address.options as Record<string, unknown>), db: 0, lazyConnect: true, connectTimeout: timeoutMs, retryStrategy: () => null, maxRetriesPerRequest: 0,
  });
  // The socket's own error (e.g. ECONNREFUSED) says more than the rejected connect ("Connection is closed").
  let cause: Error | undefined;
  client.on('error', (e: Error) => { cause ??= e; });
  const fail = (why: string): QueueUrlError => new QueueUrlError(address.redact(`Redis at ${address.display}: ${escapeControl(why)}`));
  try {
    try {
      await client.connect();
      await client.ping();
    } catch (e) {
      const message = (cause ?? (e as Error)).message;
      const hint = /NOAUTH|WRONGPASS/.test(message) ? ` (the password comes from the URL or ${PASSWORD_ENV})` : '';
      throw fail(`cannot connect: ${message}${hint}`);
    }
    const db = address.options.db ?? 0;
    try {
      await client.select(db);
    } catch (e) {
      throw fail(`has no database ${db} (${(e as Error).message})`);
    }
  } finally {
    client.disconnect();
  }
}

/** The address of `url`, checked against the server; `note` hears when its password is in the URL, where ps shows it. */
export async function reachableQueue(url: string, note: (line: string) => void): Promise<QueueAddress> {
  const address = queueAddress(url);
  if (address.passwordInUrl) note(`note: a password in --queue is visible to other users of this machine (ps); set ${PASSWORD_ENV} instead`);
  await checkRedisReachable(address);
  return address;
}
