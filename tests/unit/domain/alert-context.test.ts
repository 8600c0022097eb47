import { describe, expect, it } from 'vitest';
import {
  buildAlertContext,
  DEFAULT_CONTEXT_LABELS,
  MAX_CONTEXT_LABELS,
  MAX_CONTEXT_LINKS,
  safeUrl,
} from '../../../src/domain/alert-context';

const alert = (labels: Record<string, string>, links: { title: string; url: string }[] = []) => ({ labels, links });

describe('safeUrl', () => {
  it.each([
    ['https://runbooks.example.com/checkout', 'https://runbooks.example.com/checkout'],
    ['http://grafana:3000/d/abc?var=1&from=now-1h', 'http://grafana:3000/d/abc?var=1&from=now-1h'],
    ['https://x.example/a|<!channel>', 'https://x.example/a%7C%3C!channel%3E'],
    ['https://x.example/a b)', 'https://x.example/a%20b%29'],
    ['javascript:alert(1)', null],
    ['ftp://x.example/', null],
    ['https://', null],
    [`https://x.example/${'a'.repeat(1000)}`, null],
  ])('%j → %j', (url, expected) => {
    expect(safeUrl(url)).toBe(expected);
  });
});

describe('buildAlertContext', () => {
  it('orders links runbook, dashboard, source, other; each URL once; unsafe ones dropped', () => {
    const context = buildAlertContext(
      [
        alert({}, [
          { title: 'Source', url: 'http://prom:9090/graph?g0.expr=x' },
          { title: 'Dashboard', url: 'https://grafana/d/1' },
          { title: 'Runbook', url: 'https://rb/checkout' },
        ]),
        alert({}, [
          { title: 'Runbook', url: 'https://rb/checkout' },
          { title: 'Status page', url: 'https://status' },
          { title: 'Bad', url: 'javascript:x' },
        ]),
      ],
      DEFAULT_CONTEXT_LABELS,
    );
    expect(context.links).toEqual([
      { kind: 'runbook', title: 'Runbook', url: 'https://rb/checkout' },
      { kind: 'dashboard', title: 'Dashboard', url: 'https://grafana/d/1' },
      { kind: 'source', title: 'Source', url: 'http://prom:9090/graph?g0.expr=x' },
      { kind: 'link', title: 'Status page', url: 'https://status' },
    ]);
  });

  it.each<[string, Record<string, string>[], string[], string[]]>([
    [
      'configured labels first, in their order, then the rest by name',
      [{ zone: 'a', alertname: 'HighErrorRate', team: 'pay', service: 'checkout' }],
      ['alertname', 'service'],
      ['alertname', 'service', 'team', 'zone'],
    ],
    [
      'only labels every alert shares',
      [
        { alertname: 'X', instance: 'a:1' },
        { alertname: 'X', instance: 'b:1' },
      ],
      ['instance', 'alertname'],
      ['alertname'],
    ],
    ['an empty preference sorts by name', [{ b: '1', a: '2' }], [], ['a', 'b']],
    ['empty values are left out', [{ a: ' ', b: '1' }], [], ['b']],
    ['no alerts, no labels', [], [], []],
  ])('%s', (_what, labelSets, preferred, names) => {
    expect(
      buildAlertContext(
        labelSets.map((l) => alert(l)),
        preferred,
      ).labels.map((l) => l.name),
    ).toEqual(names);
  });

  it('caps links and labels, clips long text and strips zero-width and bidi controls', () => {
    const labels = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`l${String(i).padStart(2, '0')}`, `v\u200b\u202e${'x'.repeat(500)}`]),
    );
    const links = Array.from({ length: 30 }, (_, i) => ({ title: `T\u2066${'t'.repeat(300)}`, url: `https://x.example/${i}` }));
    const context = buildAlertContext([alert(labels, links)], []);
    expect(context.links).toHaveLength(MAX_CONTEXT_LINKS);
    expect(context.labels).toHaveLength(MAX_CONTEXT_LABELS);
    expect(context.labels[0]!.value.length).toBeLessThanOrEqual(100);
    expect(context.labels[0]!.value.startsWith('vxxx')).toBe(true);
    expect(context.links[0]!.title.length).toBeLessThanOrEqual(60);
    expect(JSON.stringify(context)).not.toMatch(/[\u200b\u202e\u2066]/);
  });
});
