/**
 * Prints where a `.heapprofile` (from BENCH_HEAP_PROFILE) allocated: the top functions by sampled bytes
 * and the top four-frame call stacks. Usage: `npx tsx bench/src/heapTop.ts bench/.cache/profiles/heap-….heapprofile`
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children?: ProfileNode[];
}

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx bench/src/heapTop.ts <file.heapprofile> [rows]');
  process.exit(2);
}
const rows = Number(process.argv[3] ?? 25);
const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: ProfileNode };

// Shorten node_modules paths to the package (pnpm layout) and repository paths to the repo-relative part.
const where = (url: string) => url.replace(/.*node_modules\/\.pnpm\/([^/]+)\/.*/, '$1').replace(/^file:\/\//, '').replace(`${process.cwd()}/`, '');
const frame = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;

const bySelf = new Map<string, number>();
const byStack = new Map<string, number>();
let total = 0;
const walk = (node: ProfileNode, stack: string[]) => {
  const here = [...stack, frame(node)];
  if (node.selfSize > 0) {
    total += node.selfSize;
    bySelf.set(here.at(-1)!, (bySelf.get(here.at(-1)!) ?? 0) + node.selfSize);
    const key = here.slice(-4).reverse().join(' ← ');
    byStack.set(key, (byStack.get(key) ?? 0) + node.selfSize);
  }
  for (const child of node.children ?? []) walk(child, here);
};
walk(head, []);

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, bytes] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
};
console.log(`${file}: ${(total / 2 ** 20).toFixed(1)} MB sampled`);
print('by function', bySelf);
print('by stack (innermost first)', byStack);
