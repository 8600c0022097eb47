import { describe, expect, it } from 'vitest';
import { IncidentService } from '../../../src/app/incident-service';
import { DEFAULT_SLA_POLICY } from '../../../src/domain/sla-policy';
import { refuse } from '../../../src/domain/result';
import { createMetrics, manualClock, silentLogger } from '../../fakes/clock';
import { FakeIncidentStore } from '../../fakes/incident-store';
import { RecordingNotifier } from '../../fakes/notifier';

function setup() {
  const store = new FakeIncidentStore();
  const clock = manualClock();
  const service = new IncidentService({ store, clock, log: silentLogger(), metrics: createMetrics(), slaPolicy: DEFAULT_SLA_POLICY });
  const notifier = new RecordingNotifier();
  service.observe(notifier);
  return { store, clock, service, notifier };
}

async function opened(s: ReturnType<typeof setup>) {
  const { incident } = await s.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0ALICE', service: 'checkout' });
  return incident.id;
}

type Step = (s: ReturnType<typeof setup>, id: string) => Promise<{ ok: boolean }>;
const ack: Step = (s, id) => s.service.acknowledge(id, 'U0BOB');
const resolve: Step = (s, id) => s.service.resolve(id, 'U0BOB', 'rolled back');
const close: Step = (s, id) => s.service.close(id, 'U0BOB');
const reopen: Step = (s, id) => s.service.reopen(id, 'U0BOB');
const monitor: Step = (s, id) => s.service.postUpdate(id, { status: 'monitoring', text: 'watching', by: 'U0BOB' });

