import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { log4jWireLine, requestWireBytes, responseWireBytes, wireMessages } from './wire-log.js';

describe('wireMessages (HttpClient Wire escaping)', () => {
  const rows: { name: string; direction: '>>' | '<<'; bytes: Buffer; want: string[] }[] = [
    { name: 'request line', direction: '>>', bytes: Buffer.from('POST / HTTP/1.1\r\n'), want: ['>> "POST / HTTP/1.1[\\r][\\n]"'] },
    { name: 'body without newline', direction: '>>', bytes: Buffer.from('Action=X&a=b'), want: ['>> "Action=X&a=b"'] },
    {
      name: 'lines split after \\n',
      direction: '<<',
      bytes: Buffer.from('<?xml version="1.0"?>\n<a>\n</a>'),
      want: ['<< "<?xml version="1.0"?>[\\n]"', '<< "<a>[\\n]"', '<< "</a>"'],
    },
    { name: 'blank line', direction: '<<', bytes: Buffer.from('\r\n'), want: ['<< "[\\r][\\n]"'] },
    { name: 'tab and non-ASCII bytes', direction: '<<', bytes: Buffer.from('a\tb é'), want: ['<< "a[0x9]b [0xc3][0xa9]"'] },
    { name: 'nothing', direction: '<<', bytes: Buffer.alloc(0), want: [] },
  ];
  for (const row of rows) it(row.name, () => assert.deepEqual(wireMessages(row.direction, row.bytes), row.want));
});

describe('log4jWireLine', () => {
  it('prefixes the ISO8601 log4j date in local time', () => {
    const now = new Date(2026, 10, 2, 3, 4, 5, 6);
    assert.equal(log4jWireLine(now, '>> "x"'), '2026-11-02 03:04:05,006 [main] DEBUG org.apache.http.wire - >> "x"');
  });
});

describe('request and response bytes', () => {
  it('rebuilds the request as sent', () => {
    const bytes = requestWireBytes({
      url: new URL('http://127.0.0.1:5001/'),
      method: 'POST',
      headers: [
        ['Host', '127.0.0.1:5001'],
        ['Content-Length', '3'],
      ],
      body: Buffer.from('a=b'),
    });
    assert.equal(bytes.toString(), 'POST / HTTP/1.1\r\nHost: 127.0.0.1:5001\r\nContent-Length: 3\r\n\r\na=b');
  });

  it('rebuilds the response as received', () => {
    const bytes = responseWireBytes({
      httpVersion: '1.1',
      statusCode: 400,
      statusMessage: 'Bad Request',
      rawHeaders: ['Content-Type', 'text/xml', 'x-amzn-RequestId', 'r1'],
      body: Buffer.from('<x/>'),
    });
    assert.equal(bytes.toString(), 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/xml\r\nx-amzn-RequestId: r1\r\n\r\n<x/>');
  });
});
