/**
 * Where a `.cpuprofile` (node --cpu-prof) spent its time, optionally only inside a time window: self time by
 * module (npm package or workspace folder) and by function, native code by its caller, and inclusive
 * time of kickcord's own functions.
 * The `bot` scenario prints this for the drain window of a profiled worker (BENCH_PROFILE=1).
 *
 *   npx tsx bench/src/cpuTop.ts bench/.cache/profiles/CPU….cpuprofile [rows] [--window FROM-TO]
 *
 * FROM and TO are seconds after the profile's start.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
/** The parts of V8's CPU profile format read here. */
export interface CpuProfile {
  nodes: ProfileNode[];
  /** Monotonic clock, µs (the clock of `process.hrtime`). */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Reads a `.cpuprofile` file. */
export function readCpuProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

/** `npm package` or workspace folder a script URL belongs to. */
function moduleOf(url: string): string {
  if (url === '') return '(native / V8)';
  if (url.startsWith('node:')) return 'node internals';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + '/node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/(apps|packages|bench)\/([^/]+)\//.exec(url);
  if (ws) return ws[1] === 'bench' ? 'bench' : `${ws[1]}/${ws[2]}`;
  return url;
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm !== -1) return url.slice(nm + '/node_modules/'.length);
  const ws = /\/((?:apps|packages|bench)\/.*)$/.exec(url);
  return ws ? ws[1]! : url.replace(/^file:\/\//, '');
}

const frameKey = (f: CallFrame) => `${f.functionName || '(anonymous)'} ${f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''}`.trim();
const isOwnCode = (url: string) => /\/(apps|packages)\/[^/]+\/src\//.test(url) && !url.includes('/node_modules/') && !url.includes('/generated/');

/**
 * Text lines: busy time in the window, then the top `rows` modules and functions by self time and
 * kickcord's own functions by inclusive time. `window` is in the profile's clock (µs, absolute).
 */
export function cpuProfileSummary(profile: CpuProfile, options: { rows?: number; window?: { fromUs: number; toUs: number } } = {}): string[] {
  const rows = options.rows ?? 20;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const fromUs = options.window?.fromUs ?? -Infinity;
  const toUs = options.window?.toUs ?? Infinity;

  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const natives = new Map<string, number>();
  let total = 0;
  let idle = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) continue;
    // A sample stands for the time until the next one.
    const weight = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
    const node = byId.get(profile.samples[i]!);
    if (!node) continue;
    total += weight;
    const name = node.callFrame.functionName;
    if (name === '(idle)') {
      idle += weight;
      continue;
    }
    const key = frameKey(node.callFrame);
    self.set(key, (self.get(key) ?? 0) + weight);
    // Native frames and Node's own (e.g. a socket write) count for the nearest package or workspace script calling them.
    let owner: ProfileNode | undefined = node;
    const passThrough = (n: ProfileNode) => n.callFrame.url === '' || n.callFrame.url.startsWith('node:');
    while (owner && passThrough(owner) && parent.has(owner.id) && byId.get(parent.get(owner.id)!)!.callFrame.functionName !== '(root)') owner = byId.get(parent.get(owner.id)!);
    const mod = name === '(garbage collector)' || name === '(program)' ? name : moduleOf(owner?.callFrame.url ?? '');
    modules.set(mod, (modules.get(mod) ?? 0) + weight);
    if (passThrough(node) && owner && owner !== node) {
      const k = `${key} ← ${frameKey(owner.callFrame)}`;
      natives.set(k, (natives.get(k) ?? 0) + weight);
    }
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = byId.get(id)!.callFrame;
      if (!isOwnCode(frame.url)) continue;
      const k = frameKey(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + weight);
    }
  }
  const busy = total - idle;
  const pct = (v: number) => `${((100 * v) / (busy || 1)).toFixed(1).padStart(5)}%`;
  const top = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, rows);
  const lines = [`window ${(total / 1e6).toFixed(2)} s, busy ${(busy / 1e6).toFixed(2)} s (${((100 * busy) / (total || 1)).toFixed(0)}%); shares below are of busy time`];
  lines.push('  self time by module (native and Node code counted for the package calling it):');
  for (const [k, v] of top(modules)) lines.push(`    ${pct(v)}  ${k}`);
  lines.push('  self time by function:');
  for (const [k, v] of top(self)) lines.push(`    ${pct(v)}  ${k}`);
  lines.push('  native and Node code by the package function calling it:');
  for (const [k, v] of top(natives).slice(0, Math.ceil(rows / 2))) lines.push(`    ${pct(v)}  ${k}`);
  lines.push('  kickcord functions, inclusive (callees counted):');
  for (const [k, v] of top(inclusive)) lines.push(`    ${pct(v)}  ${k}`);
  return lines;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--') && !/^\d/.test(a));
  if (!file) {
    console.error('usage: npx tsx bench/src/cpuTop.ts <file.cpuprofile> [rows] [--window FROM-TO]  (seconds after the profile start)');
    process.exit(2);
  }
  const profile = readCpuProfile(file);
  const rowsArg = args.find((a) => /^\d+$/.test(a));
  const w = args.indexOf('--window');
  const range = w === -1 ? undefined : /^([\d.]+)-([\d.]+)$/.exec(args[w + 1] ?? '');
  const window = range ? { fromUs: profile.startTime + Number(range[1]) * 1e6, toUs: profile.startTime + Number(range[2]) * 1e6 } : undefined;
  for (const line of cpuProfileSummary(profile, { ...(rowsArg ? { rows: Number(rowsArg) } : {}), ...(window ? { window } : {}) })) console.log(line);
}
