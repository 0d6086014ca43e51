import { missingParameter, noSuchVersion } from '../domain/ec2-errors.js';

/**
 * EC2 API versions accepted: 2011-12-15 through 2016-11-15 (spec/api.md §2), plus the older ones
 * the 2011 tools might still send. A request's version sets the response namespace and which
 * elements responses may contain.
 */
export const API_VERSIONS = [
  '2010-08-31', '2010-11-15', '2011-01-01', '2011-02-28', '2011-05-15', '2011-07-15', '2011-11-01',
  '2011-12-01', '2011-12-15', '2012-03-01', '2012-04-01', '2012-05-01', '2012-06-01', '2012-06-15',
  '2012-07-20', '2012-08-15', '2012-10-01', '2012-12-01', '2013-02-01', '2013-06-15', '2013-07-15',
  '2013-08-15', '2013-10-01', '2013-10-15', '2014-02-01', '2014-05-01', '2014-06-15', '2014-09-01',
  '2014-10-01', '2015-03-01', '2015-04-15', '2015-10-01', '2016-04-01', '2016-09-15', '2016-11-15',
] as const;
export type ApiVersionName = (typeof API_VERSIONS)[number];

const KNOWN: ReadonlySet<string> = new Set(API_VERSIONS);

/** What a version's responses may carry (spec/api.md §2 table). */
export interface ApiVersion {
  readonly name: ApiVersionName;
  /** `http://ec2.amazonaws.com/doc/<version>/`. */
  readonly namespace: string;
  /** `prefixListIds` in IpPermission (2015-04-15+). */
  readonly hasPrefixLists: boolean;
  /** 2016-11-15: IPv6, descriptions, rule IDs and sets, ARNs, `nextToken`, DeleteSecurityGroup's `groupId`. */
  readonly isModern: boolean;
}

/** Returns the version a request asked for. Throws MissingParameter or NoSuchVersion. */
export function apiVersionOf(version: string | undefined): ApiVersion {
  // UNCONFIRMED: a missing Version is a MissingParameter (spec/errors.md §3.1).
  if (version === undefined) throw missingParameter('Version');
  if (!KNOWN.has(version)) throw noSuchVersion(version);
  const name = version as ApiVersionName;
  return {
    name,
    namespace: `http://ec2.amazonaws.com/doc/${name}/`,
    hasPrefixLists: name >= '2015-04-15',
    isModern: name >= '2016-11-15',
  };
}
