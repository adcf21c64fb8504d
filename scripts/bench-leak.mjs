// Throughput of `leakproof audit --target bundle` on a generated bundle corpus (minified-looking JS
// plus source maps with sourcesContent), printed beside baselines measured in the same run:
//   grep -F      the literal key
//   grep -F -f   a file of the key's 7 commonest encoded forms
//   read-only    a Node process that starts and reads every file
// and peak RSS (from /usr/bin/time -v) for a 50 MB and a 100 MB corpus, plus a corpus without the
// key (must report no leak). Asserts nothing (TEAM.md: no timing tests); prints ratios.
// Last, one generated file of HUGE_MB (default 1 GB) streamed through findKeyInStream: peak RSS
// must stay flat (windows of 8 MB), whatever the size.
// Usage: npm run bench:leak [-- --mb 50] [-- --runs 3] [-- --keep] [-- --huge-mb 1024 | --no-huge]
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
const KEEP = args.includes('--keep');
const HUGE_MB = args.includes('--no-huge') ? 0 : Number(opt('--huge-mb', 1024));
const node = process.execPath;

// Deterministic pseudo-random numbers, so every run builds the same corpus.
let seed = 0x2545f491;
const rand = () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const chars = (n, a = URLSAFE) => Array.from({ length: n }, () => a[Math.floor(rand() * a.length)]).join('');
const KEY = 'sk-proj-' + chars(156);

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

/** Writes a corpus of about `mb` MB into `dir`; plants the key in several forms when `plant`. */
function buildCorpus(dir, mb, plant) {
  mkdirSync(join(dir, 'assets'), { recursive: true });
  const files = material();
  let total = 0;
  let n = 0;
  let fi = 0;
  const planted = [];
  while (total < mb * 1024 * 1024) {
    const sources = [];
    const contents = [];
    let js = '';
    while (js.length < 400_000 && fi < files.length * 50) {
      const f = files[fi++ % files.length];
      const src = readFileSync(f, 'utf8');
      sources.push('../../' + relative(root, f));
      contents.push(src);
      js += minify(src);
    }
    const name = `assets/chunk-${String(n).padStart(3, '0')}-${chars(8)}.js`;
    if (plant) {
      if (n === 3) ((js = js.slice(0, 1000) + `const k="${KEY}";` + js.slice(1000)), planted.push(`${name}: plain`));
      if (n === 7) ((js += `;var b=atob("${Buffer.from('x' + KEY).toString('base64')}")`), planted.push(`${name}: base64`));
      if (n === 11) ((contents[0] = `if(import.meta.env.DEV){console.log("${KEY}")}\n` + contents[0]), planted.push(`${name}.map: sourcesContent`));
      if (n === 15) ((js += `;var a="${KEY.slice(0, 90)}"`), planted.push(`${name}: first fragment`));
      if (n === 16) ((js += `;var c="${KEY.slice(90)}"`), planted.push(`${name}: second fragment`));
      if (n === 19) ((js += `;var h=${JSON.stringify([...KEY].map((c) => '\\x' + c.charCodeAt(0).toString(16)).join(''))}`), planted.push(`${name}: \\x escapes`));
    }
    const map = JSON.stringify({ version: 3, file: name, sources, sourcesContent: contents, names: [], mappings: Array.from({ length: js.length / 40 }, vlq).join(';') });
    writeFileSync(join(dir, name), js + `\n//# sourceMappingURL=${name.slice(7)}.map\n`);
    writeFileSync(join(dir, name + '.map'), map);
    total += js.length + map.length;
    if (n % 10 === 0) {
      const gz = gzipSync(js, { level: 1 });
      writeFileSync(join(dir, name + '.gz'), gz);
      total += gz.length;
    }
    n++;
  }
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script type="module" src="/assets/chunk-000.js"></script>`);
  return { files: n * 2, bytes: total, planted };
}

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

function timed(cmd, argv) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...argv], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? 0) / 1024;
  // CPU time (user + system) is what the process itself costs; wall time also counts waiting for
  // other processes on a busy machine.
  const cpu = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0) + Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? 0);
  return { s, cpu, rss, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function best(cmd, argv) {
  let b;
  for (let i = 0; i < RUNS; i++) {
    const r = timed(cmd, argv);
    if (!b || r.cpu < b.cpu) b = r;
  }
  return b;
}

const READ_ALL = `const fs=require('fs'),p=require('path');let n=0;const w=d=>{for(const e of fs.readdirSync(d,{withFileTypes:true})){const q=p.join(d,e.name);if(e.isDirectory())w(q);else n+=fs.readFileSync(q).length}};w(process.argv[1]);console.log(n)`;

function measure(dir, keyFile, formsFile) {
  const audit = existsSync(join(root, 'src/cli/commands/audit.ts'))
    ? [join(root, 'bin/leakproof.mjs'), 'audit', dir, '--key-file', keyFile, '--target', 'bundle', '--json']
    : null;
  return {
    grepF: best('grep', ['-rF', '-c', KEY, dir]),
    grepFf: best('grep', ['-rF', '-c', '-f', formsFile, dir]),
    read: best(node, ['-e', READ_ALL, dir]),
    audit: audit ? best(node, audit) : null,
  };
}

const work = mkdtempSync(join(tmpdir(), 'leakproof-bench-leak-'));
try {
  const keyFile = join(work, 'key.txt');
  const formsFile = join(work, 'forms.txt');
  writeFileSync(keyFile, KEY + '\n');
  writeFileSync(formsFile, encodedForms(KEY).join('\n') + '\n');
  console.log(`bench:leak — node ${process.version}, ${RUNS} runs each (the one with least CPU shown); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}\n`);
  const rows = [];
  for (const [label, mb, plant] of [[`${MB} MB with key`, MB, true], [`${MB * 2} MB with key`, MB * 2, true], [`${MB} MB without key`, MB, false]]) {
    const dir = join(work, label.replace(/\W+/g, '-'));
    const c = buildCorpus(dir, mb, plant);
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
    rows.push({ label, c, m, verdict });
    console.log(`${label}: ${c.files} files, ${(c.bytes / 1048576).toFixed(1)} MB${c.planted.length ? `; planted: ${c.planted.join('; ')}` : ''}`);
    const line = (name, r, ref) =>
      console.log(
        `  ${name.padEnd(34)} cpu ${r.cpu.toFixed(2).padStart(5)} s ${ref ? `(${(r.cpu / ref.cpu).toFixed(2).padStart(5)}× grep -F -f)` : '                  '}  wall ${r.s.toFixed(2).padStart(5)} s ${ref ? `(${(r.s / ref.s).toFixed(2).padStart(5)}×)` : '        '}  peak RSS ${r.rss.toFixed(0).padStart(4)} MB`,
      );
    line('grep -F literal', m.grepF);
    line('grep -F -f (7 encoded forms)', m.grepFf, m.grepFf);
    line('node: start + read every file', m.read, m.grepFf);
    if (m.audit) line('leakproof audit --target bundle', m.audit, m.grepFf);
    if (m.audit) console.log(`  ${''.padEnd(34)} cpu audit/read-only = ${(m.audit.cpu / m.read.cpu).toFixed(2)}×   verdict: ${verdict}`);
    console.log('');
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
  const [a, b] = rows;
  if (a.m.audit && b.m.audit) console.log(`memory: peak RSS ${a.m.audit.rss.toFixed(0)} MB at ${MB} MB vs ${b.m.audit.rss.toFixed(0)} MB at ${MB * 2} MB`);
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
    const r = timed(node, ['--input-type=module', '-e', script]);
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
