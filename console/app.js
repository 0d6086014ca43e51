// @ts-check
/**
 * The console page: sign-in, then one region's groups, rules, instances, VPCs and prefix lists as
 * lists and as a graph, "can A reach B?", edits, and a live stream that reloads the state when
 * the account changes through any client. Everything it shows comes from /console/api/.
 */
import { ApiError, getJson, postJson, setCsrfToken } from './api.js';
import { graphElements } from './graph-model.js';
import { GraphView } from './graph-view.js';

/** @typedef {import('./graph-model.js').Rule} Rule */

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
/** @param {string} id */
const input = (id) => /** @type {HTMLInputElement} */ (document.getElementById(id));

/** @type {any} the last /console/api/state answer */
let state = null;
let region = '';
/** @type {GraphView | null} */
let graph = null;
/** @type {EventSource | null} */
let events = null;
/** @type {string | null} what the detail panel shows, kept across live updates */
let selected = null;

/**
 * Text-only element builder: every value from the server goes in as text, never as HTML.
 * @param {string} tag @param {Record<string, string>} attrs @param {(Node | string)[]} children
 */
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}

/** @param {unknown} error */
function showError(error) {
  $('error').textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
  if (error instanceof ApiError && error.code === 'ConsoleSignInRequired') showSignIn();
}

function showSignIn() {
  events?.close();
  $('app').hidden = true;
  $('sign-in').hidden = false;
}

async function start() {
  // A one-time link carries its token in the fragment (never sent to a server); forget it at once.
  const link = new URLSearchParams(location.hash.slice(1)).get('link');
  if (link !== null) {
    history.replaceState(null, '', location.pathname);
    try {
      await postJson('sign-in', { link });
    } catch (error) {
      $('sign-in-error').textContent = error instanceof ApiError ? error.message : String(error);
    }
  }
  try {
    await enter(await getJson('session'));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) showSignIn();
    else showError(error);
  }
}

/** @param {any} session */
async function enter(session) {
  setCsrfToken(session.csrfToken);
  $('account-id').textContent = session.accountId;
  const select = /** @type {HTMLSelectElement} */ ($('region'));
  select.replaceChildren(...session.regions.map((/** @type {string} */ r) => el('option', r === session.defaultRegion ? { selected: '' } : {}, r)));
  region = session.defaultRegion;
  $('sign-in').hidden = true;
  $('app').hidden = false;
  graph ??= new GraphView($('graph'), { onNode: showNode, onEdge: showEdge, onNothing: () => ((selected = null), $('detail').replaceChildren(el('p', { class: 'muted' }, 'Select a group or an edge in the graph.'))) });
  await reload();
  listen();
}

async function reload() {
  state = await getJson('state', { region });
  renderLists();
  renderGraph();
  if (selected !== null && graph?.cy.getElementById(selected).length) showNode(selected);
  // For the tests: which revision the page shows.
  document.body.dataset.revision = String(state.revision);
}

function listen() {
  events?.close();
  events = new EventSource(`/console/api/events?region=${encodeURIComponent(region)}`);
  events.addEventListener('ready', () => ($('live-status').textContent = 'live'));
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let pending;
  // The account's own change, another account's change to a group its rules name, or a host's
  // report of what is in force: each means the state shown is stale. A burst becomes one reload.
  const stale = () => {
    clearTimeout(pending);
    pending = setTimeout(() => reload().catch(showError), 50);
  };
  for (const name of ['changed', 'peer-changed', 'enforced']) events.addEventListener(name, stale);
  events.onerror = () => ($('live-status').textContent = 'reconnecting…');
}

function renderGraph() {
  if (graph === null) return;
  const ms = graph.render(graphElements(state));
  // For the tests and bench/console.ts: what the first draw cost, and which layout it used.
  document.body.dataset.graphLayout = graph.layoutName;
  document.body.dataset.renderMs = String(Math.round(ms));
  applyFilters();
}

