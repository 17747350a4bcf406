import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import { Answer } from './contract-answer';

/**
 * A TCP connection to the service that sends exactly the bytes a test chooses, when it chooses:
 * headers without their body, a body one byte at a time, nothing at all.
 */
export class RawConnection {
  private received = Buffer.alloc(0);
  private ended = false;
  /** Bytes the test wrote and the socket accepted. */
  sent = 0;
  /** Resolves once the server (or the network) has closed the connection. */
  readonly closed: Promise<void>;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => (this.received = Buffer.concat([this.received, chunk])));
    socket.on('error', () => undefined);
    this.closed = once(socket, 'close').then(() => {
      this.ended = true;
    });
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect({ host: '127.0.0.1', port });
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  get isClosed(): boolean {
    return this.ended || this.socket.destroyed;
  }

  /** Writes `data` and waits until it is handed to the kernel; false once the connection is gone. */
  async send(data: string | Buffer): Promise<boolean> {
    if (this.isClosed) return false;
    const bytes = Buffer.from(data);
    const written = await new Promise<boolean>((resolve) =>
      this.socket.write(bytes, (error) => resolve(!error)),
    );
    if (written) this.sent += bytes.length;
    return written && !this.isClosed;
  }

  /** The first whole response received so far (head and `Content-Length` body), if any. */
  response(): Answer | undefined {
    const headEnd = this.received.indexOf('\r\n\r\n');
    if (headEnd === -1) return undefined;
    const [statusLine, ...lines] = this.received
      .subarray(0, headEnd)
      .toString('latin1')
      .split('\r\n');
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const body = this.received.subarray(headEnd + 4);
    const length = Number(headers['content-length'] ?? 0);
    if (body.length < length) return undefined;
    return {
      status: Number(statusLine.split(' ')[1]),
      headers,
      body: body.subarray(0, length).toString('utf8'),
    };
  }

  /** Waits for the first whole response, or for the connection to close without one. */
  async answer(): Promise<Answer | undefined> {
    for (;;) {
      const response = this.response();
      if (response || this.isClosed) return response;
      await Promise.race([once(this.socket, 'data').catch(() => undefined), this.closed]);
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}
