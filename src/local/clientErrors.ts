import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from '../api/http/errors';

/**
 * Requests Node's HTTP parser refuses before the app sees them (headers over 16 KB, a malformed request line or
 * header, a body cut short) get the API's error shape too (API.md "Errors"), not Node's bodiless 400 / 431.
 * Anything else (a reset socket, a timeout) is left to Node as before.
 */
export const answerParserErrors = (server: Server): void => {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const code = err.code ?? '';
    if (!code.startsWith('HPE_') || !socket.writable) {
      socket.destroy(err);
      return;
    }
    const tooLarge = code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      tooLarge
        ? errorBody('headers-too-large', 'The request headers are larger than this server takes (16 KB in all).')
        : errorBody('invalid-request', 'The request is not well-formed HTTP.'),
    );
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
};