function applyFilters() {
  const portText = input('filter-port').value;
  graph?.filter({
    vpcId: /** @type {HTMLSelectElement} */ ($('filter-vpc')).value,
    protocol: /** @type {HTMLSelectElement} */ ($('filter-protocol')).value,
    port: portText === '' ? null : Number(portText),
  });
}

/** @param {Rule} r */
function peerText(r) {
  const p = r.peer;
  if (p.kind === 'cidr4' || p.kind === 'cidr6') return p.cidr === '0.0.0.0/0' || p.cidr === '::/0' ? `anywhere (${p.cidr})` : p.cidr;
  if (p.kind === 'prefixList') return p.prefixListId;
  return p.userId === state.accountId ? p.groupId : `${p.userId}/${p.groupId}`;
}

/** @param {Rule} r */
function ruleLine(r) {
  return `${r.traffic} ${r.direction === 'ingress' ? 'from' : 'to'} ${peerText(r)}`;
}

function renderLists() {
  const groupRows = state.groups.map((/** @type {any} */ g) => {
    const rules = (/** @type {string} */ direction) =>
      el('td', { class: 'mono' }, ...g.rules.filter((/** @type {Rule} */ r) => r.direction === direction).flatMap((/** @type {Rule} */ r) => [ruleLine(r), el('br')]));
    const link = el('a', { href: '#', 'data-group': g.groupId }, g.groupId);
    link.addEventListener('click', (e) => (e.preventDefault(), showNode(g.groupId)));
    return el('tr', { 'data-group-id': g.groupId }, el('td', {}, link), el('td', {}, g.groupName), el('td', {}, g.vpcId ?? 'EC2-Classic'), rules('ingress'), rules('egress'));
  });
  $('groups').querySelector('tbody')?.replaceChildren(...groupRows);
  $('instances').querySelector('tbody')?.replaceChildren(
    ...state.instances.map((/** @type {any} */ i) =>
      el(
        'tr',
        { 'data-instance-id': i.instanceId },
        el('td', {}, i.instanceId),
        el('td', {}, i.state),
        el('td', { class: 'mono' }, [i.privateIpAddress, ...i.ipv6Addresses].join(' ')),
        el('td', { class: 'mono' }, i.groupIds.join(' ')),
        el('td', {}, i.inForce === null ? `${i.desiredRevision} / no agent` : `${i.desiredRevision} / ${i.enforcedRevision} ${i.inForce ? '(in force)' : '(pending)'}`),
      ),
    ),
  );
  $('vpcs').querySelector('tbody')?.replaceChildren(
    ...state.vpcs.map((/** @type {any} */ v) => el('tr', {}, el('td', {}, v.vpcId), el('td', {}, v.cidrBlock), el('td', {}, v.ipv6CidrBlock ?? ''), el('td', {}, v.isDefault ? 'yes' : ''))),
  );
  $('prefix-lists').querySelector('tbody')?.replaceChildren(
    ...state.prefixLists.map((/** @type {any} */ l) =>
      el('tr', {}, el('td', {}, l.prefixListId), el('td', {}, l.prefixListName), el('td', {}, l.ownerId), el('td', { class: 'mono' }, l.entries.map((/** @type {any} */ e) => e.cidr).join(' '))),
    ),
  );
  const vpcOptions = () => state.vpcs.map((/** @type {any} */ v) => el('option', { value: v.vpcId }, `${v.vpcId}${v.isDefault ? ' (default)' : ''}`));
  keepValue('filter-vpc', () => [el('option', { value: '' }, 'all'), ...vpcOptions()]);
  keepValue('new-group-vpc', () => [el('option', { value: '' }, state.vpcs.length ? 'default' : 'EC2-Classic'), ...vpcOptions()]);
  keepValue('rule-group', () => state.groups.map((/** @type {any} */ g) => el('option', { value: g.groupId }, `${g.groupId} ${g.groupName}`)));
  keepValue('reach-destination', () => state.instances.filter((/** @type {any} */ i) => i.state !== 'terminated').map((/** @type {any} */ i) => el('option', { value: i.instanceId }, `${i.instanceId} ${i.privateIpAddress}`)));
  $('reach-sources').replaceChildren(...state.instances.map((/** @type {any} */ i) => el('option', { value: i.instanceId })), ...state.groups.map((/** @type {any} */ g) => el('option', { value: g.groupId })));
}

