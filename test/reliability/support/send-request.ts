import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Agent, request } from 'node:http';
import { FuzzRequest } from './arbitraries';
import { Answer } from './contract-answer';

/** Sends through Fastify's `inject` (light-my-request): no socket, the same routing and hooks. */
export async function injectRequest(
  app: NestFastifyApplication,
  fuzz: FuzzRequest,
): Promise<Answer> {
  const response = await app
    .getHttpAdapter()
    .getInstance()
    .inject({
      method: fuzz.method as 'GET',
      url: fuzz.url,
      headers: fuzz.headers,
      payload: fuzz.body,
    });
  return { status: response.statusCode, headers: response.headers, body: response.body };
}

/**
 * Sends over a real TCP connection, through node's HTTP client. The path goes as it is (`..` and
 * percent-escapes are not normalised the way `new URL` would).
 */
export function socketRequest(port: number, agent: Agent, fuzz: FuzzRequest): Promise<Answer> {
  // Node frames a GET or DELETE body only with a length; without one it would start a new request.
  const headers = fuzz.body
    ? { ...fuzz.headers, 'content-length': String(fuzz.body.length) }
    : fuzz.headers;
  return new Promise((resolve, reject) => {
    const sent = request(
      { host: '127.0.0.1', port, path: fuzz.url, method: fuzz.method, headers, agent },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    sent.on('error', reject);
    sent.end(fuzz.body);
  });
}
