// The facilitator page (bundled by assets.ts). The secret comes in the URL fragment, which the
// browser never sends to a server nor puts in a Referer; the page moves it to sessionStorage,
// removes it from the address bar, and sends it only as an Authorization header to this service.
import type { LearnerRecord, RoomEvent, RoomSnapshot } from '../../lib/schemas/workshop.ts';
import { followSse } from '../../lib/workshop/sse.ts';
import { RoomModel, type Cell } from '../../lib/workshop/room-model.ts';

const SECRET_KEY = 'leakproof:workshop:facilitator';
const hashSecret = new URLSearchParams(location.hash.slice(1)).get('secret');
if (hashSecret) {
  sessionStorage.setItem(SECRET_KEY, hashSecret);
  history.replaceState(null, '', location.pathname);
}
const secret = sessionStorage.getItem(SECRET_KEY) ?? '';
const auth = { authorization: `Bearer ${secret}` };

const $ = <T extends Element>(sel: string) => document.querySelector(sel) as T;
const status = $<HTMLElement>('[data-connection]');
let model = new RoomModel();
let released = new Set<string>();
let code = '';

function setStatus(text: string, state: string) {
  status.textContent = text;
  status.dataset.state = state;
}

function minutes(ms: number): string {
  const m = Math.floor(ms / 60_000);
  return m < 1 ? `${Math.round(ms / 1000)} s` : `${m} min`;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Array<Node | string>): HTMLElementTagNameMap[K] {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function cellNode(c: Cell, now: number): HTMLTableCellElement {
  const stuck = model.stuck(c, now);
  const td = el('td', { className: `${c.status}${stuck ? ' stuck' : ''}` });
  td.dataset.learner = String(c.learnerId);
  td.dataset.chapter = c.chapter;
  td.dataset.status = c.status;
  if (c.status === 'not-started') {
    td.append('not started');
    return td;
  }
  td.append(el('strong', {}, c.status === 'passed' ? 'passed' : 'working'), el('br'), `${c.attempts} attempt${c.attempts === 1 ? '' : 's'} · ${minutes(model.timeOnChapter(c, now))}`);
  if (c.mostFailing) td.append(el('br'), `fails most: ${c.mostFailing} (${c.mostFailingCount}×)`);
  if (stuck) {
    const badge = el('span', { className: 'badge', title: stuck === 'same-check' ? 'The same check failed 3 times in a row' : '10 minutes without passing a new check' }, 'stuck');
    badge.dataset.stuck = stuck;
    td.append(el('br'), badge, stuck === 'same-check' ? ' same check failing' : ' no progress for 10 min');
  }
  return td;
}

function renderGrid(now: number) {
  const learners = [...model.learners.values()].sort((a, b) => a.id - b.id);
  const chapters = model.sortedChapters();
  const active = learners.filter((l) => !l.leftAt).length;
  $('[data-learner-count]').textContent = `(${active} in the room${learners.length > active ? `, ${learners.length - active} left` : ''})`;
  const grid = $<HTMLElement>('[data-grid]');
  if (!learners.length) return grid.replaceChildren(el('p', { className: 'muted' }, 'No learner has joined yet.'));
  const head = el('tr', {}, el('th', { scope: 'col' }, 'Learner'), ...chapters.map((c) => el('th', { scope: 'col' }, c)));
  const rows = learners.map((l) => {
    const name = el('th', { scope: 'row', className: l.leftAt ? 'left' : '' }, l.name);
    if (l.leftAt) name.title = 'left the room';
    const tr = el('tr', {}, name, ...chapters.map((c) => cellNode(model.cell(l.id, c), now)));
    tr.dataset.learnerName = l.name;
    return tr;
  });
  grid.replaceChildren(el('table', {}, el('thead', {}, head), el('tbody', {}, ...rows)));
}

function renderChapters() {
  const box = $<HTMLElement>('[data-chapters]');
  const chapters = model.sortedChapters();
  if (!chapters.length) return box.replaceChildren(el('p', { className: 'muted' }, 'No check result yet.'));
  box.replaceChildren(
    ...chapters.map((chapter) => {
      const failing = model.failingAcrossRoom(chapter);
      const section = el('div', { className: 'chapter' }, el('h3', {}, chapter));
      section.dataset.chapter = chapter;
      section.append(
        failing.length
          ? el('ul', {}, ...failing.map((f) => el('li', {}, `${f.check}: failing for ${f.learners} learner${f.learners === 1 ? '' : 's'}`)))
          : el('p', { className: 'muted' }, 'No check failing right now.'),
      );
      if (released.has(chapter)) section.append(el('p', {}, 'Solution released to the room.'));
      else {
        const button = el('button', { type: 'button' }, `Release the solution of ${chapter}`);
        button.addEventListener('click', () => void post('/api/facilitator/release', { chapter }).then(() => undefined, (e: Error) => setStatus(e.message, 'refused')));
        section.append(button);
      }
      return section;
    }),
  );
}

let scheduled = false;
function render() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    const now = Date.now();
    renderGrid(now);
    renderChapters();
  });
}

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await fetch(path, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await res.json().catch(() => ({}))) as { error?: string };
  if (!res.ok) throw new Error(json.error ?? `HTTP ${res.status}`);
  return json;
}

