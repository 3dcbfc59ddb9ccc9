import { readFileSync } from 'node:fs';

// Reads a V8 .cpuprofile (node --cpu-prof) and says where the time went: self time by function and by owner (our
// src/ module, an npm package, node internals, GC, idle). Used by `npm run bench:login -- --cpu-prof DIR`.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function ownerOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const ours = /\/(src\/[^/]+)\//.exec(url);
  if (ours) return ours[1]!;
  if (url.startsWith('node:') || url === '') return 'node internals';
  return url;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Busy time: everything but (idle). */
  readonly busyMs: number;
  readonly byOwner: ReadonlyArray<{ owner: string; ms: number }>;
  readonly byFunction: ReadonlyArray<{ name: string; ms: number }>;
}

/**
 * `window` (µs of CLOCK_MONOTONIC, which V8's profile timestamps and process.hrtime() share, across processes) keeps
 * only the samples taken while the load ran, leaving out start-up and shutdown.
 */
export function summariseCpuProfile(path: string, top = 25, window?: { fromUs: number; toUs: number }): ProfileSummary {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window.fromUs || at > window.toUs)) return;
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const owners = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    total += us;
    if (functionName === '(idle)') idle += us;
    const owner = ownerOf(url, functionName);
    owners.set(owner, (owners.get(owner) ?? 0) + us);
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*\/(node_modules|src)\//, '$1/')}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + us);
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top);
  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    byOwner: sorted(owners).map(([owner, us]) => ({ owner, ms: us / 1000 })),
    byFunction: sorted(functions).map(([name, us]) => ({ name, ms: us / 1000 })),
  };
}

export function formatProfileSummary(summary: ProfileSummary, logins: number): string {
  const busy = summary.busyMs;
  const line = (label: string, ms: number) => `  ${((ms / busy) * 100).toFixed(1).padStart(5)} %  ${(ms / logins).toFixed(2).padStart(6)} ms/login  ${label}`;
  return [
    `main-thread profile: ${busy.toFixed(0)} ms busy over ${logins} logins (${(busy / logins).toFixed(2)} ms/login on the main thread)`,
    'self time by owner:',
    ...summary.byOwner.filter((o) => o.owner !== '(idle)').map((o) => line(o.owner, o.ms)),
    'self time by function:',
    ...summary.byFunction.filter((f) => !f.name.startsWith('(idle)')).map((f) => line(f.name, f.ms)),
  ].join('\n');
}

if (process.argv[1]?.endsWith('cpu-profile.ts') && process.argv[2]) {
  console.log(formatProfileSummary(summariseCpuProfile(process.argv[2], Number(process.argv[4] ?? 30)), Number(process.argv[3] ?? 1)));
}
