import { describe, expect, it } from 'vitest';
import type { DestinationStatus } from '../../api/types.gen';
import { addDestination, keptDestinations, normaliseUrl, parseHeaderLines, protocolLabel, removeDestination, urlError } from './forwarding-form';

function destination(partial: Partial<DestinationStatus>): DestinationStatus {
  return {
    url: 'https://team.example:4318',
    protocol: 'http/protobuf',
    source: 'settings',
    headerNames: [],
    queued: 0,
    queuedBytes: 0,
    sent: 0,
    dropped: 0,
    lastSuccess: null,
    lastError: null,
    lastErrorAt: null,
    ...partial,
  };
}

describe('forwarding form', () => {
  it('reads one Name=Value header a line: the value keeps its "=", blank lines are skipped', () => {
    expect(parseHeaderLines('Authorization=Bearer a=b')).toEqual({ ok: true, headers: [{ name: 'Authorization', value: 'Bearer a=b' }] });
    expect(parseHeaderLines('\n  X-Team = core  \r\n\n   \nX-Empty=\n')).toEqual({
      ok: true,
      headers: [
        { name: 'X-Team', value: 'core' },
        { name: 'X-Empty', value: '' },
      ],
    });
    expect(parseHeaderLines('')).toEqual({ ok: true, headers: [] });
  });

  it('names the line of each header it cannot read', () => {
    expect(parseHeaderLines('Authorization=Bearer x\n\nAuthorization: Bearer y')).toEqual({ ok: false, errors: ['Line 3: write the header as Name=Value (no “=” found).'] });
    const result = parseHeaderLines('=value\nbad name=x\nX-Ok=fine\nX-Bad=tab\tok\u0001');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors).toHaveLength(3);
      expect(result.errors[0]).toMatch(/^Line 1: the header name before “=” is empty/);
      expect(result.errors[1]).toMatch(/^Line 2: “bad name” is not a header name/);
      expect(result.errors[2]).toMatch(/^Line 4: the value of X-Bad has characters/);
    }
  });

  it('takes http(s) URLs with a host and no credentials, as the engine does', () => {
    expect(normaliseUrl('  https://team.example:4318// ')).toBe('https://team.example:4318');
    expect(urlError('https://observer.example.com:4318')).toBeNull();
    expect(urlError('http://10.0.0.5:4317/')).toBeNull();
    expect(urlError('  ')).toMatch(/Enter the address/);
    expect(urlError('not a url')).toMatch(/full URL/);
    expect(urlError('team.example:4318')).toMatch(/http:\/\/ or https:\/\//);
    expect(urlError('ftp://team.example')).toMatch(/http:\/\/ or https:\/\//);
    expect(urlError('https://user:secret@team.example')).toMatch(/in a header/);
  });

  it('labels the protocols', () => {
    expect(protocolLabel('http/protobuf')).toBe('HTTP');
    expect(protocolLabel('grpc')).toBe('gRPC');
  });

  it('adds to the destinations added in the app, without their headers, and never lists startup ones', () => {
    const inForce = [
      destination({ url: 'https://env.example:4318', source: 'startup', headerNames: ['Authorization'] }),
      destination({ url: 'https://team.example:4318', headerNames: ['Authorization'] }),
    ];
    expect(keptDestinations(inForce)).toEqual([{ url: 'https://team.example:4318', protocol: 'http/protobuf' }]);
    expect(addDestination({ url: ' https://collector.example:4317/ ', protocol: 'grpc', headers: 'Authorization=Bearer a=b\n\n' }, inForce)).toEqual({
      ok: true,
      update: {
        destinations: [
          { url: 'https://team.example:4318', protocol: 'http/protobuf' },
          { url: 'https://collector.example:4317', protocol: 'grpc', headers: [{ name: 'Authorization', value: 'Bearer a=b' }] },
        ],
      },
    });
  });

  it('refuses a bad URL, bad header lines and a destination already in force, together', () => {
    const inForce = [destination({ url: 'https://env.example:4318', source: 'startup' }), destination({ url: 'https://team.example:4318' })];
    expect(addDestination({ url: 'ftp://x', protocol: 'http/protobuf', headers: 'nope' }, inForce)).toEqual({
      ok: false,
      errors: { url: 'Use an http:// or https:// URL with a host.', headers: ['Line 1: write the header as Name=Value (no “=” found).'] },
    });
    const again = addDestination({ url: 'https://team.example:4318/', protocol: 'http/protobuf', headers: '' }, inForce);
    expect(again).toMatchObject({ ok: false, errors: { url: expect.stringMatching(/remove it first/) as unknown } });
    const startup = addDestination({ url: 'https://env.example:4318', protocol: 'http/protobuf', headers: '' }, inForce);
    expect(startup).toMatchObject({ ok: false, errors: { url: expect.stringMatching(/where the app starts/) as unknown } });
    // the same URL over the other protocol is another destination
    expect(addDestination({ url: 'https://team.example:4318', protocol: 'grpc', headers: '' }, inForce).ok).toBe(true);
  });

  it('removes one destination added in the app and keeps the others with their stored headers', () => {
    const inForce = [
      destination({ url: 'https://env.example:4318', source: 'startup' }),
      destination({ url: 'https://a.example:4318', headerNames: ['Authorization'] }),
      destination({ url: 'https://a.example:4317', protocol: 'grpc' }),
    ];
    expect(removeDestination(inForce[1] as DestinationStatus, inForce)).toEqual({ destinations: [{ url: 'https://a.example:4317', protocol: 'grpc' }] });
    expect(removeDestination(inForce[2] as DestinationStatus, inForce)).toEqual({ destinations: [{ url: 'https://a.example:4318', protocol: 'http/protobuf' }] });
  });
});
