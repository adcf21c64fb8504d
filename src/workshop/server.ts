// The workshop service: one node:http server for learners (join, report check results, leave,
// hear messages and solution releases) and the facilitator (live room view, release, message,
// CSV, signed completion records). Every body is validated with the zod schemas of
// src/lib/schemas/workshop.ts. Learners reach it from the course's origins only (CORS); the
// facilitator API answers its own page only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import {
  describeIssues,
  joinRequestSchema,
  learnerEventSchema,
  messageRequestSchema,
  releaseRequestSchema,
  idParamSchema,
  afterIdSchema,
  type LearnerView,
  type RoomSnapshot,
} from '../lib/schemas/workshop.ts';
import { RoomModel, roomCsv } from '../lib/workshop/room-model.ts';
import type { Db } from './db/index.ts';
import { bearer, HttpError, MinuteCounter, readJson, sendJson } from './http-util.ts';
import { Hub, sseSubscriber } from './hub.ts';
import { EventBatcher } from './event-batcher.ts';
import { facilitatorAsset } from './page/assets.ts';
import * as store from './store.ts';
import { publicKeyOf, roomExport } from './records.ts';
import { courseManifest } from '../node/course-manifest.ts';
import { lessonsDir } from '../node/load-exercise.ts';
import type { CourseManifest } from '../lib/record/index.ts';

export interface WorkshopOptions {
  db: Db;
  host?: string;
  port?: number;
  /** Course origins allowed to call the learner API, e.g. http://localhost:4321. */
  origins: string[];
  /** Largest learner event body, in bytes. */
  maxEventBytes?: number;
  /** The course's address, for the join link on the facilitator page. */
  courseUrl?: string;
  /** Behind a reverse proxy: take the learner's address from X-Forwarded-For (for the wrong-code limit). */
  trustProxy?: boolean;
  /** The course folder the completion records are issued against (default: lessonsDir(), i.e. ./lessons). */
  lessonsDir?: string;
}

export interface WorkshopHandle {
  url: string;
  server: Server;
  hub: Hub;
  close(): Promise<void>;
}

const JOIN_BYTES = 1024;
const FACILITATOR_BYTES = 2048;
export const DEFAULT_EVENT_BYTES = 8192;
/** Wrong codes per address per minute before joins from there are refused for a while (codes are guessable otherwise). */
const FAILED_JOINS_PER_MINUTE = 20;
const HEARTBEAT_MS = 20_000;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, describeIssues(r.error));
  return r.data;
}

