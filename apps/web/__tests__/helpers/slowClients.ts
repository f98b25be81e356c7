import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { messageId } from '../harness.ts';

/** How a {@link SlowClient}'s connection ended. */
export interface SlowClientEnd {
  /** HTTP status the server answered before closing (0 = none). */
  status: number;
  /** The answer's status line and headers. */
  head: string;
  /** The answer's body. */
  body: string;
  /** `performance.now()` when the connection closed. */
  at: number;
  /** True when the server closed it (not {@link SlowClient.stop}). */
  byServer: boolean;
}

/** A raw TCP client that sends a request's headers and part of its body, then trickles or stalls. */
export interface SlowClient {
  socket: Socket;
  /** `performance.now()` once the headers and the first part of the body were written. */
  sentAt: number;
  ended: Promise<SlowClientEnd>;
  /** Closes the connection from the client side (clean-up). */
  stop(): void;
}

/** Request head bytes of a webhook delivery with valid-looking Kick headers (fresh timestamp, ULID, 2048-bit-sized signature). */
export function deliveryHead(contentLength: number, headers: Record<string, string> = {}): Buffer {
  const all: Record<string, string> = {
    'Content-Type': 'application/json',
    'Content-Length': String(contentLength),
    'Kick-Event-Message-Id': messageId(),
    'Kick-Event-Subscription-Id': messageId(),
    'Kick-Event-Signature': randomBytes(256).toString('base64'),
    'Kick-Event-Message-Timestamp': new Date().toISOString(),
    'Kick-Event-Type': 'chat.message.sent',
    'Kick-Event-Version': '1',
    ...headers,
  };
  const lines = ['POST /webhooks/kick HTTP/1.1', 'Host: 127.0.0.1', ...Object.entries(all).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
}

/**
 * Connects to 127.0.0.1:`port`, writes `head` and `firstBody` at once, then either stalls or writes one
 * byte every `trickleEveryMs` (at most `maxTrickles` times) until the connection closes.
 */
export function openSlowClient(port: number, head: Buffer, firstBody: Buffer, options: { trickleEveryMs?: number; maxTrickles?: number } = {}): Promise<SlowClient> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let stoppedByUs = false;
    let trickle: NodeJS.Timeout | undefined;
    const ended = new Promise<SlowClientEnd>((done) => {
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', () => undefined);
      socket.once('close', () => {
        clearInterval(trickle);
        const text = Buffer.concat(chunks).toString('latin1');
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
        const split = text.indexOf('\r\n\r\n');
        done({ status, head: split === -1 ? text : text.slice(0, split), body: split === -1 ? '' : text.slice(split + 4), at: performance.now(), byServer: !stoppedByUs });
      });
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.write(Buffer.concat([head, firstBody]));
      const sentAt = performance.now();
      if (options.trickleEveryMs) {
        let left = options.maxTrickles ?? 100;
        trickle = setInterval(() => {
          if (left-- <= 0 || socket.destroyed) clearInterval(trickle);
          else socket.write(' ');
        }, options.trickleEveryMs);
      }
      resolve({
        socket,
        sentAt,
        ended,
        stop() {
          stoppedByUs = true;
          clearInterval(trickle);
          socket.destroy();
        },
      });
    });
  });
}
