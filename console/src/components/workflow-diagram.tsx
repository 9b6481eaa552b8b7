import { useMemo } from 'preact/hooks';
import type { ApplicationWorkflow } from '../api/types.ts';
import { formatInstant, useT } from '../i18n.ts';
import { S } from '../strings.ts';
import { END, layoutWorkflow, NODE, START, type EdgeLine, type NodeBox } from './workflow-layout.ts';

/**
 * The application's workflow as the API reads it from Step Functions: the state machine's own
 * definition, laid out as rows, with the states the executions entered filled in and the states it
 * waits in now outlined. The drawing is an image with a text description; the same facts follow
 * it as text (current step, visited steps, execution), so colour is never the only signal.
 */

type NodeState = 'current' | 'visited' | 'failed' | 'idle';

function nodeState(node: NodeBox, flow: ApplicationWorkflow): NodeState {
  if (node.name === START) return flow.visited.length > 0 ? 'visited' : 'idle';
  if (node.name === END) return flow.status === 'SUCCEEDED' ? 'visited' : 'idle';
  const names = [node.name, ...node.inner];
  if (names.some((n) => flow.current.includes(n))) return 'current';
  if (names.some((n) => flow.visited.includes(n))) return node.type === 'Fail' ? 'failed' : 'visited';
  return 'idle';
}

function edgePath(edge: EdgeLine, from: NodeBox, to: NodeBox): string {
  const x1 = from.x + NODE.width / 2;
  const y1 = from.y + NODE.height;
  const x2 = to.x + NODE.width / 2;
  const y2 = to.y;
  if (!edge.back) {
    const mid = (y1 + y2) / 2;
    return `M${x1},${y1} C${x1},${mid} ${x2},${mid} ${x2},${y2}`;
  }
  // Back to an earlier row: out of the right side, round, into the target's right side.
  const sx = from.x + NODE.width;
  const sy = from.y + NODE.height / 2;
  const tx = to.x + NODE.width;
  const ty = to.y + NODE.height / 2;
  const bulge = Math.max(sx, tx) + NODE.gapX * 2.5;
  return `M${sx},${sy} C${bulge},${sy} ${bulge},${ty} ${tx},${ty}`;
}

export function WorkflowDiagram(props: { flow: ApplicationWorkflow }) {
  const { t, lang } = useT();
  const { flow } = props;
  const layout = useMemo(() => layoutWorkflow(flow.graph), [flow.graph]);
  const byName = new Map(layout.nodes.map((n) => [n.name, n]));
  const states = new Map(layout.nodes.map((n) => [n.name, nodeState(n, flow)]));
  const reached = flow.status === 'SUCCEEDED';
  // A step into or out of a Map's inner state is a step into or out of the Map on this drawing.
  const outer = new Map(flow.graph.states.map((st) => [st.name, st.parent ?? st.name]));
  const taken = new Set(
    flow.transitions.map((tr) => `${outer.get(tr.from) ?? tr.from}\n${outer.get(tr.to) ?? tr.to}`),
  );
  if (flow.visited[0] !== undefined) taken.add(`${START}\n${flow.visited[0]}`);
  const last = flow.visited[flow.visited.length - 1];
  if (reached && last !== undefined) taken.add(`${outer.get(last) ?? last}\n${END}`);
  const latest = flow.executions[flow.executions.length - 1];
  return (
    <section aria-labelledby="workflow-heading" data-testid="workflow" data-status={flow.status ?? 'NONE'}>
      <h2 id="workflow-heading">{t(S.workflow)}</h2>
      <p class="muted">{t(S.workflowSource)}</p>
      <div class="workflow-scroll">
        <svg
          class="workflow"
          role="img"
          aria-labelledby="workflow-title workflow-desc"
          viewBox={`0 0 ${layout.width + NODE.gapX * 3} ${layout.height}`}
          width={layout.width + NODE.gapX * 3}
          height={layout.height}
        >
          <title id="workflow-title">{t(S.workflow)}</title>
          <desc id="workflow-desc">
            {flow.current.length > 0
              ? `${t(S.currentStep)}: ${flow.current.join(', ')}`
              : reached
                ? t(S.workflowReachedEnd)
                : `${t(S.visitedSteps)}: ${flow.visited.join(', ')}`}
          </desc>
          <defs>
            <marker
              id="arrow"
              viewBox="0 0 10 10"
              refX="9"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto"
            >
              <path d="M0,0 L10,5 L0,10 z" class="arrow-head" />
            </marker>
          </defs>
          {layout.edges.map((edge, i) => {
            const from = byName.get(edge.from);
            const to = byName.get(edge.to);
            if (from === undefined || to === undefined) return null;
            const stepped = taken.has(`${edge.from}\n${edge.to}`);
            return (
              <path
                key={i}
                d={edgePath(edge, from, to)}
                class={`edge ${edge.kind}${stepped ? ' taken' : ''}`}
                marker-end="url(#arrow)"
              />
            );
          })}
          {layout.nodes.map((node) => {
            const state = states.get(node.name) ?? 'idle';
            const terminal = node.name === START || node.name === END;
            return (
              <g
                key={node.name}
                class={`node ${state} ${node.type.toLowerCase()}`}
                data-node={node.name}
                data-state={state}
                transform={`translate(${node.x},${node.y})`}
              >
                <rect
                  width={NODE.width}
                  height={NODE.height}
                  rx={terminal ? NODE.height / 2 : node.type === 'Choice' ? 14 : 4}
                />
                <text x={NODE.width / 2} y={node.inner.length > 0 ? 18 : 27} text-anchor="middle">
                  {state === 'current' ? '▶ ' : state === 'visited' ? '✓ ' : state === 'failed' ? '✗ ' : ''}
                  {node.name === START
                    ? t(S.workflowStart)
                    : node.name === END
                      ? t(S.workflowEnd)
                      : node.name}
                </text>
                {node.inner.length > 0 && (
                  <text x={NODE.width / 2} y={35} text-anchor="middle" class="inner">
                    {`⟳ ${node.inner.join(', ')}`}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <dl class="facts-grid">
        <dt>{t(S.currentStep)}</dt>
        <dd data-testid="workflow-current">
          {flow.current.length > 0 ? flow.current.join(', ') : reached ? t(S.workflowReachedEnd) : '—'}
        </dd>
        <dt>{t(S.visitedSteps)}</dt>
        <dd>{flow.visited.length > 0 ? flow.visited.join(' → ') : '—'}</dd>
        <dt>{t(S.execution)}</dt>
        <dd data-testid="workflow-status">
          {latest === undefined ? (
            t(S.noHistory)
          ) : (
            <>
              <span class="code">{latest.status}</span> · {latest.name} ·{' '}
              {formatInstant(latest.startedAt, lang)}
              {latest.stoppedAt && ` – ${formatInstant(latest.stoppedAt, lang)}`}
            </>
          )}
        </dd>
      </dl>
      <p class="legend muted">
        <span class="key current">▶ {t(S.legendCurrent)}</span>{' '}
        <span class="key visited">✓ {t(S.legendVisited)}</span>{' '}
        <span class="key catch">- - {t(S.legendCatch)}</span>
      </p>
    </section>
  );
}
