import { parseArgs } from 'node:util';
import { AccountAdministrationError } from '../service/accounts.js';
import { SchemaTooNewError, StoreUnavailableError } from '../state/store.js';
import { ConfigError, resolveServerConfig } from './server-config.js';

const USAGE = `usage:
  stockade serve [--port P] [--host H] [--data-dir D | --database postgres://…] [--quotas current|2011] [--log-level L]
                 [--retain-changes N]   (compact the change log to its newest N records)
                 [--agent [--agent-host NAME] [--resync-interval SECONDS]]   (single-host mode, root)
  stockade db migrate [--data-dir D | --database URL]
  stockade agent --server URL[,URL…] --host NAME [--credentials FILE] [--region R]
                 [--resync-interval SECONDS] [--concurrency N] [--metrics-port P] [--log-level L]  (root)
  stockade accounts create [--id ACCOUNT] [--platform vpc-only|classic] [--json] [--data-dir D | --database URL]
  stockade accounts list [--json] [--data-dir D | --database URL]
  stockade accounts add-key --id ACCOUNT [--json] [--data-dir D | --database URL]
  stockade accounts remove-key --access-key-id KEY [--data-dir D | --database URL]
  stockade hosts add --name NAME [--json] [--data-dir D | --database URL]
  stockade hosts list [--json] [--data-dir D | --database URL]
  stockade hosts remove --name NAME [--data-dir D | --database URL]
  stockade console-link --account ID [--url http://HOST:PORT] [--json] [--data-dir D | --database URL]
                   (prints a one-time sign-in link to the web console, valid 10 minutes)
  stockade explain --instance i-… (--ingress|--egress) --protocol P [--port N | --icmp-type T --icmp-code C]
                   --peer ADDRESS [--json] [--data-dir D | --database URL]     (exit 0 admitted, 1 not admitted)`;

/** The `stockade` command: `serve`, `agent`, `accounts …`, `hosts …`, `console-link` or `explain`. Returns the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      // --port: the server's port for `serve`, the flow's destination port for `explain`.
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      database: { type: 'string' },
      'retain-changes': { type: 'string' },
      quotas: { type: 'string' },
      'log-level': { type: 'string' },
      id: { type: 'string' },
      platform: { type: 'string' },
      'access-key-id': { type: 'string' },
      json: { type: 'boolean' },
      instance: { type: 'string' },
      ingress: { type: 'boolean' },
      egress: { type: 'boolean' },
      protocol: { type: 'string' },
      'icmp-type': { type: 'string' },
      'icmp-code': { type: 'string' },
      peer: { type: 'string' },
      name: { type: 'string' },
      agent: { type: 'boolean' },
      'agent-host': { type: 'string' },
      server: { type: 'string' },
      credentials: { type: 'string' },
      region: { type: 'string' },
      'resync-interval': { type: 'string' },
      concurrency: { type: 'string' },
      'metrics-port': { type: 'string' },
      account: { type: 'string' },
      url: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, subcommand] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return values.help === true ? 0 : 2;
  }
  try {
    // Each command loads only its own code: the server does not carry the agent's modules or the
    // evaluator in memory (docs/performance.md, RSS), and `accounts` does not load the server.
    if (command === 'serve') {
      const { serve } = await import('./serve.js');
      await serve(resolveServerConfig(values, process.env));
      return -1;
    }
    if (command === 'agent') {
      const [{ agentCommand }, { resolveAgentConfig }] = await Promise.all([import('./agent-command.js'), import('./agent-config.js')]);
      await agentCommand(resolveAgentConfig(values, process.env));
      return -1;
    }
    if (command === 'explain') {
      const { explainCommand } = await import('./explain-command.js');
      return await explainCommand(values, (line) => process.stdout.write(`${line}\n`));
    }
    if (command === 'console-link') {
      const { consoleLinkCommand } = await import('./console-link-command.js');
      await consoleLinkCommand(values, (line) => process.stdout.write(`${line}\n`));
      return 0;
    }
    if (command === 'hosts') {
      const { hostsCommand } = await import('./hosts-command.js');
      await hostsCommand(subcommand, values, (line) => process.stdout.write(`${line}\n`));
      return 0;
    }
    if (command === 'db') {
      const { dbCommand } = await import('./db-command.js');
      await dbCommand(subcommand, values, (line) => process.stdout.write(`${line}\n`));
      return 0;
    }
    if (command === 'accounts') {
      const { accountsCommand } = await import('./accounts-command.js');
      await accountsCommand(subcommand, values, (line) => process.stdout.write(`${line}\n`));
      return 0;
    }
  } catch (error) {
    if (error instanceof ConfigError || error instanceof AccountAdministrationError || error instanceof SchemaTooNewError) {
      process.stderr.write(`stockade: ${error.message}\n`);
      return 2;
    }
    if (error instanceof StoreUnavailableError) {
      process.stderr.write(`stockade: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

main(process.argv.slice(2)).then(
  (status) => {
    if (status >= 0) process.exitCode = status;
  },
  (error: unknown) => {
    process.stderr.write(`stockade: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