function applySnapshot(s: RoomSnapshot) {
  code = s.room.code;
  for (const n of document.querySelectorAll('[data-code]')) n.textContent = code;
  const course = document.body.dataset.courseUrl || '';
  const link = $<HTMLAnchorElement>('[data-join-link]');
  if (course) {
    const u = new URL(course);
    u.searchParams.set('room', code);
    u.searchParams.set('workshop', location.origin);
    link.href = link.textContent = u.toString();
  } else link.replaceWith(`(start the service with --course <address of the course> to show a link)`);
  // A snapshot after a reconnect carries only newer events; learners and releases come whole.
  for (const l of s.learners) model.addLearner(l);
  for (const e of s.events) model.apply(e);
  released = new Set(s.released);
  render();
}

if (!secret) setStatus('This page needs the facilitator link that `leakproof workshop` printed (it ends with #secret=…).', 'refused');
else {
  followSse({
    url: () => `/api/facilitator/stream?after=${model.lastEventId}`,
    headers: auth,
    onState: (state, detail) =>
      setStatus(state === 'open' ? 'Live' : state === 'refused' ? `Refused: ${detail}` : 'Connection lost: reconnecting…', state),
    onMessage: (m) => {
      const data = JSON.parse(m.data) as unknown;
      if (m.event === 'snapshot') applySnapshot(data as RoomSnapshot);
      else if (m.event === 'event') model.apply(data as RoomEvent);
      else if (m.event === 'learner') model.addLearner(data as LearnerRecord);
      else if (m.event === 'release') released.add((data as { chapter: string }).chapter);
      render();
    },
  });
  // The public key that signs the room's completion records, for the facilitator to publish.
  fetch('/api/facilitator/records-key', { headers: auth })
    .then((r) => (r.ok ? (r.json() as Promise<{ recordsKey: string }>) : null))
    .then((k) => k && ($<HTMLElement>('[data-records-key]').textContent = k.recordsKey))
    .catch(() => {});
  // Time on chapter and the "10 minutes without progress" flag change with the clock alone.
  setInterval(render, 15_000);
}

$<HTMLFormElement>('[data-message-form]').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $<HTMLInputElement>('#message');
  const result = $<HTMLElement>('[data-message-result]');
  post('/api/facilitator/message', { text: input.value }).then(
    () => {
      result.textContent = `Sent: ${input.value}`;
      input.value = '';
    },
    (err: Error) => (result.textContent = `Not sent: ${err.message}`),
  );
});

/** Downloads a facilitator export (the secret goes as a header, so no plain link can do it). */
async function download(path: string, filename: string) {
  const res = await fetch(path, { headers: auth });
  if (!res.ok) return setStatus(`Export refused: ${((await res.json().catch(() => ({}))) as { error?: string }).error ?? res.status}`, 'refused');
  const a = el('a', { href: URL.createObjectURL(await res.blob()), download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

$<HTMLButtonElement>('[data-export]').addEventListener('click', () => void download('/api/facilitator/export.csv', `leakproof-workshop-${code}.csv`));
$<HTMLButtonElement>('[data-export-records]').addEventListener('click', () => void download('/api/facilitator/records.json', `leakproof-records-${code}.json`));
