import { describe, expect, it } from 'vitest';
import { blockedAddressReason, blockedHostReason } from '../../../src/adapters/outbound/runners/guarded-http-request';

describe('blocked destinations', () => {
  it.each(['169.254.169.254', '169.254.0.1', '::ffff:169.254.169.254', 'fe80::1', 'febf::1', '100.100.100.200', 'fd00:ec2::254'])(
    'blocks %s',
    (address) => expect(blockedAddressReason(address)).toMatch(/link-local or cloud metadata/),
  );

  it.each(['127.0.0.1', '::1', '10.0.0.1', '169.253.255.255', '169.255.0.1', 'fec0::1', '100.100.100.201', 'fd00:ec2::253', 'example.com'])(
    'allows %s',
    (address) => expect(blockedAddressReason(address)).toBeNull(),
  );

  it.each(['metadata.google.internal', 'METADATA.Google.Internal.', 'metadata.goog', '[fe80::1]'])('blocks host %s', (host) => {
    expect(blockedHostReason(host)).not.toBeNull();
  });

  it('allows ordinary host names (their resolved addresses are checked at connect time)', () => {
    expect(blockedHostReason('deploy.internal.example')).toBeNull();
    expect(blockedHostReason('localhost')).toBeNull();
  });
});
