import { describe, expect, it } from 'vitest';
import { MemoryWorkflowClient } from '../../../../functions/adapters/memory/workflow.ts';
import { progressOf, workflowGraph } from '../../../../functions/usecases/applications/workflow-view.ts';
import type { ExecutionRecord, StateEvent } from '../../../../functions/ports/workflow.ts';
import { renderAsl } from '../../../../workflows/render-asl.ts';
import { layoutWorkflow, END, NODE, START } from '../../../../console/src/components/workflow-layout.ts';

/** The workflow view's graph (read from the rendered ASL) and progress (read from state events). */

const definition = JSON.stringify(renderAsl());

const entered = (state: string, at = '2026-01-01T00:00:00Z'): StateEvent => ({ at, kind: 'ENTERED', state });
const exited = (state: string, at = '2026-01-01T00:00:00Z'): StateEvent => ({ at, kind: 'EXITED', state });
const execution = (status: ExecutionRecord['status'], events: StateEvent[], name = 'A'): ExecutionRecord => ({
  name,
  status,
  startedAt: '2026-01-01T00:00:00Z',
  events,
});

describe('workflowGraph', () => {
  it('reads every state of the state machine, the Map iteration inside its Map, and every transition', () => {
    const graph = workflowGraph(definition);
    expect(graph.startAt).toBe('CheckEligibility');
    const names = graph.states.map((s) => s.name);
    expect(names).toEqual(expect.arrayContaining(['AwaitEvidence', 'Review', 'Tally', 'Decide', 'Notify']));
    expect(graph.states.find((s) => s.name === 'OpenReview')).toMatchObject({ parent: 'Review', end: true });
    expect(graph.edges).toContainEqual({ from: 'Decide', to: 'AwaitEvidence', kind: 'choice' });
    expect(graph.edges).toContainEqual(
      expect.objectContaining({
        from: 'AwaitEvidence',
        to: 'Notify',
        kind: 'catch',
        errors: ['Application.Closed'],
      }),
    );
    // Every edge lands on a state of the graph.
    for (const edge of graph.edges) expect(names).toContain(edge.to);
  });
});

describe('progressOf', () => {
  it('marks what was entered, what waits now, and the steps taken', () => {
    const running = execution('RUNNING', [
      entered('CheckEligibility'),
      exited('CheckEligibility'),
      entered('IsEligible'),
      exited('IsEligible'),
      entered('AwaitEvidence'),
      exited('AwaitEvidence'),
      entered('Review'),
      entered('OpenReview'),
      entered('OpenReview'),
      exited('OpenReview'),
    ]);
    const progress = progressOf([running]);
    expect(progress.status).toBe('RUNNING');
    expect(progress.visited).toEqual([
      'CheckEligibility',
      'IsEligible',
      'AwaitEvidence',
      'Review',
      'OpenReview',
    ]);
    // One party decided, the other still waits: the Map and one iteration are open.
    expect(progress.current).toEqual(['Review', 'OpenReview']);
    expect(progress.transitions).toContainEqual({ from: 'AwaitEvidence', to: 'Review' });
    expect(progress.transitions).not.toContainEqual({ from: 'OpenReview', to: 'OpenReview' });
  });

  it('has no current state once the execution ended, and joins a restarted execution to the first', () => {
    const first = execution('ABORTED', [
      entered('CheckEligibility'),
      entered('IsEligible'),
      entered('AwaitEvidence'),
    ]);
    const second = execution(
      'SUCCEEDED',
      [entered('CheckEligibility'), entered('Notify'), exited('Notify')],
      'A-r',
    );
    const progress = progressOf([first, second]);
    expect(progress.current).toEqual([]);
    expect(progress.status).toBe('SUCCEEDED');
    expect(progress.visited).toEqual(['CheckEligibility', 'IsEligible', 'AwaitEvidence', 'Notify']);
    expect(progressOf([])).toEqual({ visited: [], current: [], status: null, transitions: [] });
  });

  it('reads the state machine and executions through the workflow port', async () => {
    const client = new MemoryWorkflowClient();
    client.machine = definition;
    await client.start('APP1');
    client.record('APP1', entered('CheckEligibility'));
    expect(workflowGraph(await client.definition()).startAt).toBe('CheckEligibility');
    expect((await client.execution('APP1'))?.events).toHaveLength(1);
    expect(await client.execution('nope')).toBeUndefined();
  });
});

describe('the console layout of the graph', () => {
  it('places every top-level state once, without overlaps, Start first and End after what ends', () => {
    const graph = workflowGraph(definition);
    const layout = layoutWorkflow(graph);
    const names = layout.nodes.map((n) => n.name);
    const topLevel = graph.states.filter((s) => s.parent === undefined).map((s) => s.name);
    expect(new Set(names)).toEqual(new Set([START, END, ...topLevel]));
    expect(names).toHaveLength(topLevel.length + 2);
    for (const a of layout.nodes) {
      for (const b of layout.nodes) {
        if (a === b) continue;
        const apart =
          a.x + NODE.width <= b.x ||
          b.x + NODE.width <= a.x ||
          a.y + NODE.height <= b.y ||
          b.y + NODE.height <= a.y;
        expect(apart, `${a.name} overlaps ${b.name}`).toBe(true);
      }
    }
    const rank = (name: string) => layout.nodes.find((n) => n.name === name)?.rank ?? -1;
    expect(rank(START)).toBe(0);
    expect(rank('CheckEligibility')).toBe(1);
    expect(rank(END)).toBeGreaterThan(rank('Notify'));
    expect(layout.nodes.find((n) => n.name === 'Review')?.inner).toEqual(['OpenReview']);
    // The change-request loop goes back up; everything else goes down.
    const back = layout.edges.filter((e) => e.back).map((e) => `${e.from}->${e.to}`);
    expect(back).toContain('Decide->AwaitEvidence');
  });
});
