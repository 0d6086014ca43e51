import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  DescribeInstancesCommand,
  DescribeManagedPrefixListsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeTagsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import type { RunningStockade } from '../harness/stockade-process.js';

const run = promisify(execFile);

/** The outcome of one terraform command. */
export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A Terraform working directory whose aws provider talks to one Stockade server, as a user would
 * set it up against a local endpoint: the provider from the filesystem mirror (a CLI config file
 * given by TF_CLI_CONFIG_FILE), `endpoints { ec2, sts }` at the server, the account's keys, and the
 * metadata-service lookup skipped. The user's configuration is `main.tf`; `write` replaces it,
 * as a user edits the file.
 */
export class TerraformWorkspace {
  readonly dir: string;
  readonly #env: NodeJS.ProcessEnv;

  private constructor(dir: string, env: NodeJS.ProcessEnv) {
    this.dir = dir;
    this.#env = env;
  }

  /** Creates the directory, its CLI config and provider block, writes `main.tf` and runs `terraform init`. */
  static async create(server: RunningStockade, mainTf: string): Promise<TerraformWorkspace> {
    const dir = mkdtempSync(path.join(tmpdir(), 'stockade-tf-'));
    const cliConfig = path.join(dir, 'terraform.tfrc');
    writeFileSync(
      cliConfig,
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(providerMirror())}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }\n}\n`,
    );
    const { accessKeyId, secretAccessKey } = server.bootstrap;
    writeFileSync(
      path.join(dir, 'provider.tf'),
      `terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "5.100.0" }
  }
}

