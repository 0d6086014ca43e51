/**
 * The kinds of stored document: one per resource, written whenever a change touches it. Each has
 * its entry in RESOURCE_KINDS (resource-kind.ts). Kept apart from the view so that a snapshot
 * reader in a worker thread (store/worker-snapshot.ts) loads this list and nothing of the domain.
 */
export const DOCUMENT_KINDS = ['account', 'accessKey', 'region', 'vpc', 'routeTable', 'networkAcl', 'subnet', 'prefixList', 'group', 'rule', 'instance', 'host'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/**
 * Receives one stored document of a snapshot: its kind and parsed body. Not its ID, the store's
 * key, which the body holds too: reading a million keys only to drop them cost 0.4 s of a restart
 * (issue 12).
 */
export type TakeDocument = (kind: DocumentKind, body: unknown) => void;
