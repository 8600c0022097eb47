import { describe, expect, it } from 'vitest';
import { IncidentService } from '../../../src/app/incident-service';
import { GitHubIssueSync, GITHUB_SYNC_JOB } from '../../../src/app/paper-trail/github-issue-sync';
import type { SerialRunner } from '../../../src/app/ports/serial-runner';
import type { Incident } from '../../../src/domain/incident';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { FakeIssueTracker } from '../../fakes/issue-tracker';
import { FakePaperTrailStore } from '../../fakes/paper-trail-store';
import { FakeRollbackRecords } from '../../fakes/rollback-stores';
import { FakeTimerEngine } from '../../fakes/timer-engine';

/** One pass at a time is all a single process needs; the Redis runner adds the cross-replica lock. */
const inline: SerialRunner = {
  run: async (_subject, _owner, pass) => {
    await pass();
    return 'ran';
  },
};

function setup() {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const service = new IncidentService({ store, clock, log: silentLogger(), metrics: createMetrics(), slaPolicy: DEFAULT_SLA_POLICY });
  const tracker = new FakeIssueTracker();
  const timers = new FakeTimerEngine(clock);
  const paperTrail = new FakePaperTrailStore();
  const told: string[] = [];
  const sync = new GitHubIssueSync({
    service,
    paperTrail,
    rollbackRecords: new FakeRollbackRecords(),
    trackers: { public: tracker, private: null },
    timers,
    serial: inline,
    clock,
    log: silentLogger(),
    commitEvidence: false,
    notify: async (incident: Incident, text: string) => {
      told.push(`${incident.id}: ${text}`);
    },
  });
  timers.start({ [GITHUB_SYNC_JOB]: sync.handle });
  return { store, clock, service, tracker, timers, paperTrail, sync, told };
}

async function syncNow(s: ReturnType<typeof setup>, id: string) {
  await s.sync.enqueue(id);
  for (const t of await s.timers.list('paper-trail:')) await s.timers.fire(t.key);
}

async function open(s: ReturnType<typeof setup>) {
  return (await s.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0ALICE', service: 'checkout' })).incident.id;
}

describe('GitHubIssueSync: the issue catches up with the stored incident (in-memory ports)', () => {
  it('creates the issue once, links it on the incident, and labels it', async () => {
    const s = setup();
    const id = await open(s);
    await syncNow(s, id);
    await syncNow(s, id);
    expect(s.tracker.issues.size).toBe(1);
    expect((await s.service.get(id))?.github).toEqual({ issueNumber: 1, url: 'https://tracker.test/issues/1' });
    expect(s.tracker.issues.get(1)).toMatchObject({ state: 'open', labels: ['incident', 'severity:P1', 'service:checkout'] });
  });

  it('comments each significant timeline entry once, and closes the issue when the incident closes', async () => {
    const s = setup();
    const id = await open(s);
    await syncNow(s, id);
    await s.service.addNote(id, 'looking at the deploy', 'U0BOB');
    await s.service.resolve(id, 'U0BOB', 'rolled back');
    await s.service.close(id, 'U0BOB');
    await syncNow(s, id);
    await syncNow(s, id);
    const issue = s.tracker.issues.get(1)!;
    expect(issue.state).toBe('closed');
    expect(issue.comments.filter((c) => c.includes('Resolution'))).toHaveLength(1);
    expect(issue.comments.some((c) => c.includes('looking at the deploy'))).toBe(false);
  });

  it('a severity change relabels the issue', async () => {
    const s = setup();
    const id = await open(s);
    await syncNow(s, id);
    await s.service.changeSeverity(id, 'P0', 'U0BOB');
    await syncNow(s, id);
    expect(s.tracker.issues.get(1)?.labels).toContain('severity:P0');
  });

  it('a tracker that is down: the person hears once that the issue is pending, and the job is retried', async () => {
    const s = setup();
    const id = await open(s);
    s.tracker.failWith = FakeIssueTracker.unavailable(true);
    await expect(syncNow(s, id)).rejects.toThrow('tracker did not answer');
    await expect(syncNow(s, id)).rejects.toThrow('tracker did not answer');
    expect(s.told.filter((t) => t.includes('is pending'))).toHaveLength(1);
    s.tracker.failWith = null;
    await syncNow(s, id);
    expect(s.told.at(-1)).toBe(`${id}: :white_check_mark: GitHub issue for ${id} created: https://tracker.test/issues/1`);
  });

  it('a tracker that refuses for good: said once, not retried, the incident unaffected', async () => {
    const s = setup();
    const id = await open(s);
    s.tracker.failWith = FakeIssueTracker.unavailable(false);
    await syncNow(s, id);
    await syncNow(s, id);
    expect(s.told.filter((t) => t.includes('is stuck'))).toHaveLength(1);
    expect((await s.service.get(id))?.status).toBe('investigating');
    expect(s.tracker.issues.size).toBe(0);
  });

  it('action items become follow-up issues linked to the incident issue, once each', async () => {
    const s = setup();
    const id = await open(s);
    await syncNow(s, id);
    await s.paperTrail.addActionItem(id, { text: 'Add a canary stage', owner: 'U0BOB' }, 'U0BOB', s.clock());
    await syncNow(s, id);
    await syncNow(s, id);
    const followUps = [...s.tracker.issues.values()].filter((i) => i.followUpOf === 1);
    expect(followUps.map((i) => i.title)).toEqual(['Add a canary stage']);
    expect((await s.paperTrail.actionItems(id))[0]?.issueNumber).toBe(followUps[0]!.number);
  });
});
