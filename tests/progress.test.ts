// Progress for long stages: plain lines at most once per tenth of the work when stderr is not a terminal,
// a cli-progress bar (loaded only then) when it is; notes are always printed through the command's io.
import t from 'tap';
import type { CliIo } from '../lib/cli/io.js';
import { progress } from '../lib/cli/progress.js';

const io = (isTTY: boolean, lines: string[]): CliIo => ({
  stdout: () => undefined,
  stderr: (s) => void lines.push(s),
  env: {},
  isTTY,
});

t.test('without a terminal: at most one line per tenth, and the last', async (t) => {
  const lines: string[] = [];
  const p = progress(io(false, lines), 'upload', 25);
  for (let i = 0; i < 25; i++) p.tick();
  p.note('retrying a/b.jpg');
  p.stop();
  t.same(lines, [
    'upload: 3/25\n',
    'upload: 6/25\n',
    'upload: 9/25\n',
    'upload: 12/25\n',
    'upload: 15/25\n',
    'upload: 18/25\n',
    'upload: 21/25\n',
    'upload: 24/25\n',
    'upload: 25/25\n',
    'retrying a/b.jpg\n',
  ]);
});

t.test('on a terminal: a bar, and notes still reach the io', async (t) => {
  const lines: string[] = [];
  const p = progress(io(true, lines), 'upload', 3);
  p.tick();
  p.note('retrying a/b.jpg');
  p.tick();
  p.tick();
  p.stop();
  t.equal(lines.filter((l) => l === 'retrying a/b.jpg\n').length, 1, 'the note once, through the io');
  t.notOk(
    lines.some((l) => /^upload: \d+\/3\n$/.test(l)),
    'no plain progress lines',
  );
  const after = lines.slice(lines.indexOf('retrying a/b.jpg\n') + 1).join('');
  t.match(
    after,
    /upload \[[^\]]*\] 1\/3/,
    'the bar is drawn through the io, and resumes at 1 after the note, not at 0',
  );
  t.notMatch(after, /\] 0\/3/);
});
