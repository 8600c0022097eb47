import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Cloud metadata and link-local addresses: an HTTP hook from config (or a URL someone
 * slipped into it) must never reach them, since they hand out instance credentials.
 * Loopback stays allowed: local deploy agents and tests listen there.
 */
const BLOCKED = new BlockList();
BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4');
BLOCKED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata
BLOCKED.addSubnet('fe80::', 10, 'ipv6');
BLOCKED.addAddress('fd00:ec2::254', 'ipv6'); // AWS IMDS over IPv6
const BLOCKED_NAMES = new Set(['metadata.google.internal', 'metadata.goog', 'metadata']);

export class BlockedDestinationError extends Error {
  readonly code = 'runner.blocked_destination';
}

/** Why `address` (an IP literal) may not be contacted, or null when it may. */
export function blockedAddressReason(address: string): string | null {
  const type = isIP(address);
  if (type === 0) return null;
  // BlockList also matches IPv4-mapped IPv6 (::ffff:169.254.169.254) against the IPv4 rules.
  return BLOCKED.check(address, type === 4 ? 'ipv4' : 'ipv6') ? `${address} is a link-local or cloud metadata address` : null;
}

/** Refuses metadata host names and IP literals before any socket is opened. */
export function blockedHostReason(hostname: string): string | null {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (BLOCKED_NAMES.has(host)) return `${host} is a cloud metadata host`;
  return blockedAddressReason(host);
}

/**
 * DNS lookup that checks every resolved address, used as the socket's own lookup so the
 * address checked is the address connected to (no second resolution to rebind between).
 */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address);
      if (reason) return callback(new BlockedDestinationError(`${hostname} resolves to ${reason}`), '', 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
};

export interface GuardedResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** Body text, cut at `maxBodyBytes`. */
  body: string;
}

export interface GuardedRequestOptions {
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  maxBodyBytes?: number;
}

/**
 * One HTTP(S) request that never follows redirects (a 3xx is returned as is) and refuses
 * link-local and metadata destinations, by name, by literal and by resolved address.
 */
export function guardedHttpRequest(url: string, options: GuardedRequestOptions): Promise<GuardedResponse> {
  const target = new URL(url);
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    return Promise.reject(new BlockedDestinationError(`${target.protocol} URLs are not allowed`));
  }
  const reason = blockedHostReason(target.hostname);
  if (reason) return Promise.reject(new BlockedDestinationError(reason));
  const maxBody = options.maxBodyBytes ?? 256 * 1024;

  return new Promise((resolve, reject) => {
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: options.method, headers: options.headers, signal: options.signal, lookup: guardedLookup }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < maxBody) chunks.push(chunk.subarray(0, maxBody - size));
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}
