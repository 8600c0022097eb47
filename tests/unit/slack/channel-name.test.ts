import { describe, expect, it } from 'vitest';
import { incidentChannelName, slugify } from '../../../src/adapters/outbound/slack/channel-name';

describe('incident channel names', () => {
  it('follows inc-YYYYMMDD-NNN-<slug>', () => {
    expect(incidentChannelName('inc', 'INC-20261121-001', 'Checkout errors!')).toBe('inc-20261121-001-checkout-errors');
  });
  it('keeps only Slack-legal characters', () => {
    expect(slugify('Ünïcode & $pecial —  chars__ ')).toBe('unicode-pecial-chars');
    expect(incidentChannelName('inc', 'INC-20261121-001', '🔥🔥')).toBe('inc-20261121-001');
  });
  it('never exceeds 80 characters, with or without a suffix', () => {
    const long = 'x'.repeat(200);
    for (const attempt of [1, 2, 10]) {
      const name = incidentChannelName('inc', 'INC-20261121-001', long, attempt);
      expect(name.length).toBeLessThanOrEqual(80);
      expect(name).toMatch(/^[a-z0-9_-]+$/);
    }
    expect(incidentChannelName('inc', 'INC-20261121-001', long, 3).endsWith('-3')).toBe(true);
  });
});
