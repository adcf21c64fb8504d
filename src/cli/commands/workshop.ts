// `leakproof workshop`: start the workshop service (src/workshop), open or create the room, print
// the facilitator link and the join code, stop cleanly on Ctrl+C / SIGTERM.
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { DEFAULT_DB, isPostgresUrl, openDatabase, type Db } from '../../workshop/db/index.ts';
import { redactUrl } from '../../workshop/db/postgres.ts';
import { DEFAULT_EVENT_BYTES, startWorkshopService, type WorkshopHandle } from '../../workshop/server.ts';
import { warmFacilitatorPage } from '../../workshop/page/assets.ts';
import { createRoom, DEFAULT_LIMITS, latestRoom, roomSigningKey, setLimits } from '../../workshop/store.ts';
import { publicKeyOf } from '../../workshop/records.ts';

export const usage = `Usage: leakproof workshop [--port 4800] [--host 127.0.0.1] [--db <file.sqlite> | --db postgres://…]
                          [--course <url>] [--origin <url>]… [--public-url <url>] [--trust-proxy] [--new-room]
                          [--max-learners 500] [--max-events-per-minute 6000] [--max-event-bytes 8192]
                          [--lessons <dir>]

Starts the workshop service: learners join a room from the course with a short code, their check
results (chapter, check ids and statuses, timing, engine: never files, keys or output) appear live
on the facilitator page. Prints the facilitator link (keep it to yourself), the join code, and the
room's public key that signs its completion records (publish it).
Restarting with the same --db reopens the same room with everything recorded.

Options:
  --port <n>                  port to listen on (default 4800; 0 picks a free port)
  --host <address>            address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for
                              learners on other machines of the network)
  --db <file|url>             SQLite file (default ${DEFAULT_DB}) or a PostgreSQL URL
                              postgres://user:password@host:5432/database
  --course <url>              where learners open the course (default http://localhost:4321):
                              for the join link, and allowed to call the service
  --origin <url>              one more course address allowed to call the service (repeatable)
  --public-url <url>          the service's address as learners reach it (behind a reverse proxy)
  --trust-proxy               behind a reverse proxy: a learner's address is the first of
                              X-Forwarded-For (wrong room codes are limited per address)
  --new-room                  start a new room (new code and link) instead of reopening the last one
  --max-learners <n>          learners in the room at once (default ${DEFAULT_LIMITS.maxLearners})
  --max-events-per-minute <n> check results the room takes per minute (default ${DEFAULT_LIMITS.maxEventsPerMinute})
  --max-event-bytes <n>       largest check result body in bytes (default ${DEFAULT_EVENT_BYTES})
  --lessons <dir>             the course folder the room's completion records are issued against
                              (default $LEAKPROOF_LESSONS_DIR or ./lessons): the course learners use

Stop it with Ctrl+C; nothing is lost.`;

interface Args {
  port: number;
  host: string;
  db: string;
  course: string;
  origins: string[];
  publicUrl: string | null;
  trustProxy: boolean;
  newRoom: boolean;
  maxLearners: number;
  maxEventsPerMinute: number;
  maxEventBytes: number;
  lessons: string | null;
}

function parseUrl(flag: string, v: string | undefined): string {
  if (!v) throw new Error(`${flag} needs an address, e.g. ${flag} http://localhost:4321.`);
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    return u.toString().replace(/\/$/, '');
  } catch {
    throw new Error(`${flag} must be an http:// or https:// address (got "${v}").`);
  }
}

function parseCount(flag: string, v: string | undefined, min: number, max: number): number {
  const n = Number(v);
  if (!v || !Number.isInteger(n) || n < min || n > max) throw new Error(`${flag} needs a whole number from ${min} to ${max} (got ${v ?? 'nothing'}).`);
  return n;
}

export function parseArgs(args: string[]): Args {
  const out: Args = {
    port: 4800,
    host: '127.0.0.1',
    db: DEFAULT_DB,
    course: 'http://localhost:4321',
    origins: [],
    publicUrl: null,
    trustProxy: false,
    newRoom: false,
    maxLearners: DEFAULT_LIMITS.maxLearners,
    maxEventsPerMinute: DEFAULT_LIMITS.maxEventsPerMinute,
    maxEventBytes: DEFAULT_EVENT_BYTES,
    lessons: null,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--port') out.port = parseCount('--port', value(), 0, 65535);
    else if (flag === '--host') {
      const v = value();
      if (!v) throw new Error('--host needs an address, e.g. 127.0.0.1 or 0.0.0.0.');
      out.host = v;
    } else if (flag === '--db') {
      const v = value();
      if (!v) throw new Error(`--db needs a SQLite file (e.g. ${DEFAULT_DB}) or a postgres:// URL.`);
      out.db = v;
    } else if (flag === '--course') out.course = parseUrl('--course', value());
    else if (flag === '--origin') out.origins.push(parseUrl('--origin', value()));
    else if (flag === '--public-url') out.publicUrl = parseUrl('--public-url', value());
    else if (flag === '--new-room') out.newRoom = true;
    else if (flag === '--trust-proxy') out.trustProxy = true;
    else if (flag === '--max-learners') out.maxLearners = parseCount('--max-learners', value(), 1, 100_000);
    else if (flag === '--max-events-per-minute') out.maxEventsPerMinute = parseCount('--max-events-per-minute', value(), 1, 1_000_000);
    else if (flag === '--lessons') {
      const v = value();
      if (!v) throw new Error('--lessons needs the course folder, e.g. --lessons lessons.');
      out.lessons = resolve(v);
    } else if (flag === '--max-event-bytes') out.maxEventBytes = parseCount('--max-event-bytes', value(), 512, 1_048_576);
    else throw new Error(`Unknown option "${a}".`);
  }
  return out;
}

