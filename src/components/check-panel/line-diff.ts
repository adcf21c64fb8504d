// A small line diff (longest common subsequence) for "compare with a solution" when the Monaco diff
// editor is not available. Projects in this course are small, so O(n·m) per file is fine; very
// long files fall back to "replace all".
export type DiffLine = { op: ' ' | '-' | '+'; text: string };

export function lineDiff(before: string, after: string, maxCells = 4_000_000): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  if (a.length * b.length > maxCells) return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
  const m = a.length;
  const n = b.length;
  const dp: Uint32Array[] = Array.from({ length: m + 1 }, () => new Uint32Array(n + 1));
  for (let i = m - 1; i >= 0; i--) for (let j = n - 1; j >= 0; j--) dp[i]![j] = a[i] === b[j] ? dp[i + 1]![j + 1]! + 1 : Math.max(dp[i + 1]![j]!, dp[i]![j + 1]!);
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < m && j < n) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! });
      i++;
      j++;
    } else if (dp[i + 1]![j]! >= dp[i]![j + 1]!) out.push({ op: '-', text: a[i++]! });
    else out.push({ op: '+', text: b[j++]! });
  }
  while (i < m) out.push({ op: '-', text: a[i++]! });
  while (j < n) out.push({ op: '+', text: b[j++]! });
  return out;
}

export interface FileChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
  lines: DiffLine[];
}

/** Files that differ between the learner's project and the solution, sorted by path. */
export function projectDiff(mine: Record<string, string>, solution: Record<string, string>): FileChange[] {
  const paths = [...new Set([...Object.keys(mine), ...Object.keys(solution)])].sort();
  const out: FileChange[] = [];
  for (const path of paths) {
    const a = mine[path];
    const b = solution[path];
    if (a === b) continue;
    if (a === undefined) out.push({ path, kind: 'added', lines: lineDiff('', b!).filter((l) => l.op !== '-') });
    else if (b === undefined) out.push({ path, kind: 'removed', lines: lineDiff(a, '').filter((l) => l.op !== '+') });
    else out.push({ path, kind: 'changed', lines: lineDiff(a, b) });
  }
  return out;
}
