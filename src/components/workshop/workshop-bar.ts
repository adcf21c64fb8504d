// Loaded on every page but small: membership.ts (with zod) is imported only once the learner is in
// a room. Check results reach the room from the check panel's lp-check-report event, so every
// engine (local, WebContainer, in-browser) reports the same way.
import type { Membership } from './membership.ts';

const KEY = 'leakproof:workshop';
const inRoom = () => {
  try {
    return !!localStorage.getItem(KEY);
  } catch {
    return false;
  }
};
let mod: Promise<typeof import('./membership.ts')> | null = null;
const load = () => (mod ??= import('./membership.ts'));

const bar = document.querySelector<HTMLElement>('[data-lp-ws-bar]');
const q = (sel: string) => bar?.querySelector<HTMLElement>(sel) ?? null;

function render(m: Membership | null) {
  if (!bar) return;
  bar.hidden = !m;
  document.documentElement.toggleAttribute('data-lp-workshop', !!m);
  if (!m) return;
  q('[data-lp-ws-room]')!.textContent = `In workshop room ${m.code} as ${m.name}. Your check results (not your code) go to the facilitator.`;
  const msg = q('[data-lp-ws-message]')!;
  msg.textContent = m.lastMessage ? `Facilitator: ${m.lastMessage.text}` : '';
  msg.hidden = !m.lastMessage;
}

function showError(text: string) {
  const e = q('[data-lp-ws-error]');
  if (!e) return;
  e.textContent = text;
  if (bar) bar.hidden = false;
}

addEventListener('lp-workshop-change', (e) => {
  render((e as CustomEvent<Membership | null>).detail);
  q('[data-lp-ws-error]')!.textContent = '';
});
addEventListener('lp-workshop-error', (e) => showError((e as CustomEvent<string>).detail));
q('[data-lp-ws-leave]')?.addEventListener('click', () => void load().then((m) => m.leave()));

if (inRoom())
  void load().then((m) => {
    render(m.membership());
    m.connect();
  });

document.addEventListener('lp-check-report', (e) => {
  if (!inRoom()) return;
  const { chapter, report, durationMs, checksHash } = (e as CustomEvent).detail;
  void load().then((m) => m.report(m.checkEvent(chapter, report, durationMs ?? 0, checksHash)));
});

// "Working on it" starts when the learner opens the exercise.
const opened = new Set<string>();
for (const type of ['lp-plain-editor', 'lp-editor-ready'])
  document.addEventListener(type, (e) => {
    const chapter = (e as CustomEvent<{ chapter?: string }>).detail?.chapter;
    if (!chapter || opened.has(chapter) || !inRoom()) return;
    opened.add(chapter);
    void load().then((m) => m.report({ kind: 'open', chapter }));
  });
