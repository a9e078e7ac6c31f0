// Preloaded into a child process (node --import): at exit, prints the process's peak resident set size as the
// kernel counted it (getrusage's ru_maxrss), on stderr as `peak-rss-kb N`. A measure of the whole run that
// samples nothing on a timer, so a busy machine cannot make it miss a peak or time out.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  writeSync(2, `\npeak-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