/** Refills a select, keeping its choice when it still exists. @param {string} id @param {() => HTMLElement[]} options */
function keepValue(id, options) {
  const select = /** @type {HTMLSelectElement} */ ($(id));
  const value = select.value;
  select.replaceChildren(...options());
  if ([...select.options].some((o) => o.value === value)) select.value = value;
}

/** The detail of a group (its rules, with revoke buttons) or of a peer. @param {string} id */
function showNode(id) {
  selected = id;
  graph?.highlight(id);
  const group = state.groups.find((/** @type {any} */ g) => g.groupId === id);
  const detail = $('detail');
  if (group === undefined) {
    detail.replaceChildren(el('h3', {}, id), el('p', { class: 'muted' }, 'A peer named by rules: green edges go out of it, orange come in.'));
    return;
  }
  const ruleTable = (/** @type {string} */ direction) =>
    el(
      'table',
      { class: `rules-${direction}` },
      el('thead', {}, el('tr', {}, el('th', {}, 'Rule'), el('th', {}, 'Traffic'), el('th', {}, direction === 'ingress' ? 'Source' : 'Destination'), el('th', {}, 'Description'), el('th', {}, ''))),
      el(
        'tbody',
        {},
        ...group.rules
          .filter((/** @type {Rule} */ r) => r.direction === direction)
          .map((/** @type {any} */ r) => {
            const revoke = el('button', { 'data-revoke': r.ruleId }, 'Remove');
            revoke.addEventListener('click', () => edit('rules/revoke', { groupId: group.groupId, direction, ruleIds: [r.ruleId] }));
            const tags = r.tags.map((/** @type {any} */ t) => `${t.key}=${t.value}`).join(' ');
            return el('tr', { 'data-rule-id': r.ruleId }, el('td', { class: 'mono' }, r.ruleId), el('td', {}, r.traffic), el('td', { class: 'mono' }, peerText(r)), el('td', {}, [r.description ?? '', tags].filter(Boolean).join(' · ')), el('td', {}, revoke));
          }),
      ),
    );
  const remove = el('button', { id: 'delete-group' }, 'Delete group');
  remove.addEventListener('click', () => edit('groups/delete', { groupId: group.groupId }));
  detail.replaceChildren(
    el('h3', {}, `${group.groupName} `, el('span', { class: 'mono' }, group.groupId)),
    el('p', {}, group.description),
    el('p', { class: 'muted' }, `${group.vpcId ?? 'EC2-Classic'} · owner ${group.ownerId}${group.tags.length ? ' · ' + group.tags.map((/** @type {any} */ t) => `${t.key}=${t.value}`).join(' ') : ''}`),
    el('h4', {}, 'Inbound rules'),
    ruleTable('ingress'),
    el('h4', {}, 'Outbound rules'),
    ruleTable('egress'),
    remove,
  );
}

/** @param {Rule[]} rules @param {string} id */
function showEdge(rules, id) {
  selected = null;
  $('detail').replaceChildren(
    el('h3', {}, 'Rules behind this edge'),
    el('p', { class: 'mono' }, id),
    el('ul', { id: 'edge-rules' }, ...rules.map((r) => el('li', { 'data-rule-id': r.ruleId }, `${r.ruleId} (${r.groupId} ${r.direction}): ${ruleLine(r)}${r.description ? ` — ${r.description}` : ''}`))),
  );
}

/** Runs an edit; the page shows EC2's error text when it is refused. @param {string} path @param {Record<string, unknown>} body */
async function edit(path, body) {
  $('error').textContent = '';
  try {
    await postJson(path, { region, ...body });
    await reload();
  } catch (error) {
    showError(error);
  }
}

