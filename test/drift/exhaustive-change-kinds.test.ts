import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../harness/stockade-process.js';

const run = promisify(execFile);

// Issue 10: "a change kind added to the shared affected-instances function without handling fails
// the type check". Copies the sources, adds a change kind to the Change union, and type-checks: the
// compiler must name every place that has to say what the new kind means — how the view applies it
// and how it bears on enforcement (dataplane/policy-impact.ts) — so none can silently ignore it.
test('a new change kind fails the type check until the view and the policy impact handle it', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'stockade-kinds-'));
  try {
    cpSync(path.join(REPO_ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
    symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const config = JSON.parse(readFileSync(path.join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { include: string[] };
    writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ ...config, include: ['src/**/*.ts'] }));
    const changeRecord = path.join(dir, 'src/state/change-record.ts');
    const source = readFileSync(changeRecord, 'utf8');
    const anchor = "  | { readonly kind: 'HostRemoved'; readonly hostName: string };";
    assert.ok(source.includes(anchor), 'the Change union ends where this test expects');
    writeFileSync(changeRecord, source.replace(anchor, `  | { readonly kind: 'HostRemoved'; readonly hostName: string }\n  | { readonly kind: 'PrefixListEntriesReplaced'; readonly prefixListId: string };`));
    const tsc = path.join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
    const outcome = await run(process.execPath, [tsc, '--noEmit', '-p', dir]).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout?: string }) => ({ failed: true, output: error.stdout ?? '' }),
    );
    assert.ok(outcome.failed, 'the type check passed with an unhandled change kind');
    assert.match(outcome.output, /src\/dataplane\/policy-impact\.ts\(\d+,\d+\): error TS2741: Property 'PrefixListEntriesReplaced' is missing/);
    assert.match(outcome.output, /src\/state\/view\.ts\(\d+,\d+\): error TS2741: Property 'PrefixListEntriesReplaced' is missing/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
