import type { HeapProfiler, Profiler } from 'node:inspector';

/** Where a profile frame comes from: the package, the service's own file, or Node itself. */
function origin(url: string): string {
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inPackage) return inPackage[1];
  const own = /\/((?:apps|libs)\/.*)$/.exec(url);
  if (own) return own[1];
  return url || '(native)';
}

function frameName(frame: Profiler.ProfileNode['callFrame']): string {
  return `${frame.functionName || '(anonymous)'} ${origin(frame.url)}:${frame.lineNumber + 1}`;
}

function top(shares: Map<string, number>, total: number, count: number): string {
  return [...shares]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)} %  ${name}`)
    .join('\n');
}

/**
 * The profile's self time by package (or own file), and its inclusive time by function: the
 * share of samples in which the function is anywhere on the stack.
 */
export function summarizeProfile(profile: Profiler.Profile, count = 25): string {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const sampled = new Map<number, number>();
  profile.samples?.forEach((id, index) =>
    sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas?.[index] ?? 0)),
  );
  let total = 0;
  const selfByOrigin = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, time] of sampled) {
    total += time;
    const frame = nodes.get(id)!.callFrame;
    const from = origin(frame.url) || frame.functionName;
    selfByOrigin.set(from, (selfByOrigin.get(from) ?? 0) + time);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const name = frameName(nodes.get(at)!.callFrame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive.set(name, (inclusive.get(name) ?? 0) + time);
    }
  }
  return (
    `self time by package or file:\n${top(selfByOrigin, total, count)}\n\n` +
    `inclusive time by function:\n${top(inclusive, total, count * 2)}`
  );
}

/** Sampled allocations per request, by allocating function and its two nearest callers. */
export function summarizeAllocations(
  profile: HeapProfiler.SamplingHeapProfile,
  requests: number,
  count = 30,
): string {
  const bySite = new Map<string, number>();
  const walk = (node: HeapProfiler.SamplingHeapProfileNode, callers: string[]): void => {
    const name = frameName(node.callFrame);
    if (node.selfSize > 0) {
      const site = [name, ...callers.slice(0, 2)].join(' < ');
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child, [name, ...callers]);
  };
  walk(profile.head, []);
  const total = [...bySite.values()].reduce((sum, bytes) => sum + bytes, 0);
  return (
    `about ${Math.round(total / requests).toLocaleString('en')} bytes allocated per request:\n` +
    top(bySite, total, count)
  );
}

/** Where a sample's time goes in `costPerRequest`: a package, the code of the server, or Node. */
function costOrigin(frame: Profiler.ProfileNode['callFrame']): string | undefined {
  if (frame.functionName === '(idle)') return undefined;
  if (frame.functionName === '(garbage collector)') return 'garbage collection';
  if (frame.functionName === '(program)') return 'V8 itself (program)';
  if (!frame.url) {
    return /^write/.test(frame.functionName) ? 'socket writes (native)' : 'other native code';
  }
  const inPackage = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url);
  if (inPackage) return inPackage[1];
  if (/\/(apps|libs|bench)\//.test(frame.url))
    return 'own code (with better-sqlite3 calls on SQLite)';
  if (frame.url.startsWith('node:')) return 'Node core (HTTP, streams, timers)';
  return 'other';
}

/**
 * CPU microseconds per request by package (or own code, Node core, garbage collection), from a
 * whole-process profile of a server that served `requests` requests: start-up is left out by
 * counting only from the first sample taken while Node parsed a request; idle time is left out.
 */
export function costPerRequest(profile: Profiler.Profile, requests: number): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parents.set(child, node.id);
  const inRequest = (id: number): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      if (nodes.get(at)!.callFrame.functionName === 'parserOnIncoming') return true;
    }
    return false;
  };
  const cost = new Map<string, number>();
  let serving = false;
  profile.samples?.forEach((id, index) => {
    serving ||= inRequest(id);
    const origin = costOrigin(nodes.get(id)!.callFrame);
    if (!serving || origin === undefined) return;
    cost.set(origin, (cost.get(origin) ?? 0) + (profile.timeDeltas?.[index] ?? 0) / requests);
  });
  return cost;
}
