// Preloaded into a child process (node --import): at exit, prints the process's peak resident set size as the
// kernel counted it, on stderr as `peak-rss-kb N`. A measure of the whole run that samples nothing on a timer, so a
// busy machine cannot make it miss a peak or time out. On Linux it is /proc/self/status's VmHWM, the high-water mark
// of this process's own memory: getrusage's ru_maxrss keeps the parent's across fork and exec, so a child of a
// 300 MB test process reported 297 MB where VmHWM said 40 MB. Elsewhere, ru_maxrss.
import { readFileSync, writeSync } from 'node:fs';

function peakKb() {
  try {
    const m = /^VmHWM:\s*(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m !== null) return Number(m[1]);
  } catch {
    // no /proc here
  }
  return process.resourceUsage().maxRSS;
}

process.on('exit', () => {
  writeSync(2, `\npeak-rss-kb ${peakKb()}\n`);
});