provider "aws" {
  region                      = "us-east-1"
  access_key                  = ${JSON.stringify(accessKeyId)}
  secret_key                  = ${JSON.stringify(secretAccessKey)}
  # The provider checks the keys and learns the account through STS GetCallerIdentity, which
  # Stockade answers on the same endpoint; only the instance metadata service is not there.
  skip_metadata_api_check = true
  endpoints {
    ec2 = ${JSON.stringify(server.url)}
    sts = ${JSON.stringify(server.url)}
  }
}
`,
    );
    // Only what Terraform needs: no AWS_* variables or shared config of the machine leak in.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: dir,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const workspace = new TerraformWorkspace(dir, env);
    workspace.write(mainTf);
    await workspace.expect(['init', '-no-color'], 0);
    return workspace;
  }

  /** Replaces the user's configuration. */
  write(mainTf: string): void {
    writeFileSync(path.join(this.dir, 'main.tf'), mainTf);
  }

  /** Runs `terraform <args>` in the directory; never throws on a non-zero exit. */
  async terraform(args: readonly string[]): Promise<TerraformRun> {
    try {
      const { stdout, stderr } = await run('terraform', [...args], { cwd: this.dir, env: this.#env, maxBuffer: 64 * 1024 * 1024 });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failure = error as { code?: number | string; stdout?: string; stderr?: string };
      if (failure.code === 'ENOENT') throw new Error('terraform is not on PATH: npm run test:terraform needs it (https://developer.hashicorp.com/terraform/install)');
      return { code: typeof failure.code === 'number' ? failure.code : -1, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
    }
  }

  /** Runs terraform and asserts its exit code, showing its output when it differs. */
  async expect(args: readonly string[], code: number): Promise<TerraformRun> {
    const outcome = await this.terraform(args);
    assert.equal(outcome.code, code, `terraform ${args.join(' ')} exited ${outcome.code}\n${outcome.stdout}\n${outcome.stderr}`);
    return outcome;
  }

  apply(): Promise<TerraformRun> {
    return this.expect(['apply', '-auto-approve', '-no-color'], 0);
  }

  /** `plan -detailed-exitcode` must find nothing to do (exit 0; 2 means changes). */
  planIsEmpty(): Promise<TerraformRun> {
    return this.expect(['plan', '-detailed-exitcode', '-no-color'], 0);
  }

  destroy(): Promise<TerraformRun> {
    return this.expect(['destroy', '-auto-approve', '-no-color'], 0);
  }

  /** Removes the directory (state included). */
  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let mirror: string | undefined;

/**
 * The folder that holds `registry.terraform.io/hashicorp/aws/…`: `STOCKADE_TERRAFORM_MIRROR`, else
 * the usual plugin folders, else wherever `find` sees the provider's binary on this filesystem.
 */
function providerMirror(): string {
  if (mirror !== undefined) return mirror;
  const holdsAws = (folder: string) => existsSync(path.join(folder, 'registry.terraform.io/hashicorp/aws'));
  const candidates = [
    process.env.STOCKADE_TERRAFORM_MIRROR,
    '/opt/tf-plugins',
    path.join(homedir(), '.terraform.d/plugins'),
    path.join(homedir(), '.local/share/terraform/plugins'),
    '/usr/local/share/terraform/plugins',
    '/usr/share/terraform/plugins',
  ];
  mirror = candidates.find((c): c is string => c !== undefined && holdsAws(c));
  if (mirror === undefined) {
    // <mirror>/registry.terraform.io/hashicorp/aws/<version>/<os_arch>/terraform-provider-aws_…
    const found = findProvider();
    if (found !== undefined) mirror = path.resolve(path.dirname(found), '../../../../..');
  }
  if (mirror === undefined || !holdsAws(mirror))
    throw new Error('no hashicorp/aws provider mirror found: set STOCKADE_TERRAFORM_MIRROR to the folder that holds registry.terraform.io');
  return mirror;
}

function findProvider(): string | undefined {
  // Synchronous on purpose: once per suite process, before any Terraform run. `find` exits non-zero
  // over unreadable folders even when it found the file, so only its output counts.
  const found = spawnSync('find', ['/', '-xdev', '-name', 'terraform-provider-aws_*', '-print', '-quit'], { encoding: 'utf8' });
  const first = found.stdout.trim().split('\n')[0] ?? '';
  return first === '' ? undefined : first;
}

/**
 * Asserts, through the SDK, that a destroyed configuration left nothing on the server: no instance
 * that is not terminated, no VPC, subnet or group beyond the account's defaults, no prefix list of the
 * account's own but deleted ones, no tag but those of terminated instances.
 */
export async function assertNothingLeft(ec2: EC2Client): Promise<void> {
  const reservations = (await ec2.send(new DescribeInstancesCommand({}))).Reservations ?? [];
  const live = reservations.flatMap((r) => r.Instances ?? []).filter((i) => i.State?.Name !== 'terminated');
  assert.deepEqual(live.map((i) => i.InstanceId), [], 'instances left running');
  const vpcs = (await ec2.send(new DescribeVpcsCommand({}))).Vpcs ?? [];
  assert.deepEqual(vpcs.filter((v) => v.IsDefault !== true).map((v) => v.VpcId), [], 'VPCs left');
  const subnets = (await ec2.send(new DescribeSubnetsCommand({}))).Subnets ?? [];
  assert.deepEqual(subnets.filter((s) => s.DefaultForAz !== true).map((s) => s.SubnetId), [], 'subnets left');
  const groups = (await ec2.send(new DescribeSecurityGroupsCommand({}))).SecurityGroups ?? [];
  assert.deepEqual(groups.filter((g) => g.GroupName !== 'default').map((g) => g.GroupId), [], 'security groups left');
  // A deleted list stays describable for a while (`delete-complete`), as EC2 shows it; AWS owns the others.
  const prefixLists = (await ec2.send(new DescribeManagedPrefixListsCommand({}))).PrefixLists ?? [];
  const ownLive = prefixLists.filter((l) => l.OwnerId !== 'AWS' && l.State !== 'delete-complete');
  assert.deepEqual(ownLive.map((l) => l.PrefixListId), [], 'prefix lists left');
  // Terminated instances stay visible for a while, with their tags, as in EC2.
  const terminated = new Set(reservations.flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId));
  const tags = (await ec2.send(new DescribeTagsCommand({}))).Tags ?? [];
  assert.deepEqual(tags.filter((t) => !terminated.has(t.ResourceId)), [], 'tags left');
}
