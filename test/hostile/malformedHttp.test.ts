import { connect } from 'node:net';
import { startTestApi } from '../support/api';

/**
 * Requests Node's HTTP parser refuses before the app runs still get the API's error shape (API.md "Errors"):
 * a `{"error":{code,message}}` body, not Node's bare status line. Sent as raw bytes, since no client library
 * would send them.
 */
const api = startTestApi();

const sendRaw = (bytes: string) =>
  new Promise<string>((resolve, reject) => {
    const { port } = new URL(api.url);
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(bytes);
  });

const parse = (answer: string) => {
  const [head, body] = answer.split('\r\n\r\n');
  return { status: Number(head!.split(' ')[1]), head: head!, body: JSON.parse(body!) as { error: { code: string; message: string } } };
};

describe('requests the HTTP parser refuses', () => {
  it('answers over-large headers with 431 in the error shape and closes the connection', async () => {
    const answer = parse(await sendRaw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
    expect(answer.status).toBe(431);
    expect(answer.head).toMatch(/\r\nConnection: close/i);
    expect(answer.body.error).toEqual({ code: 'headers-too-large', message: expect.stringContaining('headers') });
  });

  it.each([
    ['a malformed request line', 'GARBAGE\r\n\r\n'],
    ['a control character in a header', 'GET /health HTTP/1.1\r\nHost: x\r\nX-Bad: a\x01b\r\n\r\n'],
    ['both Content-Length and chunked', 'POST /rotations HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
  ])('answers %s with 400 invalid-request', async (_what, bytes) => {
    const answer = parse(await sendRaw(bytes));
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('invalid-request');
  });
});
