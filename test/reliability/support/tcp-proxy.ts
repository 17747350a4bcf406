import { once } from 'node:events';
import { AddressInfo, createServer, Server, Socket, connect } from 'node:net';

/** What happens to a connection attempt while the link is cut. */
export type CutMode =
  /** The connection is accepted and closed at once (a refused or reset connection). */
  | 'refuse'
  /**
   * The connection is accepted and left silent for good, as a black hole loses what is sent into
   * it: restoring the link does not revive it, only the client's own timeout ends it.
   */
  | 'hold';

/**
 * A TCP proxy the tests control, standing between the service and its database: it forwards every
 * connection to `target` until `cut()`, which destroys the open ones; `restore()` forwards again.
 */
export class TcpProxy {
  private readonly server: Server;
  private readonly open = new Set<[Socket, Socket]>();
  private readonly held = new Set<Socket>();
  private mode: CutMode | undefined;
  /** Connections destroyed by `cut()` or refused while cut, since the proxy started. */
  dropped = 0;

  private constructor(
    private readonly target: { host: string; port: number },
    server: Server,
  ) {
    this.server = server;
    server.on('connection', (client) => this.accept(client));
  }

  /** Listens on an ephemeral port of 127.0.0.1, forwarding to `target`. */
  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer({ pauseOnConnect: true });
    const proxy = new TcpProxy(target, server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get isCut(): boolean {
    return this.mode !== undefined;
  }

  /** `url` with its host and port replaced by the proxy's. */
  rewrite(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  /** Destroys every open connection; new ones are refused or held while the link is cut. */
  cut(mode: CutMode = 'refuse'): void {
    this.mode = mode;
    this.dropped += this.open.size;
    for (const pair of this.open) for (const socket of pair) socket.destroy();
    this.open.clear();
  }

  /**
   * Every open connection goes silent for good, both ways, without being closed: a link that
   * drops packets in the middle of a query. New connections are forwarded as usual.
   */
  silence(): void {
    for (const [client, upstream] of this.open) {
      client.unpipe(upstream);
      upstream.unpipe(client);
      for (const socket of [client, upstream]) {
        socket.pause();
        this.held.add(socket);
        socket.once('close', () => this.held.delete(socket));
      }
    }
    this.open.clear();
  }

  /** Forwards new connections again; held ones stay silent. */
  restore(): void {
    this.mode = undefined;
  }

  async close(): Promise<void> {
    for (const socket of [...[...this.open].flat(), ...this.held]) socket.destroy();
    this.open.clear();
    this.held.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    client.on('error', () => client.destroy());
    if (this.mode === 'refuse') {
      this.dropped += 1;
      client.destroy();
    } else if (this.mode === 'hold') {
      this.held.add(client);
      client.once('close', () => this.held.delete(client));
    } else {
      this.forward(client);
    }
  }

  private forward(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.open.add(pair);
    for (const [socket, other] of [pair, [upstream, client]]) {
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        this.open.delete(pair);
        other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.resume();
  }
}
