#!/usr/bin/env node
// A stand-in for Supabase's API gateway in front of a real Storage server: it serves the server's routes under
// /storage/v1 (what hosted Supabase and `supabase start` expose) and forwards everything else as it is.
// Two modes, because a client must work behind both: `buffer` reads a request's whole body before forwarding
// it (as Supabase's gateway does), `stream` forwards the body as it arrives (as a plain load balancer does).
// GET /__gateway/stats gives the requests and request-body bytes it forwarded.
// Usage: node scripts/storage-gateway.mjs <listen-port> <upstream-url> buffer|stream
import { createServer, request } from 'node:http';

const [port, upstream, mode] = process.argv.slice(2);
if (!port || !upstream || !['buffer', 'stream'].includes(mode)) {
  console.error('usage: storage-gateway.mjs <listen-port> <upstream-url> buffer|stream');
  process.exit(2);
}
const up = new URL(upstream);
/** What clients sent through this gateway: GET /__gateway/stats answers it (a measure the client cannot report itself). */
const stats = { requests: 0, requestBodyBytes: 0 };

createServer(async (req, res) => {
  if (req.url === '/__gateway/stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify(stats));
  }
  stats.requests++;
  req.on('data', (c) => (stats.requestBodyBytes += c.length));
  const path = (req.url ?? '/').replace(/^\/storage\/v1(?=\/|$)/, '') || '/';
  const headers = { ...req.headers, host: up.host };
  let body = null;
  if (mode === 'buffer') {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    body = Buffer.concat(chunks);
    delete headers['transfer-encoding'];
    headers['content-length'] = String(body.length);
  }
  const out = request({ host: up.hostname, port: up.port, method: req.method, path, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ statusCode: '502', error: 'Bad Gateway', message: e.message }));
  });
  if (body !== null) out.end(body);
  else req.pipe(out);
}).listen(Number(port), '127.0.0.1', () =>
  console.error(`storage gateway (${mode}) on 127.0.0.1:${port} → ${upstream}`),
);
