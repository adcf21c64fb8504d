// GitHub Actions triggers that start a workflow for only some commits: chapters 5 (scan every push and
// pull request) and 10 (scan every pull request) both refuse a scan that a filter keeps from running.

/**
 * Why a push or pull_request(_target) trigger misses some commits, or undefined: a `paths` filter not covering
 * every file (or any `paths-ignore`) never starts the workflow for a commit that adds the key to
 * another file; `tags` without `branches` runs it on tag pushes only.
 */
export function triggerMisses(on: unknown, event: 'push' | 'pull_request' | 'pull_request_target'): string | undefined {
  if (!on || typeof on !== 'object' || Array.isArray(on)) return undefined;
  const t = (on as Record<string, unknown>)[event];
  if (!t || typeof t !== 'object') return undefined;
  const f = t as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? [v] : []);
  const paths = list(f.paths);
  if (paths.length && !paths.some((p) => p === '**' || p === '**/*')) return `only when ${paths.join(', ')} change (paths:), so a commit that adds the key to another file never starts it`;
  if (list(f['paths-ignore']).length) return `not when only ${list(f['paths-ignore']).join(', ')} change (paths-ignore:), so a key added there is never scanned`;
  if (event === 'push' && (f.tags || f['tags-ignore']) && !f.branches && !f['branches-ignore']) return 'for tag pushes only (tags: without branches:), so no branch push is scanned';
  return undefined;
}