describe('IncidentService lifecycle (in-memory ports)', () => {
  it('open stores the incident with an id of the day, tells the observers, and returns it', async () => {
    const s = setup();
    const { created, incident } = await s.service.open({ title: 'checkout errors', severity: 'P1', openedBy: 'U0ALICE' });
    expect(created).toBe(true);
    expect(incident.id).toBe('INC-20261201-001');
    expect((await s.service.get(incident.id))?.status).toBe('investigating');
    expect(s.notifier.posts).toEqual(['opened INC-20261201-001 P1 investigating']);
  });

  it('open with a known idempotency key creates nothing and tells nobody', async () => {
    const s = setup();
    const first = await s.service.open({ title: 'a', severity: 'P2', openedBy: 'U1' }, { idempotencyKey: 'k' });
    const again = await s.service.open({ title: 'b', severity: 'P0', openedBy: 'U2' }, { idempotencyKey: 'k' });
    expect(again).toMatchObject({ created: false, notices: [] });
    expect(again.incident.id).toBe(first.incident.id);
    expect(again.incident.title).toBe('a');
    expect(s.store.incidents.size).toBe(1);
    expect(s.notifier.posts).toHaveLength(1);
  });

  it.each<[string, Step[], string]>([
    ['acknowledge keeps it investigating and records who', [ack], 'investigating'],
    ['resolve', [resolve], 'resolved'],
    ['resolve then close', [resolve, close], 'closed'],
    ['resolve then reopen', [resolve, reopen], 'investigating'],
    ['an update can move it to monitoring', [monitor], 'monitoring'],
    ['monitoring then resolved', [monitor, resolve], 'resolved'],
  ])('%s → %s', async (_name, steps, status) => {
    const s = setup();
    const id = await opened(s);
    for (const step of steps) expect((await step(s, id)).ok).toBe(true);
    expect((await s.service.get(id))?.status).toBe(status);
  });

  it.each<[string, Step[], Step, string]>([
    ['closing an unresolved incident', [], close, 'investigating'],
    ['resolving a resolved incident', [resolve], resolve, 'resolved'],
    ['reopening a closed incident', [resolve, close], reopen, 'closed'],
    ['acknowledging a closed incident', [resolve, close], ack, 'closed'],
    ['closing twice', [resolve, close], close, 'closed'],
  ])('refuses %s and stores nothing', async (_name, before, step, status) => {
    const s = setup();
    const id = await opened(s);
    for (const b of before) await b(s, id);
    const timeline = await s.service.timeline(id);
    const posts = [...s.notifier.posts];
    const outcome = await step(s, id);
    expect(outcome.ok).toBe(false);
    expect((await s.service.get(id))?.status).toBe(status);
    expect(await s.service.timeline(id)).toEqual(timeline);
    expect(s.notifier.posts).toEqual(posts);
  });

  it('a change is stored with its timeline entries and observers hear the transition', async () => {
    const s = setup();
    const id = await opened(s);
    await s.service.resolve(id, 'U0BOB', 'rolled back v42');
    expect(s.store.kinds(id).slice(-2)).toEqual(['status', 'resolution_summary']);
    expect((await s.service.get(id))?.resolutionSummary).toBe('rolled back v42');
    expect(s.notifier.posts.at(-1)).toBe(`${id} investigating->resolved [status,resolution_summary]`);
  });

  it('a guard refusal stores nothing and is the outcome', async () => {
    const s = setup();
    const id = await opened(s);
    s.service.guard((prev, next) =>
      next.status === 'resolved' && prev.status !== 'resolved' ? refuse('gate.recovery', 'Recovery not validated.') : null,
    );
    const outcome = await s.service.resolve(id, 'U0BOB');
    expect(outcome).toMatchObject({ ok: false, code: 'gate.recovery', reason: 'Recovery not validated.' });
    expect((await s.service.get(id))?.status).toBe('investigating');
  });

  it('a resolve with an override passes gate 3 and records both, in one change', async () => {
    const s = setup();
    const id = await opened(s);
    const outcome = await s.service.resolve(id, 'U0BOB', undefined, { override: 'customer confirmed recovery by phone' });
    expect(outcome.ok).toBe(true);
    const stored = await s.service.get(id);
    expect(stored?.status).toBe('resolved');
    expect(stored?.gates?.recoveryOverride).toMatchObject({ by: 'U0BOB', reason: 'customer confirmed recovery by phone' });
    expect(s.store.kinds(id)).toContain('recovery_override');
  });

  it('a failing observer neither undoes nor blocks the stored change', async () => {
    const s = setup();
    const id = await opened(s);
    s.notifier.failing = true;
    const outcome = await s.service.acknowledge(id, 'U0BOB');
    expect(outcome.ok).toBe(true);
    expect((await s.service.get(id))?.acknowledgedBy).toBe('U0BOB');
  });

  it("an observer's notice is handed back to the person who acted", async () => {
    const s = setup();
    const id = await opened(s);
    s.notifier.notice = 'the announcement could not be updated';
    const outcome = await s.service.acknowledge(id, 'U0BOB');
    expect(outcome).toMatchObject({ ok: true, notices: ['the announcement could not be updated'] });
  });

  it('changing severity to the same severity is refused; a new one is stored and confirmed', async () => {
    const s = setup();
    const id = await opened(s);
    expect((await s.service.changeSeverity(id, 'P1', 'U0BOB')).ok).toBe(false);
    expect((await s.service.changeSeverity(id, 'P0', 'U0BOB')).ok).toBe(true);
    expect((await s.service.get(id))?.severity).toBe('P0');
  });

  it('taking command makes the person commander; taking it again is refused', async () => {
    const s = setup();
    const id = await opened(s);
    expect((await s.service.takeCommand(id, 'U0CAROL')).ok).toBe(true);
    expect((await s.service.get(id))?.commander).toBe('U0CAROL');
    expect((await s.service.takeCommand(id, 'U0CAROL')).ok).toBe(false);
  });

  it('an empty note is refused; a note lands on the timeline', async () => {
    const s = setup();
    const id = await opened(s);
    expect((await s.service.addNote(id, '   ', 'U0BOB')).ok).toBe(false);
    expect((await s.service.addNote(id, 'deploy paused', 'U0BOB')).ok).toBe(true);
    expect((await s.service.timeline(id)).at(-1)).toMatchObject({ kind: 'note', text: 'deploy paused', actor: 'U0BOB' });
  });

  it('a change to an unknown incident answers not found', async () => {
    const s = setup();
    expect(await s.service.acknowledge('INC-20261201-999', 'U0BOB')).toMatchObject({ ok: false, code: 'incident.not_found' });
  });

  it('intent reads: listOpen leaves resolved incidents out; findByChannel follows linkChannel', async () => {
    const s = setup();
    const a = await opened(s);
    s.clock.advance(1000);
    const b = await opened(s);
    await s.service.resolve(a, 'U0BOB');
    expect((await s.service.listOpen()).map((i) => i.id)).toEqual([b]);
    expect((await s.service.listAll()).map((i) => i.id)).toEqual([b, a]);
    await s.service.linkChannel('C-INC', b);
    expect(await s.service.findByChannel('C-INC')).toBe(b);
    expect(await s.service.findByChannel('C-OTHER')).toBeNull();
  });

  it('attachChannel records the channel with a timeline entry; keepExisting leaves an attached one alone', async () => {
    const s = setup();
    const id = await opened(s);
    await s.service.attachChannel(id, { id: 'C1', name: 'inc-1' }, 'Channel #inc-1 created');
    await s.service.attachChannel(id, { id: 'C2', name: 'inc-2' }, 'Channel #inc-2 found again', { keepExisting: true });
    expect((await s.service.get(id))?.channel).toEqual({ id: 'C1', name: 'inc-1' });
    expect((await s.service.timeline(id)).filter((e) => e.kind === 'channel').map((e) => e.text)).toEqual(['Channel #inc-1 created']);
  });

  it('recordAnnouncement stores where it was posted without a timeline entry or an observer call', async () => {
    const s = setup();
    const id = await opened(s);
    const timeline = await s.service.timeline(id);
    const posts = [...s.notifier.posts];
    await s.service.recordAnnouncement(id, { channel: 'C-INCIDENTS', ts: '1.0001' });
    expect((await s.service.get(id))?.announcement).toEqual({ channel: 'C-INCIDENTS', ts: '1.0001' });
    expect(await s.service.timeline(id)).toEqual(timeline);
    expect(s.notifier.posts).toEqual(posts);
  });
});
