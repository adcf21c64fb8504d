// Throughput of `leakproof audit --target bundle` (whole process) on generated corpora of different
// shapes, each with the key planted in several forms and without it, printed beside baselines
// measured in the same run:
//   grep -F      the literal key
//   grep -F -f   a file of the key's 7 commonest encoded forms (the ratio the target is about: <= 2x)
//   read-only    a Node process that starts and reads every file
// Shapes (SHAPES below): minified (one-line chunks of ~400 KB + maps with sourcesContent, .gz),
// chunks100 (100 smaller one-line chunks + maps, the key 300 times on one line), pretty (many-line dev bundles + maps with a
// mapping every few columns, the key on 200 lines of one file), logs (many short lines, JSON lines,
// a .gz, the key on 300 lines of one file). Peak RSS from /usr/bin/time -v, for minified also at
// twice the size. Asserts nothing (no timing tests); prints ratios and a summary per corpus.
// Last, one generated file of HUGE_MB (default 1 GB) streamed through findKeyInStream: peak RSS
// must stay flat (windows of 8 MB), whatever the size.
// Usage: npm run bench:leak [-- --mb 50] [-- --runs 3] [-- --repeat 5] [-- --keep] [-- --corpus minified,pretty]
//                           [-- --no-memory] [-- --huge-mb 1024 | --no-huge] [-- --compare <other bin/leakproof.mjs>]
// --compare: also measures another checkout's CLI (e.g. the commit before a change, its prebuilt
// CLI fresh: `git worktree add /tmp/lp-before <commit> && cd /tmp/lp-before && npm ci`), run for
// run alternately with this one and the baselines, and prints both ratios: before and after from
// the same run, under the same load.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Measure the CLI as installs ship it: prebuilt audit/scan (scripts/build-cli.mjs), not the TS sources.
spawnSync(process.execPath, [join(root, 'scripts/build-cli.mjs')], { stdio: 'inherit' });
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const MB = Number(opt('--mb', 50));
const RUNS = Number(opt('--runs', 3));
/** Each timed figure is the average of this many runs in a row (see timed()). */
const REPEAT = Number(opt('--repeat', 5));
const KEEP = args.includes('--keep');
const HUGE_MB = args.includes('--no-huge') ? 0 : Number(opt('--huge-mb', 1024));
const MEMORY = !args.includes('--no-memory');
/** --build-only <dir>: write the corpora (and key.txt) there and stop, e.g. to profile an audit by hand. */
const OUT = opt('--build-only', undefined);
const COMPARE = opt('--compare', undefined);
const node = process.execPath;

// Deterministic pseudo-random numbers, so every run builds the same corpus.
let seed = 0x2545f491;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const chars = (n, a = URLSAFE) => Array.from({ length: n }, () => a[Math.floor(rand() * a.length)]).join('');
const KEY = 'sk-proj-' + chars(156);
/** Which corpus shapes to measure (see SHAPES below): --corpus minified,pretty */
const CORPORA = opt('--corpus', 'minified,chunks100,pretty,logs').split(',');

/** Real JavaScript from node_modules as material: realistic tokens, strings and escapes. */
function material() {
  const out = [];
  const walk = (d, depth) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 4 && !e.name.startsWith('.')) walk(p, depth + 1);
      else if (e.isFile() && /\.(m?js)$/.test(e.name) && !e.name.endsWith('.min.js')) {
        const s = statSync(p).size;
        if (s > 4000 && s < 400_000) out.push(p);
      }
    }
  };
  walk(join(root, 'node_modules'), 0);
  return out;
}

