import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AgentStatus } from './host-agent.js';

/**
 * The agent's state in the Prometheus text format (0.0.4): its counters (nft transactions, table
 * replaces, membership updates, failures, namespaces made and removed) and gauges (the revision
 * applied, whether the feed is connected, instances by enforcement state). Served by
 * `stockade agent --metrics-port` and appended to the server's /metrics in single-host mode.
 */
export function renderAgentMetrics(status: AgentStatus): string {
  const lines = [
    '# HELP stockade_agent_total Counters of the host agent.',
    '# TYPE stockade_agent_total counter',
    ...Object.entries(status.stats).map(([name, value]) => `stockade_agent_total{counter="${name}"} ${value}`),
    '# HELP stockade_agent_feed_received_total What the host feed brought: bytes, and lines by kind.',
    '# TYPE stockade_agent_feed_received_total counter',
    ...Object.entries(status.received).map(([name, value]) => `stockade_agent_feed_received_total{what="${name}"} ${value}`),
    '# HELP stockade_agent_revision The last change-log revision the agent has applied.',
    '# TYPE stockade_agent_revision gauge',
    `stockade_agent_revision ${status.revision}`,
    '# HELP stockade_agent_connected 1 while the change feed is connected.',
    '# TYPE stockade_agent_connected gauge',
    `stockade_agent_connected ${status.connected ? 1 : 0}`,
    '# HELP stockade_agent_instances Instances of this host: in force, with a change pending, or failing (last good ruleset kept).',
    '# TYPE stockade_agent_instances gauge',
    `stockade_agent_instances{state="enforced"} ${status.enforced}`,
    `stockade_agent_instances{state="pending"} ${status.pending}`,
    `stockade_agent_instances{state="failing"} ${status.failing}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Serves `GET /metrics` (the above) and `GET /health` (the status as JSON; 200 while connected,
 * 503 otherwise) on `host:port`. Resolves with the server once it listens.
 */
export async function serveAgentMetrics(status: () => AgentStatus, port: number, host: string): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(renderAgentMetrics(status()));
    } else if (req.method === 'GET' && path === '/health') {
      const now = status();
      res.writeHead(now.connected ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(now));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** The port a server listens on. */
export function listeningPort(server: http.Server): number {
  return (server.address() as AddressInfo).port;
}
