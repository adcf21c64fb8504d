// `npm run <script>` / `npm start` without npm: npm itself takes about a second to start, which
// is most of a small check. When the script has no pre/post hooks and no extra arguments, the
// engine runs it the way npm does (sh -c, node_modules/.bin first on PATH, npm_lifecycle_* set).
// Anything else goes to the real npm.
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface DirectScript {
  command: string;
  args: string[];
  env: Record<string, string>;
}

export function directScript(command: string, args: string[], cwd: string, path: string): DirectScript | null {
  if (command !== 'npm') return null;
  let name: string | undefined;
  if ((args[0] === 'run' || args[0] === 'run-script') && args.length === 2) name = args[1];
  else if ((args[0] === 'start' || args[0] === 'test') && args.length === 1) name = args[0];
  if (!name || name.startsWith('-')) return null;
  let pkg: { name?: string; version?: string; scripts?: Record<string, string> };
  try {
    pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  } catch {
    return null; // let npm explain what is wrong with package.json
  }
  const script = pkg.scripts?.[name];
  if (typeof script !== 'string' || pkg.scripts?.[`pre${name}`] || pkg.scripts?.[`post${name}`]) return null;
  return {
    command: 'sh',
    args: ['-c', script],
    env: {
      PATH: [join(cwd, 'node_modules', '.bin'), path].join(delimiter),
      npm_lifecycle_event: name,
      npm_lifecycle_script: script,
      npm_package_name: pkg.name ?? '',
      npm_package_version: pkg.version ?? '',
      npm_package_json: join(cwd, 'package.json'),
      INIT_CWD: cwd,
      npm_node_execpath: process.execPath,
    },
  };
}
