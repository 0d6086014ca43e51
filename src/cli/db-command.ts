import { openStore } from '../state/open-state.js';
import { ConfigError, storeLocation } from './server-config.js';

/**
 * `stockade db migrate [--database URL | --data-dir D]`: brings the store's schema to this build's
 * version and says which it is. Servers also migrate on start; this lets an operator do it first,
 * once, before starting several replicas of a new release. A database newer than this build is
 * refused (SchemaTooNewError), never touched.
 */
export async function dbCommand(
  subcommand: string | undefined,
  options: Readonly<Record<string, string | boolean | undefined>>,
  print: (line: string) => void,
): Promise<void> {
  if (subcommand !== 'migrate') throw new ConfigError('usage: stockade db migrate [--database URL | --data-dir D]');
  const location = storeLocation(options, process.env);
  const store = await openStore(location);
  try {
    const { from, to } = store.migration;
    const where = location.database === undefined ? `${location.dataDir} (sqlite)` : 'the PostgreSQL database';
    print(from === to ? `Schema of ${where} is at version ${to}; nothing to do.` : `Migrated ${where} from schema version ${from} to ${to}.`);
  } finally {
    await store.close();
  }
}
