import { SignatureV4 } from '@smithy/signature-v4';
import { handleQuery, type QueryEnvironment } from '../src/api/handle-query.js';
import { parseFormEncoded } from '../src/api/query-params.js';
import { SecurityGroupXmlCache } from '../src/api/xml/security-group-xml-cache.js';
import { createAccount } from '../src/service/accounts.js';
import { openState, type OpenState, type StoreLocation } from '../src/state/open-state.js';
import { Sha256 } from '../test/harness/sha256.js';
import { ACCESS_KEY, ACCOUNT_ID, SECRET_KEY } from './server-processes.js';

/** The regions a loader may use. */
export const LOAD_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1', 'ap-south-1', 'ap-northeast-1', 'sa-east-1'];

/** A store opened in this process, with the bootstrap account, and a caller of the EC2 API on it. */
export interface InProcessApi {
  readonly state: OpenState;
  /** One signed Query request through the API's own request path (handleQuery); rejects on an EC2 error. */
  call(region: string, params: Record<string, string>): Promise<string>;
  /** Waits for every commit, then closes the store. */
  close(): Promise<void>;
}

/**
 * Opens the store at `location` in process and creates the bootstrap account (the keys the
 * benches' servers and sg-load sign with), so a bench can load a large state quickly through the
 * same request path as a server — signature check, decoding, service, commit queue — without HTTP.
 */
export async function openInProcessApi(location: StoreLocation): Promise<InProcessApi> {
  const state = await openState(location);
  await state.queue.submit(createAccount({ accountId: ACCOUNT_ID, platform: 'vpc-only', isAdmin: true, accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }));
  const env: QueryEnvironment = { ...state, groupXml: new SecurityGroupXmlCache(), quotaProfile: 'current', defaultRegion: 'us-east-1', regions: new Set(LOAD_REGIONS), clock: () => new Date() };
  const signers = new Map<string, SignatureV4>();
  return {
    state,
    async call(region, params) {
      let signer = signers.get(region);
      if (signer === undefined) signers.set(region, (signer = new SignatureV4({ service: 'ec2', region, credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: SECRET_KEY }, sha256: Sha256 })));
      const body = new URLSearchParams({ Version: '2016-11-15', ...params }).toString();
      const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port: 8773, path: '/', query: {}, headers: { host: '127.0.0.1:8773', 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body });
      const outcome = await handleQuery({ method: 'POST', path: '/', rawQuery: '', headers: signed.headers, body: Buffer.from(body), params: parseFormEncoded(body) }, env, 'load');
      if (outcome.status !== 200) throw new Error(String(outcome.body));
      return String(outcome.body);
    },
    async close() {
      await state.queue.idle();
      await state.store.close();
    },
  };
}
