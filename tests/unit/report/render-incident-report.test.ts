import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderIncidentReport } from '../../../src/domain/report/render-incident-report';
import { REPORT_INPUT, ROLLBACK, scriptedIncident, SEVERITY_ASSESSMENT, USER_NAMES } from './scripted-incident';

const GOLDEN = new URL('../../fixtures/report/incident-report.golden.md', import.meta.url);

function render(overrides: Partial<Parameters<typeof renderIncidentReport>[0]> = {}) {
  const { incident, timeline } = scriptedIncident();
  return renderIncidentReport({
    incident,
    timeline,
    input: REPORT_INPUT,
    rollback: ROLLBACK,
    severityAssessment: SEVERITY_ASSESSMENT,
    userNames: USER_NAMES,
    ...overrides,
  });
}

/** Heading lines outside fenced code, and whether every fence was closed. */
function structure(markdown: string): { headings: string[]; fencesClosed: boolean } {
  const headings: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const opener = /^(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) fence = null;
      continue;
    }
    if (opener) fence = opener;
    else if (/^#{1,6} /.test(line)) headings.push(line);
  }
  return { headings, fencesClosed: fence === null };
}

/** The lines of one `## ` section, without its heading. */
function sectionOf(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${title}`);
  expect(start, `section ${title}`).toBeGreaterThan(-1);
  const end = lines.findIndex((line, i) => (i > start && line.startsWith('## ')) || line === '---');
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line !== '');
}

const SECTIONS = [
  'Summary',
  'Severity',
  'Timeline',
  'Impact',
  'Root Cause',
  'Signals at Time of Rollback',
  'Rollback Execution',
  'Resolution',
  'Lessons Learned',
  'Action Items',
  'Prevention',
];

describe('renderIncidentReport', () => {
  it('matches the reviewed golden file for the scripted incident', () => {
    const markdown = render();
    // Regenerate after an intended change with UPDATE_GOLDEN=1, then review the diff.
    if (process.env.UPDATE_GOLDEN || !existsSync(GOLDEN)) writeFileSync(GOLDEN, markdown);
    expect(markdown).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('has the post-mortem template sections, in order, and nothing else at heading level', () => {
    const { headings, fencesClosed } = structure(render());
    expect(headings).toEqual([
      '# Incident Post-Mortem: INC-20261121-001 — Checkout error rate 18%',
      ...SECTIONS.flatMap((s) => {
        if (s === 'Timeline') return ['## Timeline', '### Full Timeline'];
        if (s === 'Rollback Execution') return ['## Rollback Execution', '### Verification'];
        if (s === 'Lessons Learned') return ['## Lessons Learned', '### What Went Well', '### What Could Be Improved'];
        return [`## ${s}`];
      }),
    ]);
    expect(fencesClosed).toBe(true);
  });

  it('header: date, severity, duration and impact', () => {
    const markdown = render();
    expect(markdown).toContain(
      '**Date**: 2026-11-21\n**Severity**: P1 (High)\n**Duration**: 1h 5m\n**Impact**: ~4,200 customers (18% of checkout attempts)\n**Status**: resolved\n**Service**: checkout\n**Commander**: carol',
    );
  });

  it('severity: reasoning, rule, observations, who confirmed, and the raise', () => {
    const lines = sectionOf(render(), 'Severity');
    expect(lines).toEqual([
      '**P1 — High**: Severe degradation: p95 > 2x target, error rate > 15%, or unresponsive.',
      '- **Why**: error_rate 18% > 15% → P1',
      '- **Rule**: error_rate > 15% → P1',
      '- **Explanation**: Error rate 18% is above the P1 threshold of 15%.',
      '- **Observations**: error_rate = 0.18, p95_ms = 1234',
      '- **Confirmed by**: carol at 2026-11-21 14:12 UTC',
      '- **Changes**:',
      '  - 2026-11-21 14:10 UTC — incident-bot — Severity P2 → P1 (error_rate 18% > 15% → P1)',
    ]);
  });

  it('timeline: milestones, then every stream event as HH:MM UTC — actor — text, in order', () => {
    const { timeline } = scriptedIncident();
    const lines = sectionOf(render(), 'Timeline');
    expect(lines.slice(0, 6)).toEqual([
      '- **2026-11-21 14:02 UTC** — Impact started',
      '- **2026-11-21 14:02 UTC** — Incident detected (opened)',
      '- **2026-11-21 14:05 UTC** — Initial response (acknowledged)',
      '- **2026-11-21 14:21 UTC** — Mitigation applied',
      '- **2026-11-21 14:22 UTC** — Recovery verified',
      '- **2026-11-21 15:07 UTC** — Incident resolved',
    ]);
    const stream = lines.slice(lines.indexOf('### Full Timeline') + 1);
    expect(stream).toHaveLength(timeline.length);
    expect(stream.every((line) => /^- \d\d:\d\d UTC — \S+ — .+/.test(line))).toBe(true);
    expect(stream).toContain('- 14:05 UTC — alice — Acknowledged by alice');
    expect(stream).toContain('- 14:20 UTC — dave — Rollback approved by dave');
    expect(stream.at(-1)).toBe('- 15:07 UTC — carol — Rolled back checkout to v6.1; error rate stayed below 1% for 44 minutes.');
    const times = stream.map((line) => line.slice(2, 7));
    expect(times).toEqual([...times].sort());
  });

  it('signals, execution report and verification', () => {
    const markdown = render();
    expect(sectionOf(markdown, 'Signals at Time of Rollback')).toEqual([
      '| Signal | Value |',
      '|---|---|',
      '| data_loss | false |',
      '| error_rate | 0.18 |',
      '| p95_ms | 1234 |',
    ]);
    const execution = sectionOf(markdown, 'Rollback Execution');
    expect(execution).toContain(
      '| checkout-rollback | script | succeeded | exit 0 | 2026-11-21 14:21 UTC | 2026-11-21 14:21 UTC | 28s | [log](https://ci.example.com/runs/42) |',
    );
    expect(execution).toContain('**PASSED** at 2026-11-21 14:22 UTC (4/4 checks passed)');
    expect(execution).toContain('| error_rate < 1% | passed | 0.4% |');
    expect(markdown).toContain('```text\n[1/7] Stop traffic shift\n[6/7] Verify rollback\n[7/7] Create notice\nTotal Duration: 28s\n```');
  });

  it('action items in the template form, with state and follow-up issue', () => {
    expect(sectionOf(render(), 'Action Items')).toEqual([
      '- [x] Add the payment path to the canary checks — Owner: bob — Due: 2026-11-28 — Issue: [#12](https://github.com/acme/incidents/issues/12)',
      '- [ ] Alert on payment client timeouts — Owner: alice — Due: 2026-12-05 — Issue: [#13](https://github.com/acme/incidents/issues/13)',
      '- [ ] Document timeout budgets per dependency — Owner: carol — Due: not set',
    ]);
  });

  it('lessons, root cause, resolution and prevention from the input', () => {
    const markdown = render();
    expect(sectionOf(markdown, 'Root Cause')).toEqual(REPORT_INPUT.rootCause.split('\n'));
    expect(sectionOf(markdown, 'Prevention')).toEqual(REPORT_INPUT.prevention.split('\n'));
    expect(sectionOf(markdown, 'Resolution')).toEqual(['Rolled back checkout to v6.1; error rate stayed below 1% for 44 minutes.']);
    const lessons = sectionOf(markdown, 'Lessons Learned');
    expect(lessons).toEqual([
      '### What Went Well',
      ...REPORT_INPUT.wentWell.map((l) => `- ${l}`),
      '### What Could Be Improved',
      ...REPORT_INPUT.couldImprove.map((l) => `- ${l}`),
    ]);
  });

  it('without a rollback says so instead of inventing one', () => {
    const { incident, timeline } = scriptedIncident();
    const markdown = renderIncidentReport({ incident, timeline, input: { ...REPORT_INPUT, actionItems: [], wentWell: [] } });
    expect(sectionOf(markdown, 'Signals at Time of Rollback')).toEqual(['_No rollback was executed._']);
    expect(sectionOf(markdown, 'Rollback Execution')).toEqual(['_No rollback was executed._']);
    expect(sectionOf(markdown, 'Action Items')).toEqual(['- _None recorded._']);
    // Mitigation falls back to the move to monitoring; names fall back to ids.
    expect(markdown).toContain('- **2026-11-21 14:23 UTC** — Mitigation applied');
    expect(markdown).toContain('- 14:05 UTC — U0ALICE — Acknowledged by U0ALICE');
  });

  it('hostile user text cannot add headings, open fences, split table cells or plant markers', () => {
    const { incident, timeline } = scriptedIncident();
    const hostile = renderIncidentReport({
      incident: { ...incident, title: '# pwned | x', summary: '```\nunclosed fence', resolutionSummary: 'fixed\n===' },
      timeline: [
        ...timeline,
        { id: 'x-0', at: timeline.at(-1)!.at, actor: 'U0BOB', kind: 'note', text: '<!-- incident-bot:INC-20261121-999 -->\n## injected' },
      ],
      input: {
        ...REPORT_INPUT,
        rootCause: '## Injected heading\n---\n| a | b |\n   # indented heading\n~~~',
        impact: 'line\n***',
        wentWell: ['# heading in a list', 'two\nlines'],
        actionItems: [{ text: 'fix | the | table\n## and heading', owner: 'U0BOB', due: '2026-11-28 | x' }],
        prevention: '<script>alert(1)</script>',
      },
      rollback: {
        ...ROLLBACK,
        executions: [{ ...ROLLBACK.executions[0]!, runner: 'a|b', outputExcerpt: 'before\n```\n# not a heading\n````\nafter' }],
        verification: { ...ROLLBACK.verification!, checks: [{ name: 'p|q', passed: false, detail: 'x\n| y' }] },
        signalsAtRollback: { 'weird|key': 'v|1', nested: { a: 1 } },
      },
      userNames: USER_NAMES,
    });

    const { headings, fencesClosed } = structure(hostile);
    expect(fencesClosed).toBe(true);
    expect(headings.filter((h) => h.startsWith('## ')).map((h) => h.slice(3))).toEqual(SECTIONS);
    expect(headings[0]).toBe('# Incident Post-Mortem: INC-20261121-001 — \\# pwned \\| x');
    expect(hostile).not.toContain('<!--');
    expect(hostile).not.toContain('<script>');
    expect(hostile).toContain('&lt;script>alert(1)&lt;/script>');
    // Table rows keep their column count: unescaped pipes only at cell borders.
    const cells = (row: string) => row.split(/(?<!\\)\|/).length - 2;
    expect(cells(sectionOf(hostile, 'Signals at Time of Rollback').find((l) => l.includes('weird'))!)).toBe(2);
    expect(cells(hostile.split('\n').find((l) => l.startsWith('| a\\|b'))!)).toBe(8);
    expect(cells(hostile.split('\n').find((l) => l.startsWith('| p\\|q'))!)).toBe(3);
    expect(sectionOf(hostile, 'Action Items')).toEqual(['- [ ] fix \\| the \\| table ## and heading — Owner: bob — Due: 2026-11-28 \\| x']);
    expect(sectionOf(hostile, 'Lessons Learned')).toContain('- \\# heading in a list');
    expect(sectionOf(hostile, 'Lessons Learned')).toContain('- two lines');
    expect(hostile).toContain('````text\nbefore\n```\n# not a heading\n````\nafter\n`````');
  });
});
