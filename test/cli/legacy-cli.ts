import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, type AccountCredentials, type RunningStockade } from '../harness/stockade-process.js';

/** The executables of issue 3, each with the module it runs. */
export const LEGACY_EXECUTABLES = {
  'ec2-authorize': 'ec2-authorize',
  ec2auth: 'ec2-authorize',
  'ec2-revoke': 'ec2-revoke',
  ec2revoke: 'ec2-revoke',
  'ec2-create-group': 'ec2-create-group',
  ec2addgrp: 'ec2-create-group',
  'ec2-add-group': 'ec2-create-group',
  'ec2-delete-group': 'ec2-delete-group',
  ec2delgrp: 'ec2-delete-group',
  'ec2-describe-group': 'ec2-describe-group',
  ec2dgrp: 'ec2-describe-group',
} as const;

/** One of `bin/ec2*`. */
export type LegacyExecutable = keyof typeof LEGACY_EXECUTABLES;

/** What a finished command printed and returned. */
export interface LegacyRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The environment a user of the tools would set: endpoint and keys, nothing else but PATH. */
export function legacyEnv(endpoint: string, credentials: AccountCredentials): Record<string, string> {
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    EC2_URL: endpoint,
    AWS_ACCESS_KEY: credentials.accessKeyId,
    AWS_SECRET_KEY: credentials.secretAccessKey,
  };
}

/** Runs `bin/<command>` as its own process (through its `#!/usr/bin/env node` line). */
export function runLegacy(
  command: LegacyExecutable,
  argv: readonly string[],
  env: Record<string, string>,
  stdin = '',
): Promise<LegacyRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(REPO_ROOT, 'bin', command), argv, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

/** A logged-in user of one account on one server. */
export interface LegacyUser {
  readonly credentials: AccountCredentials;
  run(command: LegacyExecutable, ...argv: string[]): Promise<LegacyRun>;
}

/** Returns a user running commands against `server` with `credentials`. */
export function legacyUser(server: RunningStockade, credentials: AccountCredentials): LegacyUser {
  const env = legacyEnv(server.url, credentials);
  return { credentials, run: (command, ...argv) => runLegacy(command, argv, env) };
}

/** Writes spec/cli.md's `⇥` as TAB. */
export function tabs(text: string): string {
  return text.replaceAll('⇥', '\t');
}

/** Reads every run of TABs as one space and drops trailing spaces: how the seed's lines are compared. */
export function collapseTabs(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\t+/g, ' ').trimEnd())
    .join('\n');
}

/**
 * Returns the ID of the group a successful ec2-create-group printed (`GROUP⇥sg-…⇥name⇥description`):
 * 8 hex digits in classic accounts, 17 in vpc-only ones (issue 13 item 6).
 */
export function createdGroupId(run: LegacyRun): string {
  const match = /^GROUP\t(sg-(?:[0-9a-f]{8}|[0-9a-f]{17}))\t/.exec(run.stdout);
  if (run.status !== 0 || match?.[1] === undefined) throw new Error(`create failed: ${JSON.stringify(run)}`);
  return match[1];
}
