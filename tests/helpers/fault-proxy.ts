/**
 * A fault-injecting HTTP proxy for the Storage tests: it forwards to a server (the test one or the real one)
 * and spoils the answers of the requests a schedule picks. What each fault stands for:
 * - `reset`: the connection dropped before any answer (a load balancer closing a kept-alive connection; the
 *   real server resetting a client that was still sending a body it had already refused). The request may or
 *   may not have reached the server: `reset-after` forwards it first, then drops the answer.
 * - `truncate`: the answer's headers and half its body, then the connection dropped (a proxy or network cut).
 * - `slow`: the answer held back (a busy gateway).
 * - `503`, `429`: the gateway's own error pages (HTML for 503, JSON for 429), bursts of overload and rate limits.
 * - `hang`: no answer ever, the connection left open (a server or gateway that stopped answering mid-request);
 *   `hang-after` forwards the request first, so the server holds what was sent while the client hears nothing.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault = 'reset' | 'reset-after' | 'truncate' | 'slow' | '503' | '429' | 'hang' | 'hang-after' | null;

export interface FaultProxy {
  readonly url: string;
  /** How many answers were spoiled, by fault. */
  readonly injected: Map<Exclude<Fault, null>, number>;
  close(): Promise<void>;
}

/** `pick(n, method, path)`: the fault for the n-th request (from 1), or null to forward it untouched. */
export async function startFaultProxy(
  upstream: string,
  pick: (n: number, method: string, path: string) => Fault,
  slowMs = 300,
): Promise<FaultProxy> {
  const up = new URL(upstream);
  const injected = new Map<Exclude<Fault, null>, number>();
  let n = 0;
  const forward = (
    req: IncomingMessage,
    body: Buffer,
    onAnswer: (a: IncomingMessage, bytes: Buffer) => void,
    onError: () => void,
  ): void => {
    const out = request(
      {
        host: up.hostname,
        port: up.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: up.host },
      },
      (a) => {
        const chunks: Buffer[] = [];
        a.on('data', (c: Buffer) => chunks.push(c));
        a.on('end', () => onAnswer(a, Buffer.concat(chunks)));
      },
    );
    out.on('error', onError);
    out.end(body);
  };
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const fault = pick(++n, req.method ?? 'GET', req.url ?? '/');
    if (fault !== null) injected.set(fault, (injected.get(fault) ?? 0) + 1);
    if (fault === 'reset') return void req.socket.destroy();
    if (fault === 'hang') return; // close() ends the connection
    if (fault === '503') {
      res.writeHead(503, { 'content-type': 'text/html' });
      return void res.end('<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>');
    }
    if (fault === '429') {
      res.writeHead(429, { 'content-type': 'application/json' });
      return void res.end(
        JSON.stringify({ statusCode: '429', error: 'too_many_requests', message: 'Too many requests' }),
      );
    }
    forward(
      req,
      body,
      (a, bytes) => {
        if (fault === 'reset-after') return void req.socket.destroy();
        if (fault === 'hang-after') return;
        const send = (): void => {
          const headers = { ...a.headers };
          delete headers['transfer-encoding'];
          headers['content-length'] = String(bytes.length);
          res.writeHead(a.statusCode ?? 502, headers);
          if (fault === 'truncate') {
            res.write(bytes.subarray(0, bytes.length >> 1));
            return void setTimeout(() => req.socket.destroy(), 5);
          }
          res.end(bytes);
        };
        if (fault === 'slow') setTimeout(send, slowMs);
        else send();
      },
      () => req.socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
