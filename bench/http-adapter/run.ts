/**
 * Nest on Express against Nest on Fastify (and bare node:http as the reference), alternating the
 * servers so a noisy machine hurts each alike. Reports req/s, p50/p99 and the ratios.
 * Env: DURATION (seconds per run, default 10), ROUNDS (default 2), CONNECTIONS (default 50).
 */
import autocannon from 'autocannon';
import { SignJWT } from 'jose';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { JOB_ID, SECRET } from './server';

type Mode = 'bare' | 'express' | 'fastify';
interface Row {
  mode: Mode;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

const DURATION = Number(process.env.DURATION ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);

async function start(mode: Mode, port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'server.ts'), mode, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let output = '';
  for await (const chunk of child.stdout) {
    output += String(chunk);
    if (output.includes('READY')) break;
  }
  return child;
}

async function load(port: number, token: string, duration: number) {
  return autocannon({
    url: `http://127.0.0.1:${port}/api/jobs/${JOB_ID}`,
    connections: CONNECTIONS,
    duration,
    headers: { authorization: `Bearer ${token}` },
  });
}

async function main(): Promise<void> {
  const token = await new SignJWT({ sub: 'bench' })
    .setProtectedHeader({ alg: 'HS256' })
    .setExpirationTime('1h')
    .sign(SECRET);
  const order: Mode[] = [];
  for (let round = 0; round < ROUNDS; round++) order.push('bare', 'express', 'fastify');
  const rows: Row[] = [];
  let port = 3900;
  for (const mode of order) {
    const child = await start(mode, ++port);
    try {
      await load(port, token, 1);
      const result = await load(port, token, DURATION);
      const row = {
        mode,
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
      };
      if (row.non2xx > 0) throw new Error(`${mode} answered ${row.non2xx} non-2xx responses`);
      rows.push(row);
      console.log(JSON.stringify(row));
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  }
  const mean = (mode: Mode) => {
    const runs = rows.filter((row) => row.mode === mode);
    return runs.reduce((sum, row) => sum + row.rps, 0) / runs.length;
  };
  const [bare, express, fastify] = [mean('bare'), mean('express'), mean('fastify')];
  console.log(`node ${process.version}, ${cpus().length} cores, ${CONNECTIONS} connections`);
  console.log(
    `mean req/s: bare ${bare.toFixed(0)}, express ${express.toFixed(0)}, fastify ${fastify.toFixed(0)}`,
  );
  console.log(
    `fastify/express ${(fastify / express).toFixed(2)}, express/bare ${(express / bare).toFixed(2)}, fastify/bare ${(fastify / bare).toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