/** An address other machines can use to reach this one (first non-internal IPv4), for the join link. */
function lanAddress(): string | null {
  for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) return i.address;
  return null;
}

const isLoopback = (host: string) => host === 'localhost' || host === '::1' || /^127\./.test(host);

export async function run(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage);
    return 0;
  }
  let parsed: Args;
  try {
    parsed = parseArgs(args);
  } catch (e) {
    console.error(`leakproof workshop: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
  let db: Db;
  try {
    db = await openDatabase(parsed.db);
  } catch (e) {
    console.error(`leakproof workshop: ${(e as Error).message}`);
    return 1;
  }
  const limits = { maxLearners: parsed.maxLearners, maxEventsPerMinute: parsed.maxEventsPerMinute };
  const previous = parsed.newRoom ? null : await latestRoom(db);
  const room = previous ?? (await createRoom(db, limits));
  if (previous) await setLimits(db, room.id, limits);

  const courseOrigins = [parsed.course, ...parsed.origins];
  // localhost and 127.0.0.1 are the same course for a learner on this machine.
  for (const o of [...courseOrigins]) {
    const u = new URL(o);
    if (u.hostname === 'localhost') courseOrigins.push(o.replace('//localhost', '//127.0.0.1'));
    if (u.hostname === '127.0.0.1') courseOrigins.push(o.replace('//127.0.0.1', '//localhost'));
  }
  let service: WorkshopHandle;
  try {
    service = await startWorkshopService({ db, host: parsed.host, port: parsed.port, origins: courseOrigins, maxEventBytes: parsed.maxEventBytes, courseUrl: parsed.course, trustProxy: parsed.trustProxy, lessonsDir: parsed.lessons ?? undefined });
    await warmFacilitatorPage();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    console.error(
      err.code === 'EADDRINUSE'
        ? `leakproof workshop: port ${parsed.port} is already in use. Pick another with --port, or --port 0 for any free port.`
        : `leakproof workshop: could not start: ${err.message}`,
    );
    await db.close().catch(() => {});
    return 1;
  }
  const recordsKey = publicKeyOf(await roomSigningKey(db, room.id));
  const port = new URL(service.url).port;
  const wide = !isLoopback(parsed.host);
  const lan = wide ? lanAddress() : null;
  const learnerBase = parsed.publicUrl ?? (lan ? `http://${lan}:${port}` : service.url);
  const join = new URL(parsed.course);
  join.searchParams.set('room', room.code);
  join.searchParams.set('workshop', learnerBase);
  const lines = [
    'Leakproof workshop',
    `  room code      ${room.code}${previous ? '   (reopened: everything recorded is still there; --new-room starts another)' : ''}`,
    `  facilitator    ${service.url}/facilitator#secret=${room.facilitatorSecret}`,
    '                 (open it in your browser; keep it to yourself: it controls the room)',
    `  learners join  ${join}`,
    `                 or on the course's home page: code ${room.code}, workshop address ${learnerBase}`,
    `  database       ${isPostgresUrl(parsed.db) ? `PostgreSQL ${redactUrl(parsed.db)}` : db.describe}`,
    `  course origins ${[...new Set(courseOrigins)].join(', ')}`,
    `  records key    ${recordsKey}`,
    '                 (public: whoever checks the room\'s completion records runs leakproof verify <file> --key <this key>)',
  ];
  if (wide)
    lines.push(
      '',
      `WARNING: listening on ${parsed.host}: every machine that can reach this one on port ${port} can reach the service.`,
      '  Learners need the code to join, and wrong codes are rate-limited, but traffic is plain HTTP:',
      '  use it on a network you trust, or put it behind a reverse proxy with TLS (docs/workshop.md).',
    );
  lines.push('Press Ctrl+C to stop (nothing is lost: start it again with the same --db).');
  console.log(lines.join('\n'));

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (s: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(s);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  await service.close();
  await db.close();
  console.log(`Workshop service stopped (${signal}). Start it again with the same --db to reopen room ${room.code}.`);
  return 0;
}
