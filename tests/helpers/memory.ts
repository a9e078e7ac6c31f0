/**
 * Retained memory, sampled during a run: a garbage collection first, then heap plus external buffers.
 * What is still held after a collection is what the code keeps; RSS would mostly measure garbage.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function retainedBytes(): number {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

/** Runs `fn` while sampling retained memory every `everyMs`; returns its result and the peak growth. */
export async function peakRetainedGrowth<T>(fn: () => Promise<T>, everyMs = 25): Promise<{ result: T; baseline: number; peakGrowth: number }> {
  const baseline = retainedBytes();
  let peak = baseline;
  const timer = setInterval(() => (peak = Math.max(peak, retainedBytes())), everyMs);
  try {
    const result = await fn();
    peak = Math.max(peak, retainedBytes());
    return { result, baseline, peakGrowth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}