const minify = (src) => src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\n\s*\/\/[^\n]*/g, '\n').replace(/\s+/g, ' ');
const vlq = () => Array.from({ length: 1 + Math.floor(rand() * 3) }, () => chars(4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')).join(',');

/** The key planted in one of its encoded forms (the forms the grep baseline's -f file lists, and more). */
const forms = {
  plain: () => KEY,
  base64: () => Buffer.from('x' + KEY).toString('base64'),
  hex: () => Buffer.from(KEY).toString('hex'),
  xEscapes: () => [...KEY].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join(''),
  percent: () => [...KEY].map((c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).join(''),
};

/**
 * Shape 1, one-line minified files: chunks of minified JS (one line each) with source maps
 * (sourcesContent, one JSON line), every tenth also as .gz; `chunkKb` sets the chunk size.
 */
function buildMinified(dir, mb, plant, chunkKb = 400, manyTimes = 0) {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  const files = material();
  let total = 0;
  let n = 0;
  let fi = 0;
  let count = 0;
  const planted = [];
  while (total < mb * 1024 * 1024) {
    const sources = [];
    const contents = [];
    let js = '';
    while (js.length < chunkKb * 1000 && fi < files.length * 50) {
      const f = files[fi++ % files.length];
      const src = readFileSync(f, 'utf8');
      sources.push('../../' + relative(root, f));
      contents.push(src);
      js += minify(src);
    }
    const name = `assets/chunk-${String(n).padStart(3, '0')}-${chars(8)}.js`;
    if (plant) {
      if (n === 3) ((js = js.slice(0, 1000) + `const k="${KEY}";` + js.slice(1000)), planted.push(`${name}: plain`));
      if (n === 7) ((js += `;var b=atob("${forms.base64()}")`), planted.push(`${name}: base64`));
      if (n === 11) ((contents[0] = `if(import.meta.env.DEV){console.log("${KEY}")}\n` + contents[0]), planted.push(`${name}.map: sourcesContent`));
      if (n === 15) ((js += `;var a="${KEY.slice(0, 90)}"`), planted.push(`${name}: first fragment`));
      if (n === 16) ((js += `;var c="${KEY.slice(90)}"`), planted.push(`${name}: second fragment`));
      if (n === 19) ((js += `;var h="${forms.xEscapes()}"`), planted.push(`${name}: \\x escapes`));
      // A one-line chunk that inlines the key at every call site (each finding needs a line and column).
      if (n === 21 && manyTimes) {
        const step = Math.floor(js.length / manyTimes);
        let out = '';
        for (let i = 0; i < manyTimes; i++) out += js.slice(i * step, (i + 1) * step) + `;fetch(u,{headers:{Authorization:"Bearer ${KEY}"}});`;
        js = out + js.slice(manyTimes * step);
        planted.push(`${name}: plain, ${manyTimes} times on its one line`);
      }
    }
    const map = JSON.stringify({ version: 3, file: name, sources, sourcesContent: contents, names: [], mappings: Array.from({ length: js.length / 40 }, vlq).join(';') });
    writeFileSync(join(dir, name), js + `\n//# sourceMappingURL=${name.slice(7)}.map\n`);
    writeFileSync(join(dir, name + '.map'), map);
    total += js.length + map.length;
    count += 2;
    if (n % 10 === 0) {
      const gz = gzipSync(js, { level: 1 });
      writeFileSync(join(dir, name + '.gz'), gz);
      total += gz.length;
      count++;
    }
    n++;
  }
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/assets/chunk-000.js"></script>`);
  return { files: count, bytes: total, planted };
}

/**
 * Shape 2, many-line files: a development build (modules as written, one statement per line, each
 * module behind a comment naming it) and source maps with a mapping for every few columns of every
 * line; the key in five forms, one of them on many lines of one file.
 */
function buildPretty(dir, mb, plant) {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  const files = material();
  let total = 0;
  let n = 0;
  let fi = 0;
  let count = 0;
  const planted = [];
  while (total < mb * 1024 * 1024) {
    const sources = [];
    let js = '';
    while (js.length < 600_000) {
      const f = files[fi++ % files.length];
      sources.push('../' + relative(root, f));
      js += `// ${relative(join(root, 'node_modules'), f)}\nvar init_${n}_${sources.length} = __esm({\n${readFileSync(f, 'utf8')}\n});\n`;
    }
    const lines = js.split('\n');
    const name = `dist/bundle-${String(n).padStart(3, '0')}.js`;
    if (plant) {
      const at = (form, label) => (lines.splice(Math.floor(lines.length / 2), 0, form), planted.push(`${name}: ${label}`));
      if (n === 1) at(`  headers: { Authorization: "Bearer ${KEY}" },`, 'plain');
      if (n === 3) at(`  const cfg = JSON.parse(atob("${forms.base64()}"));`, 'base64');
      if (n === 5) at(`  const k = Buffer.from("${forms.hex()}", "hex").toString();`, 'hex');
      if (n === 7) at(`  const k = "${forms.xEscapes()}";`, '\\x escapes');
      if (n === 9) {
        for (let i = 0; i < 200; i++) lines.splice(Math.floor((lines.length * i) / 200), 0, `  fetch(u, { headers: { Authorization: "Bearer ${KEY}" } }); // call ${i}`);
        planted.push(`${name}: plain, on 200 lines`);
      }
    }
    js = lines.join('\n');
    // Mappings: one group per generated line, a segment for every ~8 columns.
    const mappings = lines.map((l) => Array.from({ length: 1 + Math.floor(l.length / 8) }, () => chars(4, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')).join(',')).join(';');
    const map = JSON.stringify({ version: 3, file: name, sources, names: [], mappings });
    writeFileSync(join(dir, name), js + `\n//# sourceMappingURL=${name.slice(5)}.map\n`);
    writeFileSync(join(dir, name + '.map'), map);
    total += js.length + map.length;
    count += 2;
    n++;
  }
  return { files: count, bytes: total, planted };
}

/**
 * Shape 3, logs: many short lines (request logs, JSON lines) in files of ~2 MB, a rotated one
 * gzipped; the key in five forms, one of them on many lines (a client that logs its headers).
 */
function buildLogs(dir, mb, plant) {
  mkdirSync(join(dir, 'logs'), { recursive: true });
  const paths = ['/v1/chat/completions', '/v1/responses', '/api/users', '/assets/app.js', '/healthz', '/v1/models'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36', 'curl/8.5.0', 'node-fetch/1.0', 'OpenAI/NodeJS/4.52.0'];
  let total = 0;
  let count = 0;
  const planted = [];
  for (let n = 0; total < mb * 1024 * 1024; n++) {
    const lines = [];
    let size = 0;
    let t = Date.UTC(2026, 0, 1) + n * 3_600_000;
    while (size < 2_000_000) {
      t += Math.floor(rand() * 900);
      const ts = new Date(t).toISOString();
      const l =
        rand() < 0.7
          ? `${ts} INFO  http req=${chars(12)} ${rand() < 0.8 ? 'GET' : 'POST'} ${paths[Math.floor(rand() * paths.length)]}?page=${Math.floor(rand() * 50)} ${rand() < 0.95 ? 200 : 500} ${Math.floor(rand() * 900)}ms ua="${agents[Math.floor(rand() * agents.length)]}"`
          : JSON.stringify({ time: ts, level: 'debug', msg: 'upstream', id: chars(24), tokens: Math.floor(rand() * 4000), model: 'gpt-4o-mini', latency: rand() * 3 });
      lines.push(l);
      size += l.length + 1;
    }
    const name = `logs/app-${String(n).padStart(3, '0')}.log`;
    if (plant) {
      const at = (l, label) => (lines.splice(Math.floor(lines.length * 0.6), 0, l), planted.push(`${name}: ${label}`));
      if (n === 1) at(`2026-01-01T01:00:00.000Z DEBUG env OPENAI_API_KEY=${KEY}`, 'plain');
      if (n === 3) at(`2026-01-01T03:00:00.000Z DEBUG GET /v1/models?api_key=${forms.percent()} 401`, 'percent');
      if (n === 5) at(JSON.stringify({ level: 'debug', msg: 'config', blob: forms.base64() }), 'base64');
      if (n === 7) at(JSON.stringify({ level: 'debug', msg: 'headers', authorization: `Bearer ${KEY}` }).replace(/-/g, '\\u002d'), 'JSON \\u escapes');
      if (n === 9) {
        for (let i = 0; i < 300; i++) lines.splice(Math.floor((lines.length * i) / 300), 0, `2026-01-01T09:00:00.000Z DEBUG outgoing request headers={"authorization":"Bearer ${KEY}"} try=${i}`);
        planted.push(`${name}: plain, on 300 lines`);
      }
    }
    const text = lines.join('\n') + '\n';
    if (n === 2) {
      const gz = gzipSync(text, { level: 1 });
      writeFileSync(join(dir, name + '.1.gz'), gz);
      total += gz.length;
    } else {
      writeFileSync(join(dir, name), text);
      total += text.length;
    }
    count++;
  }
  return { files: count, bytes: total, planted };
}

const SHAPES = {
  minified: { label: 'one-line minified chunks + maps', build: (d, mb, p) => buildMinified(d, mb, p) },
  chunks100: { label: '100 one-line minified chunks + maps', build: (d, mb, p) => buildMinified(d, mb, p, Math.round((mb * 1024) / 100 / 3.2), 300) },
  pretty: { label: 'many-line dev bundles + maps with many mappings', build: buildPretty },
  logs: { label: 'many-line logs', build: buildLogs },
};

function encodedForms(key) {
  const b = Buffer.from(key);
  const b64 = (s) => Buffer.from(s).toString('base64');
  return [
    key,
    b64(key).slice(0, -4),
    b64('x' + key).slice(4, -4),
    b64('xy' + key).slice(4, -4),
    b.toString('hex'),
    [...key].reverse().join(''),
    [...key].map((c) => '%' + c.charCodeAt(0).toString(16).toUpperCase()).join(''),
  ];
}

const shellQuote = (a) => `'${String(a).replace(/'/g, `'\\''`)}'`;

/**
 * Runs `cmd` REPEAT times in a row under one /usr/bin/time and returns the average per run: time's
 * CPU figures have 10 ms steps, too coarse for a single run of ~0.1 s.
 */
function timed(cmd, argv, repeat = REPEAT) {
  const line = [cmd, ...argv].map(shellQuote).join(' ');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', `for i in $(seq ${repeat}); do ${line}; s=$?; done; exit $s`], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9 / repeat;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  // CPU time (user + system) is what the process itself costs; wall time also counts waiting for
  // other processes on a busy machine.
  const cpu = (Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0)) / repeat;
  return { s, cpu, rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The run with least CPU of each command, RUNS runs each, taken in turns (load drifts alike for all). */
function bestOf(cmds) {
  const b = {};
  for (let i = 0; i < RUNS; i++) {
    for (const [name, [cmd, argv]] of Object.entries(cmds)) {
      const r = timed(cmd, argv);
      if (!b[name] || r.cpu < b[name].cpu) b[name] = r;
    }
  }
  return b;
}

const READ_ALL = `const fs=require('fs'),p=require('path');let n=0;const w=d=>{for(const e of fs.readdirSync(d,{withFileTypes:true})){const q=p.join(d,e.name);if(e.isDirectory())w(q);else n+=fs.readFileSync(q).length}};w(process.argv[1]);console.log(n)`;

function measure(dir, keyFile, formsFile) {
  const audit = existsSync(join(root, 'src/cli/commands/audit.ts'))
    ? [join(root, 'bin/leakproof.mjs'), 'audit', dir, '--key-file', keyFile, '--target', 'bundle', '--json']
    : null;
  const cmds = {
    grepF: ['grep', ['-rF', '-c', KEY, dir]],
    grepFf: ['grep', ['-rF', '-c', '-f', formsFile, dir]],
    read: [node, ['-e', READ_ALL, dir]],
  };
  if (audit) cmds.audit = [node, audit];
  if (audit && COMPARE) cmds.compare = [node, [COMPARE, ...audit.slice(1)]];
  const b = bestOf(cmds);
  return { audit: null, compare: null, ...b };
}

const work = mkdtempSync(join(tmpdir(), 'leakproof-bench-leak-'));
try {
  const keyFile = join(work, 'key.txt');
  const formsFile = join(work, 'forms.txt');
  writeFileSync(keyFile, KEY + '\n');
  writeFileSync(formsFile, encodedForms(KEY).join('\n') + '\n');
  if (OUT) (mkdirSync(OUT, { recursive: true }), writeFileSync(join(OUT, 'key.txt'), KEY + '\n'), writeFileSync(join(OUT, 'forms.txt'), encodedForms(KEY).join('\n') + '\n'));
  const os = await import('node:os');
  console.log(`bench:leak — node ${process.version}, ${RUNS} runs of ${REPEAT} in a row each (the run with least CPU shown, per process); load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs\n`);
  const rows = [];
  const cases = [];
  for (const shape of CORPORA) {
    cases.push([shape, `${shape}, ${MB} MB with key`, MB, true], [shape, `${shape}, ${MB} MB without key`, MB, false]);
    if (shape === 'minified' && MEMORY) cases.push([shape, `${shape}, ${MB * 2} MB with key`, MB * 2, true]);
  }
  for (const [shape, label, mb, plant] of cases) {
    const dir = join(OUT ?? work, label.replace(/\W+/g, '-'));
    seed = 0x2545f491; // the same corpus whatever else ran before
    const c = SHAPES[shape].build(dir, mb, plant);
    if (OUT) {
      console.log(`${dir}: ${c.files} files, ${(c.bytes / 1048576).toFixed(1)} MB; planted: ${c.planted.join('; ') || 'nothing'}`);
      continue;
    }
    const m = measure(dir, keyFile, formsFile);
    let verdict = 'n/a';
    if (m.audit) {
      const last = m.audit.stdout.trim().split('\n').pop();
      try {
        const j = JSON.parse(last);
        verdict = `leak=${j.leak} findings=${j.findings.length} [${[...new Set(j.findings.map((f) => f.form))].join(', ')}]`;
      } catch {
        verdict = `no JSON (exit ${m.audit.status}): ${m.audit.stderr.slice(-300)}`;
      }
    }
    rows.push({ shape, label, mb, c, m, verdict });
    console.log(`${label} (${SHAPES[shape].label}): ${c.files} files, ${(c.bytes / 1048576).toFixed(1)} MB${c.planted.length ? `; planted: ${c.planted.join('; ')}` : ''}`);
    const line = (name, r, ref) =>
      console.log(
        `  ${name.padEnd(34)} cpu ${r.cpu.toFixed(2).padStart(5)} s ${ref ? `(${(r.cpu / ref.cpu).toFixed(2).padStart(5)}× grep -F -f)` : '                  '}  wall ${r.s.toFixed(2).padStart(5)} s ${ref ? `(${(r.s / ref.s).toFixed(2).padStart(5)}×)` : '        '}  peak RSS ${r.rss.toFixed(0).padStart(4)} MB`,
      );
    line('grep -F literal', m.grepF);
    line('grep -F -f (7 encoded forms)', m.grepFf, m.grepFf);
    line('node: start + read every file', m.read, m.grepFf);
    if (m.audit) line('leakproof audit --target bundle', m.audit, m.grepFf);
    if (m.compare) line('the same, --compare CLI', m.compare, m.grepFf);
    if (m.audit) console.log(`  ${''.padEnd(34)} cpu audit/read-only = ${(m.audit.cpu / m.read.cpu).toFixed(2)}×   verdict: ${verdict}`);
    console.log('');
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
  if (OUT) process.exit(0);
  // One line per corpus: the ratio the target (<= 2x grep -F -f, whole process) is about.
  // The target is judged on CPU (user + system, every thread): on a shared machine wall time also
  // counts waiting for others, and V8 compiles on a second thread, which wall time does not charge.
  console.log(`summary (audit / grep -F -f, whole process, this run; target <= 2× in CPU; load average now ${os.loadavg()[0].toFixed(1)}):`);
  for (const r of rows.filter((r) => r.m.audit)) {
    const cpu = r.m.audit.cpu / r.m.grepFf.cpu;
    console.log(`  ${r.label.padEnd(36)} cpu ${cpu.toFixed(2).padStart(5)}× ${cpu <= 2 ? 'ok  ' : 'OVER'}   wall ${(r.m.audit.s / r.m.grepFf.s).toFixed(2).padStart(5)}×   ${r.verdict.slice(0, 60)}`);
    if (r.m.compare) {
      // The other CLI's findings, compared as JSON: a speed change must not change what is found.
      const last = (x) => x.stdout.trim().split('\n').pop();
      const same = last(r.m.compare) === last(r.m.audit) ? 'same findings' : 'DIFFERENT findings';
      console.log(`  ${'  --compare CLI'.padEnd(36)} cpu ${(r.m.compare.cpu / r.m.grepFf.cpu).toFixed(2).padStart(5)}×        wall ${(r.m.compare.s / r.m.grepFf.s).toFixed(2).padStart(5)}×   ${same}`);
    }
  }
  const mem = rows.filter((r) => r.shape === 'minified' && r.c.planted.length && r.m.audit);
  if (mem.length === 2) console.log(`memory: peak RSS ${mem[0].m.audit.rss.toFixed(0)} MB at ${mem[0].mb} MB vs ${mem[1].m.audit.rss.toFixed(0)} MB at ${mem[1].mb} MB`);
  if (HUGE_MB) {
    // The file is generated as it is read (no disk needed): 4 MB chunks of minified-looking JS,
    // the key planted as base64 close to the end.
    const script = `
      const { findKeyInStream } = await import(${JSON.stringify(join(root, 'src/lib/leak/index.ts'))});
      const mb = ${HUGE_MB}, key = ${JSON.stringify(KEY)};
      const line = Buffer.from('var a=function(b){return b*2+c.d("xyz")};'.repeat(100) + '\\n');
      async function* gen() {
        const chunk = Buffer.alloc(4 << 20);
        for (let o = 0; o < chunk.length; o += line.length) line.copy(chunk, o);
        for (let i = 0; i < mb / 4; i++) {
          const c = new Uint8Array(chunk);
          if (i === mb / 4 - 2) c.set(Buffer.from('"' + Buffer.from('x' + key).toString('base64') + '"'), 1000);
          yield c;
        }
      }
      const t = performance.now();
      const f = await findKeyInStream(key, gen(), { file: 'huge.js', target: 'bundle' });
      console.log(JSON.stringify({ s: (performance.now() - t) / 1000, forms: f.map((x) => x.form), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    `;
    const r = timed(node, ['--input-type=module', '-e', script], 1);
    let j = {};
    try {
      j = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      j = { error: r.stderr.slice(-400) };
    }
    console.log(`huge file: ${HUGE_MB} MB streamed through findKeyInStream: cpu ${r.cpu.toFixed(2)} s, wall ${r.s.toFixed(2)} s, peak RSS ${r.rss.toFixed(0)} MB, found ${JSON.stringify(j.forms ?? j)}`);
  }
} finally {
  if (!KEEP) rmSync(work, { recursive: true, force: true });
  else console.log(`kept ${work}`);
}
