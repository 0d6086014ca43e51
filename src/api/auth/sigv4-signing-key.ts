import { createHmac } from 'node:crypto';

/**
 * Most derived keys kept. One entry serves every request of one access key for one day, region
 * and service, so 1024 covers that many active keys at once; past it, a miss costs four HMACs.
 */
const MAX_CACHED_SIGNING_KEYS = 1024;

/**
 * Derived SigV4 signing keys, keyed by `<yyyymmdd>/<region>/<service>/<secret>`. Filled by
 * `sigV4SigningKey` on a miss; when full, the oldest insertion is evicted (FIFO: a key is only good
 * for one day, so recency buys little). Single-threaded, so no lock. It holds secrets, as the
 * credential store does. Values are shared: callers must not write to them.
 */
const signingKeyCache = new Map<string, Buffer>();

/**
 * The SigV4 signing key `kSigning` for a secret, scope date (`yyyymmdd`), region and service:
 * `kDate = HMAC("AWS4"+secret, date)`, `kRegion = HMAC(kDate, region)`,
 * `kService = HMAC(kRegion, service)`, `kSigning = HMAC(kService, "aws4_request")` (spec/auth.md
 * §4.3). Cached, because it runs on every request.
 */
export function sigV4SigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  // The date is 8 characters and neither region nor service holds '/', so this key is unambiguous
  // for the scopes that reach here.
  const cacheKey = `${date}/${region}/${service}/${secretAccessKey}`;
  const cached = signingKeyCache.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  const kSigning = hmacSha256(kService, 'aws4_request');
  if (signingKeyCache.size >= MAX_CACHED_SIGNING_KEYS) {
    const oldest = signingKeyCache.keys().next();
    if (oldest.done !== true) {
      signingKeyCache.delete(oldest.value);
    }
  }
  signingKeyCache.set(cacheKey, kSigning);
  return kSigning;
}

/** How many derived keys the cache holds now, and its bound. */
export function signingKeyCacheStatsForTest(): { readonly size: number; readonly max: number } {
  return { size: signingKeyCache.size, max: MAX_CACHED_SIGNING_KEYS };
}

function hmacSha256(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
