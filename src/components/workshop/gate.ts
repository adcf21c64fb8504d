// Whether the check panel may offer a chapter's solution: without a workshop room, after three
// failed attempts as always; in a room, only once the facilitator released it. Reads the
// membership membership.ts keeps in localStorage (no zod here: the check panel stays small).
// The solution ships in the page either way (a static site has no other place for it): in a room
// this hides the offer, it does not make the solution secret.
export function solutionGate(chapter: string): 'no-room' | 'released' | 'hidden' {
  let m: { released?: unknown } | null = null;
  try {
    m = JSON.parse(localStorage.getItem('leakproof:workshop') ?? 'null');
  } catch {}
  if (!m) return 'no-room';
  return Array.isArray(m.released) && m.released.includes(chapter) ? 'released' : 'hidden';
}
