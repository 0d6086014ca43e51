import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { handleQuery } from '../src/api/handle-query.js';
import { ApiMetrics } from '../src/api/metrics.js';
import { parseFormEncoded } from '../src/api/query-params.js';
import { SecurityGroupXmlCache } from '../src/api/xml/security-group-xml-cache.js';
import { createAccount } from '../src/service/accounts.js';
import { openState } from '../src/state/open-state.js';
import { Sha256 } from '../test/harness/sha256.js';

// In-process cost of one AuthorizeSecurityGroupIngress, without HTTP and without a load generator:
// `node dist/bench/micro-authorize.js [calls]`. Prints µs per call (median of 5 rounds).


const calls = Number(process.argv[2] ?? '2000');
const dir = mkdtempSync(path.join(tmpdir(), 'stockade-micro-'));
const groupXml = new SecurityGroupXmlCache();
const state = await openState({ dataDir: dir, onCommitted: (r) => groupXml.invalidate(r) });
const credentials = { accessKeyId: 'AKIDMICRO', secretAccessKey: 'micro-secret' };
await state.queue.submit(createAccount({ accountId: '123456789012', platform: 'vpc-only', isAdmin: true, ...credentials }));
const env = { ...state, groupXml, metrics: new ApiMetrics(), quotaProfile: 'current' as const, defaultRegion: 'us-east-1', regions: new Set(['us-east-1']), clock: () => new Date() };
const signer = new SignatureV4({ service: 'ec2', region: 'us-east-1', credentials, sha256: Sha256 });

async function request(params: Record<string, string>) {
  const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8773, path: '/', query: {}, headers: { host: '127.0.0.1:8773', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
  const buffer = Buffer.from(body);
  return { method: 'POST', path: '/', rawQuery: '', headers: signed.headers, body: buffer, params: parseFormEncoded(body) };
}

const rounds: number[] = [];
for (let round = 0; round < 5; round++) {
  // 20 rules per group, as sg-load's W1 does (the quota allows 60).
  const groupIds: string[] = [];
  for (let g = 0; g < Math.ceil(calls / 20); g++) {
    const created = await handleQuery(await request({ Action: 'CreateSecurityGroup', GroupName: `micro-${round}-${g}`, GroupDescription: 'micro' }), env, 'r');
    groupIds.push(/<groupId>(sg-[0-9a-f]+)</.exec(String(created.body))?.[1] ?? '');
  }
  const requests: Awaited<ReturnType<typeof request>>[] = [];
  for (let i = 0; i < calls; i++)
    requests.push(await request({ Action: 'AuthorizeSecurityGroupIngress', GroupId: groupIds[Math.floor(i / 20)] ?? '', 'IpPermissions.1.IpProtocol': 'tcp', 'IpPermissions.1.FromPort': String(1000 + i), 'IpPermissions.1.ToPort': String(1000 + i), 'IpPermissions.1.IpRanges.1.CidrIp': `10.${i >> 8}.${i & 255}.0/24` }));
  const started = process.hrtime.bigint();
  // 16 in flight, as sg-load runs them.
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < requests.length) {
      const r = requests[next++];
      if (r === undefined) continue;
      const outcome = await handleQuery(r, env, 'r');
      if (outcome.status !== 200) throw new Error(String(outcome.body));
    }
  }));
  rounds.push(Number(process.hrtime.bigint() - started) / 1e3 / calls);
}
rounds.sort((a, b) => a - b);
console.log(`authorize, in process: ${rounds[2]?.toFixed(1)} µs per call (median of 5 rounds of ${calls})`);
await state.store.close();
rmSync(dir, { recursive: true, force: true });