async function checkReach() {
  const params = {
    region,
    source: input('reach-source').value.trim(),
    destination: /** @type {HTMLSelectElement} */ ($('reach-destination')).value,
    protocol: /** @type {HTMLSelectElement} */ ($('reach-protocol')).value,
  };
  const icmp = params.protocol.startsWith('icmp');
  /** @type {Record<string, string>} */
  const extra = icmp ? { icmpType: input('reach-icmp-type').value || '8', icmpCode: input('reach-icmp-code').value || '0' } : { port: input('reach-port').value };
  const result = $('reach-result');
  try {
    const answer = await getJson('reach', { ...params, ...extra });
    const verdict = (/** @type {any} */ j, /** @type {string} */ what) =>
      j === null
        ? el('li', {}, `${what}: not filtered (the source is outside the account)`)
        : el('li', {}, `${what}: `, el('span', { class: j.admitted ? 'admitted' : 'refused' }, j.admitted ? 'admitted' : 'refused'), ` — ${j.reason}`, el('ul', {}, ...j.rules.map((/** @type {Rule} */ r) => el('li', { 'data-rule-id': r.ruleId, class: 'mono' }, `${r.ruleId} (${r.groupId}): ${ruleLine(r)}`))));
    result.replaceChildren(
      el('p', { id: 'reach-verdict', class: answer.admitted ? 'admitted' : 'refused' }, answer.admitted ? 'Admitted' : `Not admitted${answer.reason ? `: ${answer.reason}` : ''}`),
      ...answer.paths.map((/** @type {any} */ p) =>
        el('div', { class: 'reach-path' }, el('p', { class: 'mono' }, `${p.sourceInstanceId ?? ''} ${p.sourceAddress} → ${answer.destination} ${p.destinationAddress}`), el('ul', {}, verdict(p.egress, 'source egress'), verdict(p.ingress, 'destination ingress'))),
      ),
    );
    graph?.showPath(answer.paths.flatMap((/** @type {any} */ p) => [...(p.egress?.rules ?? []), ...p.ingress.rules].map((/** @type {Rule} */ r) => r.ruleId)));
  } catch (error) {
    result.replaceChildren(el('p', { class: 'error' }, error instanceof ApiError ? `${error.code}: ${error.message}` : String(error)));
  }
}

function wire() {
  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    const secret = input('secret-access-key');
    try {
      await postJson('sign-in', { accessKeyId: input('access-key-id').value.trim(), secretAccessKey: secret.value });
      // The secret leaves the page: only the HttpOnly cookie holds the session from now on.
      secret.value = '';
      await enter(await getJson('session'));
    } catch (error) {
      secret.value = '';
      $('sign-in-error').textContent = error instanceof ApiError ? `${error.code}: ${error.message}` : String(error);
    }
  });
  $('sign-out').addEventListener('click', async () => {
    try {
      await postJson('sign-out', {});
    } finally {
      setCsrfToken('');
      showSignIn();
    }
  });
  $('region').addEventListener('change', () => {
    region = /** @type {HTMLSelectElement} */ ($('region')).value;
    selected = null;
    reload().then(listen, showError);
  });
  for (const id of ['filter-vpc', 'filter-protocol', 'filter-port']) $(id).addEventListener('input', applyFilters);
  $('filter-clear').addEventListener('click', () => {
    /** @type {HTMLSelectElement} */ ($('filter-vpc')).value = '';
    /** @type {HTMLSelectElement} */ ($('filter-protocol')).value = '';
    input('filter-port').value = '';
    applyFilters();
  });
  $('reach-form').addEventListener('submit', (e) => (e.preventDefault(), void checkReach()));
  $('create-group-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void edit('groups/create', { groupName: input('new-group-name').value, description: input('new-group-description').value, vpcId: /** @type {HTMLSelectElement} */ ($('new-group-vpc')).value });
  });
  $('add-rule-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void edit('rules/authorize', {
      groupId: /** @type {HTMLSelectElement} */ ($('rule-group')).value,
      direction: /** @type {HTMLSelectElement} */ ($('rule-direction')).value,
      ipProtocol: input('rule-protocol').value,
      fromPort: input('rule-from').value,
      toPort: input('rule-to').value,
      peer: input('rule-peer').value,
      description: input('rule-description').value,
    });
  });
}

wire();
void start();
