import type { ApplicationWorkflow } from '../api/types.ts';

/**
 * A layered layout of the state machine's graph, computed in the browser from the definition the
 * API serves (so a changed state machine draws itself): top-level states in rows by their longest
 * distance from the start (back edges, the change-request loop, do not count), a Start and an End
 * node, and the states a Map or Parallel runs shown inside it.
 */

type Wire = ApplicationWorkflow['graph'];
/** The wire graph, read only (the API's own read model is readonly too). */
interface Graph {
  readonly startAt: string;
  readonly states: readonly Readonly<Wire['states'][number]>[];
  readonly edges: readonly Readonly<Omit<Wire['edges'][number], 'errors'> & { errors?: readonly string[] }>[];
}

export const START = '(start)';
export const END = '(end)';

export interface NodeBox {
  readonly name: string;
  readonly type: string;
  /** States run inside this one (a Map's iteration). */
  readonly inner: readonly string[];
  readonly x: number;
  readonly y: number;
  readonly rank: number;
}

export interface EdgeLine {
  readonly from: string;
  readonly to: string;
  readonly kind: 'next' | 'choice' | 'default' | 'catch' | 'end';
  /** Goes to an earlier or the same row (drawn as a curve at the side). */
  readonly back: boolean;
}

export interface Layout {
  readonly nodes: readonly NodeBox[];
  readonly edges: readonly EdgeLine[];
  readonly width: number;
  readonly height: number;
}

export const NODE = { width: 168, height: 44, gapX: 16, gapY: 46, margin: 12 } as const;

export function layoutWorkflow(graph: Graph): Layout {
  const top = graph.states.filter((s) => s.parent === undefined);
  const inner = new Map<string, string[]>();
  for (const s of graph.states) {
    if (s.parent !== undefined) inner.set(s.parent, [...(inner.get(s.parent) ?? []), s.name]);
  }
  const topNames = new Set(top.map((s) => s.name));
  const edges: { from: string; to: string; kind: EdgeLine['kind'] }[] = [
    { from: START, to: graph.startAt, kind: 'next' },
    ...graph.edges.filter((e) => topNames.has(e.from) && topNames.has(e.to)),
    ...top
      .filter((s) => s.end && s.type !== 'Fail')
      .map((s) => ({ from: s.name, to: END, kind: 'end' as const })),
  ];
  const out = new Map<string, string[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e.to]);

  // Depth-first from the start: discovery order orders a row; an edge into the stack is a back edge.
  const order: string[] = [];
  const onStack = new Set<string>();
  const seen = new Set<string>();
  const backEdges = new Set<string>();
  const visit = (name: string): void => {
    seen.add(name);
    onStack.add(name);
    order.push(name);
    for (const to of out.get(name) ?? []) {
      if (onStack.has(to)) backEdges.add(`${name}->${to}`);
      else if (!seen.has(to)) visit(to);
    }
    onStack.delete(name);
  };
  visit(START);
  for (const s of top) if (!seen.has(s.name)) visit(s.name);
  if (!seen.has(END)) order.push(END);

  // Longest path over the forward edges, in topological order (reverse postorder is enough here:
  // relax until nothing changes, bounded by the number of nodes).
  const rank = new Map<string, number>(order.map((name) => [name, 0]));
  for (let pass = 0; pass < order.length; pass++) {
    let changed = false;
    for (const e of edges) {
      if (backEdges.has(`${e.from}->${e.to}`)) continue;
      const wanted = (rank.get(e.from) ?? 0) + 1;
      if (wanted > (rank.get(e.to) ?? 0)) {
        rank.set(e.to, wanted);
        changed = true;
      }
    }
    if (!changed) break;
  }
  // The End sits one row below the deepest state that ends the workflow.
  const ends = edges.filter((e) => e.to === END).map((e) => rank.get(e.from) ?? 0);
  rank.set(END, Math.max(0, ...ends) + 1);

  const rows = new Map<number, string[]>();
  for (const name of order) {
    const r = rank.get(name) ?? 0;
    rows.set(r, [...(rows.get(r) ?? []), name]);
  }
  const widest = Math.max(...[...rows.values()].map((row) => row.length));
  const width = NODE.margin * 2 + widest * NODE.width + (widest - 1) * NODE.gapX;
  const types = new Map(top.map((s) => [s.name, s.type]));
  const nodes: NodeBox[] = [];
  for (const [r, row] of [...rows].sort((a, b) => a[0] - b[0])) {
    const rowWidth = row.length * NODE.width + (row.length - 1) * NODE.gapX;
    const left = (width - rowWidth) / 2;
    row.forEach((name, i) => {
      nodes.push({
        name,
        type: name === START || name === END ? 'Terminal' : (types.get(name) ?? 'Task'),
        inner: inner.get(name) ?? [],
        x: left + i * (NODE.width + NODE.gapX),
        y: NODE.margin + r * (NODE.height + NODE.gapY),
        rank: r,
      });
    });
  }
  const rankOf = (name: string) => rank.get(name) ?? 0;
  return {
    nodes,
    edges: edges.map((e) => ({ ...e, back: rankOf(e.to) <= rankOf(e.from) })),
    width,
    height: NODE.margin * 2 + rows.size * NODE.height + (rows.size - 1) * NODE.gapY,
  };
}
