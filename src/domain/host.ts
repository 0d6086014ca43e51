/**
 * A host that runs instances and enforces their policies (issue 5: "Stockade places each instance
 * on a registered host"). It authenticates with a host access key (`AccessKey.hostName`), never
 * with an account's key.
 */
export interface Host {
  readonly hostName: string;
  readonly createdAt: string;
  /** Creation ordinal (view.nextOrdinal), like every other resource. */
  readonly ordinal: number;
}

/** Host names: a DNS label sequence, lower case, at most 63 characters (our own rule, issue 5). */
const HOST_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

/** Reports whether `name` is a valid host name. */
export function isHostName(name: string): boolean {
  return HOST_NAME.test(name);
}
