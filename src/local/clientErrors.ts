import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from '../api/http/errors';

/**
 * Requests Node's HTTP parser refuses before the app sees them (headers over 16 KB, a malformed request line or
 * header, a body cut short, a request too slow to arrive) get the API's error shape too (API.md "Errors"), not
 * Node's bodiless 400 / 431 / 408. As Node's own handler does, nothing is written once an answer to an earlier
 * request on the connection has started (that would corrupt it): the connection is only closed.
 */
export const answerParserErrors = (server: Server): void => {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || inFlight?.headersSent) {
      socket.destroy(err);
      return;
    }
    const [status, code, message] =
      err.code === 'HPE_HEADER_OVERFLOW'
        ? ['431 Request Header Fields Too Large', 'headers-too-large', 'The request headers are larger than this server takes (16 KB in all).']
        : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? ['408 Request Timeout', 'request-timeout', 'The request did not arrive in time; send it again.']
          : ['400 Bad Request', 'invalid-request', 'The request is not well-formed HTTP.'];
    const body = JSON.stringify(errorBody(code, message));
    socket.end(`HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
};
