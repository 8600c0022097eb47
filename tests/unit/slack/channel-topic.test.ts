import { describe, expect, it } from 'vitest';
import { channelTopic, TOPIC_MAX } from '../../../src/adapters/outbound/slack/views/channel-topic';
import { createIncident, type Incident } from '../../../src/domain/incident';

const T0 = Date.UTC(2026, 10, 21, 10, 0, 0);
const make = (over: Partial<Incident> = {}): Incident => ({
  ...createIncident('INC-20261121-001', { title: 'checkout errors', severity: 'P1', openedBy: 'U1' }, T0).incident,
  ...over,
});

describe('channelTopic', () => {
  it.each<[Partial<Incident>, string]>([
    [{}, '[P1] Investigating · Commander: none yet · INC-20261121-001 checkout errors'],
    [{ commander: 'U0IC', status: 'identified' }, '[P1] Identified · Commander: <@U0IC> · INC-20261121-001 checkout errors'],
    [{ commander: 'alert:alertmanager', severity: 'P0' }, '[P0] Investigating · Commander: none yet · INC-20261121-001 checkout errors'],
    [{ title: '<!channel> <@U0EVIL>  a&b' }, '[P1] Investigating · Commander: none yet · INC-20261121-001 !channel @U0EVIL ab'],
  ])('%j', (over, topic) => {
    expect(channelTopic(make(over))).toBe(topic);
  });

  it('a long title is cut; the state never is', () => {
    const topic = channelTopic(make({ status: 'resolved', title: 'x'.repeat(3100) }));
    expect(topic.length).toBe(TOPIC_MAX);
    expect(topic.startsWith('[P1] Resolved · Commander: none yet')).toBe(true);
  });
});
