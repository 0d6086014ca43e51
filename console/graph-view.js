// @ts-check
/**
 * Draws the graph model with Cytoscape.js (served from its npm package) and answers the page's
 * questions about it: select, highlight what a node reaches and what reaches it, filter, show a
 * path. The Cytoscape instance is `window.cy`, so the tests read nodes and edges from the page.
 */
import cytoscape from './vendor/cytoscape.esm.min.mjs';
import { ruleMatches } from './graph-model.js';

/**
 * Above this many nodes the force-directed layout (cose) costs seconds; concentric places nodes
 * by degree at once (docs/performance.md, console graph).
 */
const FORCE_LAYOUT_MAX_NODES = 250;

/** Space around the graph when it is fitted to the pane. */
const FIT_PADDING_PX = 40;

/** @type {import('cytoscape').StylesheetJson} */
const STYLE = [
  { selector: 'node', style: { label: 'data(label)', 'font-size': 12, 'min-zoomed-font-size': 6, 'background-color': '#5b8def', width: 22, height: 22, 'text-valign': 'bottom', 'text-margin-y': 3 } },
  { selector: 'node[kind = "anywhere"]', style: { 'background-color': '#d9822b', shape: 'star', width: 30, height: 30 } },
  { selector: 'node[kind = "cidr"]', style: { 'background-color': '#e0b34c', shape: 'round-rectangle' } },
  { selector: 'node[kind = "prefixList"]', style: { 'background-color': '#8a63d2', shape: 'hexagon' } },
  { selector: 'node[kind = "foreignGroup"]', style: { 'background-color': '#8d99a6', shape: 'diamond' } },
  {
    selector: 'edge',
    // Edge labels are drawn only where they are legible (zoomed to at least 1): rotated text on
    // thousands of edges was half of the first draw at 200 groups (docs/performance.md, console graph).
    style: { width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#9aa5b1', 'target-arrow-color': '#9aa5b1', label: 'data(label)', 'font-size': 8, 'min-zoomed-font-size': 8, 'text-rotation': 'autorotate', color: '#39424e' },
  },
  { selector: 'edge[direction = "egress"]', style: { 'line-style': 'dashed' } },
  { selector: '.faded', style: { opacity: 0.15 } },
  { selector: '.filtered-out', style: { display: 'none' } },
  { selector: 'edge.reach-out', style: { 'line-color': '#1e7b34', 'target-arrow-color': '#1e7b34', width: 3 } },
  { selector: 'node.reach-out', style: { 'background-color': '#1e7b34' } },
  { selector: 'edge.reach-in', style: { 'line-color': '#b35c00', 'target-arrow-color': '#b35c00', width: 3 } },
  { selector: 'node.reach-in', style: { 'background-color': '#b35c00' } },
  { selector: 'edge.path', style: { 'line-color': '#d12f8c', 'target-arrow-color': '#d12f8c', width: 4 } },
  { selector: 'node.path', style: { 'background-color': '#d12f8c' } },
  { selector: ':selected', style: { 'border-width': 3, 'border-color': '#111' } },
];

/**
 * The graph on the page.
 */
export class GraphView {
  /**
   * @param {HTMLElement} container
   * @param {{ onNode: (id: string) => void, onEdge: (rules: import('./graph-model.js').Rule[], id: string) => void, onNothing: () => void }} handlers
   */
  constructor(container, handlers) {
    /** @type {import('cytoscape').Core} */
    this.cy = cytoscape({ container, style: STYLE, minZoom: 0.05 });
    // @ts-ignore: for the tests and for curious users at the developer console.
    window.cy = this.cy;
    /** @type {string} positions are kept while the set of nodes stays the same */
    this.nodeKey = '';
    /** @type {'cose' | 'concentric' | ''} the layout of the last render that laid nodes out */
    this.layoutName = '';
    this.cy.on('tap', 'node', (e) => {
      this.highlight(e.target.id());
      handlers.onNode(e.target.id());
    });
    this.cy.on('tap', 'edge', (e) => {
      this.clearMarks();
      handlers.onEdge(e.target.data('rules'), e.target.id());
    });
    this.cy.on('tap', (e) => {
      if (e.target === this.cy) {
        this.clearMarks();
        handlers.onNothing();
      }
    });
  }

  /**
   * Replaces the elements; lays them out again only when the set of nodes changed, so a live
   * update that adds a rule does not move everything.
   * @param {{ nodes: import('./graph-model.js').NodeData[], edges: import('./graph-model.js').EdgeData[] }} elements
   * @returns {number} milliseconds spent
   */
  render(elements) {
    const started = performance.now();
    const key = elements.nodes.map((n) => n.id).sort().join(' ');
    /** @type {Map<string, {x: number, y: number}>} */
    const positions = new Map();
    // A block body: Cytoscape's forEach stops at a callback that returns false.
    if (key === this.nodeKey) this.cy.nodes().forEach((n) => {
      positions.set(n.id(), { ...n.position() });
    });
    /** @type {import('cytoscape').ElementDefinition[]} */
    const definitions = [
      ...elements.nodes.map((data) => {
        const position = positions.get(data.id);
        return { group: /** @type {const} */ ('nodes'), data, ...(position === undefined ? {} : { position }) };
      }),
      ...elements.edges.map((data) => ({ group: /** @type {const} */ ('edges'), data })),
    ];
    this.cy.batch(() => {
      this.cy.elements().remove();
      this.cy.add(definitions);
    });
    if (key !== this.nodeKey) {
      const big = elements.nodes.length > FORCE_LAYOUT_MAX_NODES;
      this.layoutName = big ? 'concentric' : 'cose';
      this.cy
        .layout(
          big
            ? { name: 'concentric', animate: false, fit: false, concentric: (n) => n.degree(), levelWidth: () => 4, minNodeSpacing: 8 }
            : { name: 'cose', animate: false, fit: false, randomize: true, nodeRepulsion: () => 60000, nodeOverlap: 20, idealEdgeLength: () => 110, componentSpacing: 60, numIter: 1000 },
        )
        .run();
      // Fitted to the nodes, not to every element: the layouts' own fit measures each edge and its
      // label, 0.5 s of a 0.7 s render at 4,000 edges (docs/performance.md, console graph).
      this.cy.fit(this.cy.nodes(), FIT_PADDING_PX);
      this.nodeKey = key;
    }
    return performance.now() - started;
  }

  /**
   * Shows only what the filters keep: groups of the VPC (and the peers their kept edges name),
   * edges with a rule for the protocol and port.
   * @param {{ vpcId: string, protocol: string, port: number | null }} filter
   */
  filter({ vpcId, protocol, port }) {
    // A class, not a style bypass per element: bypasses on every element cost a third of a second
    // at 4,000 edges even when no filter is set (docs/performance.md, console graph).
    this.cy.batch(() => {
      this.cy.elements('.filtered-out').removeClass('filtered-out');
      if (vpcId === '' && protocol === '' && port === null) return;
      const hiddenEdges = this.cy.edges().filter((e) => {
        const rules = /** @type {import('./graph-model.js').Rule[]} */ (e.data('rules'));
        const inVpc = vpcId === '' || [e.source(), e.target()].some((n) => n.data('kind') === 'group' && n.data('vpcId') === vpcId);
        return !inVpc || !rules.some((r) => ruleMatches(r, protocol, port));
      });
      hiddenEdges.addClass('filtered-out');
      const hiddenNodes = this.cy.nodes().filter((n) => {
        const ownVpc = n.data('kind') === 'group' && n.data('vpcId') === vpcId;
        const shownEdge = n.connectedEdges().not('.filtered-out').nonempty();
        return !(vpcId === '' ? shownEdge || n.data('kind') === 'group' : ownVpc || shownEdge);
      });
      hiddenNodes.addClass('filtered-out');
    });
  }

  /**
   * Marks what `id` can send to (its outgoing edges and their targets) and what can send to it.
   * @param {string} id
   */
  highlight(id) {
    this.clearMarks();
    const node = this.cy.getElementById(id);
    const out = node.outgoers();
    const incoming = node.incomers();
    this.cy.elements().not(out.union(incoming).union(node)).addClass('faded');
    out.addClass('reach-out');
    incoming.addClass('reach-in');
  }

  /**
   * Draws a reachability answer: the edges holding the rules that admit it, and their ends.
   * @param {string[]} ruleIds
   */
  showPath(ruleIds) {
    this.clearMarks();
    const wanted = new Set(ruleIds);
    const edges = this.cy.edges().filter((e) => /** @type {import('./graph-model.js').Rule[]} */ (e.data('rules')).some((r) => wanted.has(r.ruleId)));
    const path = edges.union(edges.connectedNodes());
    if (path.length === 0) return;
    this.cy.elements().not(path).addClass('faded');
    path.addClass('path');
  }

  clearMarks() {
    this.cy.elements().removeClass('faded reach-out reach-in path');
  }
}
