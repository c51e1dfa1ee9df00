/** Printing for benchmarks: a titled block of aligned label/value rows on stdout. */
export function report(title: string, rows: [string, string][]): void {
  const width = Math.max(...rows.map(([label]) => label.length));
  process.stdout.write(`\n${title}\n${rows.map(([label, value]) => `  ${label.padEnd(width)}  ${value}`).join("\n")}\n`);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** A run's result, wall time and CPU time (user + system, every thread of the process), in seconds. */
export interface Timing<T> {
  value: T;
  wall: number;
  cpu: number;
}

export async function timed<T>(run: () => Promise<T> | T): Promise<Timing<T>> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const value = await run();
  const used = process.cpuUsage(cpu);
  return {value, wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6};
}