export async function startWorkshopService(options: WorkshopOptions): Promise<WorkshopHandle> {
  const { db } = options;
  const origins = new Set(options.origins.map((o) => new URL(o).origin));
  const maxEventBytes = options.maxEventBytes ?? DEFAULT_EVENT_BYTES;
  const hub = new Hub();
  const roomEvents = new MinuteCounter();
  const failedJoins = new MinuteCounter();
  const openStreams = new Set<ServerResponse>();
  // Check results are committed in batches per room (see event-batcher.ts) and published in id order.
  const batchers = new Map<number, EventBatcher>();
  const batcher = (roomId: number) => {
    let b = batchers.get(roomId);
    if (!b) batchers.set(roomId, (b = new EventBatcher(db, (e) => hub.publish(roomId, 'facilitator', 'event', e, e.id))));
    return b;
  };
  // Every event needs its learner and room: kept in memory (a learner's leave removes it here too).
  const learnerCache = new Map<string, store.Learner>();
  const roomCache = new Map<number, store.Room>();
  // The course the room's completion records are issued against: read once, again after a failure.
  let course: Promise<CourseManifest> | null = null;
  const courseForRecords = async () => {
    const dir = options.lessonsDir ?? lessonsDir();
    course ??= courseManifest(dir);
    try {
      return await course;
    } catch (e) {
      course = null;
      throw new HttpError(503, `Completion records need the course folder, to name each chapter's checks: ${(e as Error).message}`);
    }
  };
  const cachedRoom = async (id: number) => {
    let r = roomCache.get(id);
    if (!r) {
      r = (await store.roomById(db, id))!;
      if (roomCache.size > 1000) roomCache.clear();
      roomCache.set(id, r);
    }
    return r;
  };

  /** CORS for the learner API: the course's origins get the headers; any other Origin is refused. */
  function learnerCors(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin) return {}; // not a browser page (curl, the benchmark): the token still decides
    if (!origins.has(origin))
      throw new HttpError(403, `This workshop does not accept pages from ${origin}. The facilitator can allow it: leakproof workshop --origin ${origin}`);
    return {
      'access-control-allow-origin': origin,
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-max-age': '600',
      vary: 'Origin',
    };
  }

  /** The facilitator API answers only its own page (same origin) or a tool without a browser. */
  function facilitatorOnly(req: IncomingMessage): void {
    const origin = req.headers.origin;
    if (!origin) return;
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {} // "null" (sandboxed frames, files) or garbage: refused below
    if (host !== req.headers.host) throw new HttpError(403, 'The facilitator API answers only the facilitator page of this service.');
  }

  async function learnerFrom(req: IncomingMessage): Promise<store.Learner> {
    const t = bearer(req);
    if (!t) throw new HttpError(401, 'Join the room first: this request has no learner token (Authorization: Bearer …).');
    let learner = learnerCache.get(t) ?? null;
    if (!learner) {
      learner = await store.learnerByToken(db, t);
      if (learner) {
        if (learnerCache.size > 10_000) learnerCache.clear();
        learnerCache.set(t, learner);
      }
    }
    if (!learner) throw new HttpError(401, 'This learner token is not valid in any room (it may have left the room). Join again with the room code.');
    return learner;
  }

  async function roomFromSecret(req: IncomingMessage): Promise<store.Room> {
    facilitatorOnly(req);
    const t = bearer(req);
    const room = t ? await store.roomBySecret(db, t) : null;
    if (!room) throw new HttpError(401, 'This facilitator link is not valid. Open the link `leakproof workshop` printed.');
    return room;
  }

  async function snapshot(room: store.Room, after: number): Promise<RoomSnapshot> {
    const [learners, events, released, messages] = await Promise.all([
      store.learners(db, room.id),
      store.eventsAfter(db, room.id, after),
      store.releases(db, room.id),
      store.messages(db, room.id),
    ]);
    return {
      room: { code: room.code, createdAt: room.createdAt },
      learners: learners.map(({ roomId: _r, ...l }) => l),
      events,
      released,
      messages,
    };
  }

  async function learnerView(learner: store.Learner): Promise<LearnerView> {
    const room = (await store.roomById(db, learner.roomId))!;
    return { room: { code: room.code }, you: { id: learner.id, name: learner.name }, released: await store.releases(db, room.id), messages: await store.messages(db, room.id, 5) };
  }

  /** Opens an SSE response; `start` sends the first state while live messages wait, then they follow in order. */
  async function stream(req: IncomingMessage, res: ServerResponse, roomId: number, audience: 'facilitator' | 'learner', extraHeaders: Record<string, string>, start: (send: (type: string, data: unknown, id?: number) => void) => Promise<number>, learnerId?: number) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no', ...extraHeaders });
    res.socket?.setNoDelay(true);
    const direct = sseSubscriber(res, audience, learnerId);
    const waiting: Array<[string, unknown, number | undefined]> = [];
    let lastId = 0;
    let live = false;
    const unsubscribe = hub.subscribe(roomId, {
      audience,
      learnerId,
      send(type, data, id) {
        if (!live) waiting.push([type, data, id]);
        else direct.send(type, data, id);
      },
    });
    openStreams.add(res);
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS);
    const end = () => {
      clearInterval(heartbeat);
      unsubscribe();
      openStreams.delete(res);
    };
    req.on('close', end);
    res.on('error', end);
    try {
      lastId = await start(direct.send);
    } catch (e) {
      end();
      res.destroy(e as Error);
      return;
    }
    for (const [type, data, id] of waiting) if (id === undefined || id > lastId) direct.send(type, data, id);
    live = true;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://service');
    const path = url.pathname;
    const method = req.method ?? 'GET';

    if (path.startsWith('/api/join') || path.startsWith('/api/learner')) {
      const cors = learnerCors(req);
      if (method === 'OPTIONS') {
        res.writeHead(204, cors);
        res.end();
        return;
      }
      if (path === '/api/join' && method === 'POST') {
        const forwarded = options.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',')[0]!.trim() : '';
        const ip = forwarded || req.socket.remoteAddress || '?';
        if (failedJoins.count(ip) >= FAILED_JOINS_PER_MINUTE) throw new HttpError(429, 'Too many wrong room codes from this address. Wait a minute, then check the code with your facilitator.');
        const body = parse(joinRequestSchema, await readJson(req, JOIN_BYTES));
        const room = await store.roomByCode(db, body.code);
        if (!room) {
          failedJoins.hit(ip);
          throw new HttpError(404, `There is no room with the code ${body.code}. Check the code with your facilitator.`);
        }
        let joined;
        try {
          joined = await store.addLearner(db, room, body.name);
        } catch (e) {
          if (e instanceof store.RoomFullError) throw new HttpError(409, e.message);
          throw e;
        }
        const { roomId: _r, ...learner } = joined.learner;
        hub.publish(room.id, 'facilitator', 'learner', learner);
        sendJson(res, 201, { token: joined.token, learner: { id: learner.id, name: learner.name }, room: { code: room.code } }, cors);
        return;
      }
      if (path === '/api/learner' && method === 'GET') {
        sendJson(res, 200, await learnerView(await learnerFrom(req)), cors);
        return;
      }
      if (path === '/api/learner/stream' && method === 'GET') {
        const learner = await learnerFrom(req);
        await stream(req, res, learner.roomId, 'learner', cors, async (send) => {
          send('view', await learnerView(learner));
          return 0;
        }, learner.id);
        return;
      }
      if (path === '/api/learner/events' && method === 'POST') {
        const learner = await learnerFrom(req);
        const room = await cachedRoom(learner.roomId);
        const event = parse(learnerEventSchema, await readJson(req, maxEventBytes));
        if (roomEvents.hit(String(room.id)) > room.maxEventsPerMinute)
          throw new HttpError(429, `This room takes at most ${room.maxEventsPerMinute} check results a minute and has had more. Your result was not recorded: check again in a minute.`);
        const stored = await batcher(room.id).add(learner, event);
        sendJson(res, 202, { id: stored.id }, cors);
        return;
      }
      if (path === '/api/learner/leave' && method === 'POST') {
        const learner = await store.leave(db, await learnerFrom(req));
        learnerCache.delete(bearer(req)!);
        const { roomId, ...rest } = learner;
        hub.publish(roomId, 'facilitator', 'learner', rest);
        sendJson(res, 200, { left: true }, cors);
        return;
      }
      throw new HttpError(method === 'GET' || method === 'POST' ? 404 : 405, `No ${method} ${path} on the workshop service.`);
    }

    if (path.startsWith('/api/facilitator/')) {
      const room = await roomFromSecret(req);
      if (path === '/api/facilitator/stream' && method === 'GET') {
        const after = parse(afterIdSchema, url.searchParams.get('after') ?? '0');
        await stream(req, res, room.id, 'facilitator', {}, async (send) => {
          const snap = await snapshot(room, after);
          const last = snap.events.at(-1)?.id ?? after;
          send('snapshot', snap, last || undefined);
          return last;
        });
        return;
      }
      if (path === '/api/facilitator/release' && method === 'POST') {
        const { chapter } = parse(releaseRequestSchema, await readJson(req, FACILITATOR_BYTES));
        const r = await store.release(db, room.id, chapter);
        hub.publish(room.id, 'all', 'release', r);
        sendJson(res, 200, r);
        return;
      }
      if (path === '/api/facilitator/message' && method === 'POST') {
        const { text } = parse(messageRequestSchema, await readJson(req, FACILITATOR_BYTES));
        const m = await store.postMessage(db, room.id, text);
        hub.publish(room.id, 'all', 'message', m);
        sendJson(res, 200, m);
        return;
      }
      if (path === '/api/facilitator/export.csv' && method === 'GET') {
        const snap = await snapshot(room, 0);
        const model = new RoomModel();
        for (const l of snap.learners) model.addLearner(l);
        for (const e of snap.events) model.apply(e);
        const csv = roomCsv(model, Date.now());
        res.writeHead(200, {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': `attachment; filename="leakproof-workshop-${room.code}.csv"`,
          'cache-control': 'no-store',
        });
        res.end(csv);
        return;
      }
      if (path === '/api/facilitator/records-key' && method === 'GET') {
        sendJson(res, 200, { room: room.code, recordsKey: publicKeyOf(await store.roomSigningKey(db, room.id)) });
        return;
      }
      if (path === '/api/facilitator/records.json' && method === 'GET') {
        const [manifest, learners, events, privateKeyPem] = await Promise.all([
          courseForRecords(),
          store.learners(db, room.id),
          store.eventsAfter(db, room.id, 0),
          store.roomSigningKey(db, room.id),
        ]);
        const file = await roomExport({ code: room.code, learners, events, course: manifest, privateKeyPem });
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          'content-disposition': `attachment; filename="leakproof-records-${room.code}.json"`,
          'cache-control': 'no-store',
        });
        res.end(`${JSON.stringify(file, null, 2)}\n`);
        return;
      }
      const learnerMatch = /^\/api\/facilitator\/learners\/([^/]+)\/events$/.exec(path);
      if (learnerMatch && method === 'GET') {
        const id = parse(idParamSchema, learnerMatch[1]);
        const all = await store.learners(db, room.id);
        if (!all.some((l) => l.id === id)) throw new HttpError(404, `There is no learner ${id} in this room.`);
        sendJson(res, 200, { events: (await store.eventsAfter(db, room.id, 0)).filter((e) => e.learnerId === id) });
        return;
      }
      throw new HttpError(404, `No ${method} ${path} on the workshop service.`);
    }

    if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, `No ${method} ${path} on the workshop service.`);
    if (path === '/healthz') return sendJson(res, 200, { ok: true, database: db.dialect });
    const asset = await facilitatorAsset(path, { courseUrl: options.courseUrl ?? [...origins][0] ?? '' });
    if (asset) {
      res.writeHead(200, asset.headers);
      res.end(method === 'HEAD' ? undefined : asset.body);
      return;
    }
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Leakproof workshop service. Facilitators: open the link `leakproof workshop` printed. Learners: join from the course with the room code.\n');
      return;
    }
    throw new HttpError(404, `Nothing at ${path}.`);
  }

  const server = createServer({ requestTimeout: 30_000, headersTimeout: 10_000 }, (req, res) => {
    handle(req, res).catch((e) => {
      const status = e instanceof HttpError ? e.status : 500;
      const message = e instanceof HttpError ? e.message : 'The workshop service failed on this request; it is logged on the service.';
      if (!(e instanceof HttpError)) console.error(`workshop: ${req.method} ${req.url?.split('?')[0]}: ${(e as Error).stack ?? e}`);
      if (res.headersSent) return void res.destroy();
      // Refusals carry CORS headers too, so the course page can show the reason.
      const origin = req.headers.origin;
      const cors: Record<string, string> = origin && origins.has(origin) ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {};
      sendJson(res, status, { error: message }, cors);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 4800, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${host === '0.0.0.0' || host === '[::]' ? '127.0.0.1' : host}:${addr.port}`,
    server,
    hub,
    /** Stops taking requests, lets the ones in flight finish (their results are committed), then closes. */
    async close() {
      const closed = new Promise<void>((r) => server.close(() => r()));
      for (const res of openStreams) res.destroy();
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), 5000);
      await closed;
      clearTimeout(timer);
    },
  };
}
