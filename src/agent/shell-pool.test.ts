import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ShellPool } from './shell-pool.js';

test('ShellPool runs commands with their input, their exact merged output and exit status', async () => {
  const pool = new ShellPool(2);
  try {
    assert.deepEqual(await pool.run(['cat'], 'line one\nline two\n', 5000), { kind: 'exited', code: 0, output: 'line one\nline two\n' });
    // Input without a final newline, output without one, and a quote in an argument.
    assert.deepEqual(await pool.run(['sh', '-c', "printf %s \"$1\"; cat >/dev/null; exit 3", 'x', "it's"], 'no newline', 5000), { kind: 'exited', code: 3, output: "it's" });
    assert.deepEqual(await pool.run(['sh', '-c', 'echo oops >&2; exit 1'], '', 5000), { kind: 'exited', code: 1, output: 'oops\n' });
    // More jobs than shells: they queue, and every one gets its own answer.
    const many = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.run(['echo', String(i)], '', 5000)));
    assert.deepEqual(many.map((r) => (r.kind === 'exited' ? r.output : r.kind)), ['0\n', '1\n', '2\n', '3\n', '4\n', '5\n']);
    // A job past its time is killed with its shell; the pool goes on with a new one.
    const slow = await pool.run(['sleep', '5'], '', 200);
    assert.equal(slow.kind, 'killed');
    assert.deepEqual(await pool.run(['echo', 'after'], '', 5000), { kind: 'exited', code: 0, output: 'after\n' });
  } finally {
    pool.close();
  }
});
