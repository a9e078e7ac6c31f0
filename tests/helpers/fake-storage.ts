/**
 * An HTTP server that answers like the Supabase Storage API for the calls totalis-migrate makes, on
 * 127.0.0.1 only. A stand-in: each behaviour below says which answer of the real server (supabase/storage
 * v1.11.2, file backend, md5 eTags; seen with scripts/real-storage.sh) it imitates, and tests/storage-real.test.ts
 * runs the same commands against the real one. Knobs make it slow, flaky or strict; counters tell the tests
 * what it saw.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredObject {
  readonly size: number;
  readonly sha256: string;
  readonly md5: string;
  /** The user metadata sent with the upload (x-metadata), as the real server keeps it. */
  readonly metadata: Record<string, unknown> | null;
  readonly contentType: string;
  readonly cacheControl: string;
  readonly bytes: Buffer | null;
}

export interface FakeStorageKnobs {
  /** Milliseconds before each answer. */
  delayMs: number;
  /** Answer this many object uploads with a real HTTP 429 first. */
  rateLimitNext: number;
  /** Answer this many object uploads with an HTML 502 page first. */
  htmlErrorsNext: number;
  /** After this many successful uploads, every upload gets HTTP 503 (an outage). */
  failUploadsAfter: number;
  /** Objects larger than this are refused with statusCode "413". */
  maxSize: number;
  /** Keep object bytes (public GET needs them); off for memory tests. */
  keepBytes: boolean;
  /** A careless server: upload errors repeat the request's Authorization header (the key) in their message. */
  echoAuthInErrors: boolean;
  /** Called after each stored upload with the count so far (a test samples memory by progress, not by clock). */
  onUpload: ((uploads: number) => void) | null;
  /**
   * Hold object uploads unanswered until this many requests are in flight at once, then answer them all and
   * hold no more (0: off). A concurrency test then sees the client's bound whatever the machine's load: the
   * client reaches it by itself or not at all. A client that never reaches it is answered after 30 s, so its
   * test fails on the count instead of hanging.
   */
  holdUploadsUntilInFlight: number;
}

export interface FakeStorage {
  readonly url: string;
  readonly key: string;
  readonly anonKey: string;
  readonly knobs: FakeStorageKnobs;
  readonly buckets: Map<string, { public: boolean; allowedMimeTypes: string[] | null }>;
  readonly objects: Map<string, StoredObject>;
  readonly seen: {
    requests: number;
    uploads: number;
    uploadAttempts: Map<string, number>;
    inFlight: number;
    maxInFlight: number;
    authHeaders: Set<string>;
    bytesReceived: number;
    bodiesUnread: number;
  };
  close(): Promise<void>;
}

const err = (res: ServerResponse, status: number, body: Record<string, string>): void => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const ok = (res: ServerResponse, body: unknown): void => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function body(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** The anon key of the fake project: a valid key without the rights (row-level security decides). */
export const FAKE_ANON_KEY = 'test-anon-key-0123456789abcdef';

export async function startFakeStorage(
  key = 'test-service-key-0123456789abcdef',
  knobs: Partial<FakeStorageKnobs> = {},
): Promise<FakeStorage> {
  const state: Omit<FakeStorage, 'url' | 'close'> = {
    key,
    anonKey: FAKE_ANON_KEY,
    knobs: {
      delayMs: 0,
      rateLimitNext: 0,
      htmlErrorsNext: 0,
      failUploadsAfter: Infinity,
      maxSize: Infinity,
      keepBytes: true,
      echoAuthInErrors: false,
      onUpload: null,
      holdUploadsUntilInFlight: 0,
      ...knobs,
    },
    buckets: new Map(),
    objects: new Map(),
    seen: {
      requests: 0,
      uploads: 0,
      uploadAttempts: new Map(),
      inFlight: 0,
      maxInFlight: 0,
      authHeaders: new Set(),
      bytesReceived: 0,
      bodiesUnread: 0,
    },
  };
  const server = createServer((req, res) => {
    state.seen.requests++;
    state.seen.inFlight++;
    state.seen.maxInFlight = Math.max(state.seen.maxInFlight, state.seen.inFlight);
    res.on('close', () => state.seen.inFlight--);
    const answer = (): void =>
      void setTimeout(
        () =>
          void handle(req, res).catch((e: Error) =>
            err(res, 500, { statusCode: '500', error: 'internal', message: e.message }),
          ),
        state.knobs.delayMs,
      );
    const upload = req.method === 'POST' && /^(\/storage\/v1)?\/object\/(?!list\/|info\/)/.test(req.url ?? '');
    if (!upload || state.knobs.holdUploadsUntilInFlight === 0) return answer();
    held.push(answer);
    if (state.seen.inFlight >= state.knobs.holdUploadsUntilInFlight) releaseHeld();
    else heldTimer ??= setTimeout(releaseHeld, 30_000).unref();
  });
  // Uploads held by holdUploadsUntilInFlight, and the gate's last-resort timer.
  const held: (() => void)[] = [];
  let heldTimer: NodeJS.Timeout | undefined;
  function releaseHeld(): void {
    state.knobs.holdUploadsUntilInFlight = 0;
    clearTimeout(heldTimer);
    for (const answer of held.splice(0)) answer();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const path = decodeURIComponent(u.pathname.replace(/^\/storage\/v1/, ''));
    const method = req.method ?? 'GET';
    const publicGet = method === 'GET' && path.startsWith('/object/public/');
    // Real: only `Authorization: Bearer <jwt>` is checked (`apikey` is the gateway's). A token that is not a
    // valid key: 400 {"statusCode":"403","error":"Unauthorized","message":"Invalid Compact JWS","code":"AccessDenied"}.
    // Any valid key is accepted, and row-level security decides what it may do (`anon` below).
    let anon = false;
    if (!publicGet) {
      const auth = String(req.headers['authorization'] ?? '');
      state.seen.authHeaders.add(auth);
      anon = auth === `Bearer ${state.anonKey}`;
      if (auth !== `Bearer ${state.key}` && !anon) {
        await body(req);
        return err(res, 400, {
          statusCode: '403',
          error: 'Unauthorized',
          message: 'Invalid Compact JWS',
          code: 'AccessDenied',
        });
      }
    }
    let m: RegExpExecArray | null;
    if (method === 'GET' && (m = /^\/bucket\/([^/]+)$/.exec(path))) {
      const b = state.buckets.get(m[1]!);
      // Real, and for the anon key even when the bucket exists (row-level security hides it):
      // 400 {"statusCode":"404","error":"Bucket not found","message":"Bucket not found","code":"NoSuchBucket"}
      if (b === undefined || anon)
        return err(res, 400, {
          statusCode: '404',
          error: 'Bucket not found',
          message: 'Bucket not found',
          code: 'NoSuchBucket',
        });
      return ok(res, { id: m[1], name: m[1], public: b.public, allowed_mime_types: b.allowedMimeTypes });
    }
    if (method === 'PUT' && (m = /^\/bucket\/([^/]+)$/.exec(path))) {
      const b = state.buckets.get(m[1]!);
      const u = JSON.parse((await body(req)).toString()) as { public?: boolean; allowed_mime_types?: string[] | null };
      if (b === undefined || anon)
        return err(res, 400, {
          statusCode: '404',
          error: 'Bucket not found',
          message: 'Bucket not found',
          code: 'NoSuchBucket',
        });
      state.buckets.set(m[1]!, {
        public: u.public ?? b.public,
        allowedMimeTypes: u.allowed_mime_types === undefined ? b.allowedMimeTypes : u.allowed_mime_types,
      });
      return ok(res, { message: 'Successfully updated' });
    }
    if (method === 'POST' && path === '/bucket') {
      const b = JSON.parse((await body(req)).toString()) as {
        id?: string;
        name: string;
        public: boolean;
        allowed_mime_types?: string[];
      };
      const id = b.id ?? b.name;
      // Real, anon key: 400 {"statusCode":"403","error":"Unauthorized","message":"new row violates row-level security
      // policy"}
      if (anon)
        return err(res, 400, {
          statusCode: '403',
          error: 'Unauthorized',
          message: 'new row violates row-level security policy',
        });
      if (state.buckets.has(id))
        return err(res, 400, {
          statusCode: '409',
          error: 'Duplicate',
          message: 'The resource already exists',
          code: 'BucketAlreadyExists',
        });
      state.buckets.set(id, { public: b.public, allowedMimeTypes: b.allowed_mime_types ?? null });
      return ok(res, { name: id });
    }
    if (method === 'POST' && (m = /^\/object\/list\/([^/]+)$/.exec(path))) {
      // Real: the objects by name, `limit` a page from `offset`, each with metadata {eTag: '"<md5>"', size, mimetype,
      // cacheControl, ...}; for the anon key, 200 [] (row-level security hides every object).
      const q = JSON.parse((await body(req)).toString()) as { prefix?: string; limit?: number; offset?: number };
      if (anon) return ok(res, []);
      if (!state.buckets.has(m[1]!))
        return err(res, 400, {
          statusCode: '404',
          error: 'Bucket not found',
          message: 'Bucket not found',
          code: 'NoSuchBucket',
        });
      const names = [...state.objects.keys()]
        .filter((k) => k.startsWith(`${m![1]}/${q.prefix ?? ''}`))
        .map((k) => k.slice(m![1]!.length + 1))
        .sort();
      const page = names.slice(q.offset ?? 0, (q.offset ?? 0) + (q.limit ?? 100));
      return ok(
        res,
        page.map((name) => {
          const o = state.objects.get(`${m![1]}/${name}`)!;
          return {
            name,
            id: `id-${name}`,
            updated_at: '2026-01-01T00:00:00Z',
            created_at: '2026-01-01T00:00:00Z',
            last_accessed_at: '2026-01-01T00:00:00Z',
            metadata: {
              eTag: `"${o.md5}"`,
              size: o.size,
              mimetype: o.contentType,
              cacheControl: `max-age=${o.cacheControl}`,
              contentLength: o.size,
              httpStatusCode: 200,
            },
          };
        }),
      );
    }
    if (method === 'GET' && (m = /^\/object\/info\/([^/]+)\/(.+)$/.exec(path))) {
      const o = anon ? undefined : state.objects.get(`${m[1]}/${m[2]}`);
      if (o === undefined)
        return err(res, 400, { statusCode: '404', code: 'NoSuchKey', error: 'not_found', message: 'Object not found' });
      // Real: size, content_type, cache_control, etag (the quoted md5), metadata (the user metadata sent)
      return ok(res, {
        id: 'x',
        name: m[2],
        bucket_id: m[1],
        version: '1',
        size: o.size,
        content_type: o.contentType,
        cache_control: `max-age=${o.cacheControl}`,
        etag: `"${o.md5}"`,
        metadata: o.metadata ?? {},
        created_at: '2026-01-01T00:00:00Z',
      });
    }
    if (method === 'GET' && (m = /^\/object\/public\/([^/]+)\/(.+)$/.exec(path))) {
      const o = state.objects.get(`${m[1]}/${m[2]}`);
      if (o === undefined || o.bytes === null || state.buckets.get(m[1]!)?.public !== true)
        return err(res, 400, { statusCode: '404', error: 'not_found', message: 'Object not found' });
      res.writeHead(200, { 'content-type': o.contentType, 'cache-control': o.cacheControl });
      return void res.end(o.bytes);
    }
    if (method === 'DELETE' && (m = /^\/object\/([^/]+)$/.exec(path))) {
      const { prefixes } = JSON.parse((await body(req)).toString()) as { prefixes: string[] };
      // Real, anon key: 200 [] (nothing deleted, no error)
      if (anon) return ok(res, []);
      const deleted = prefixes
        .filter((p) => state.objects.delete(`${m![1]}/${p}`))
        .map((p) => ({ name: p, bucket_id: m![1] }));
      return ok(res, deleted);
    }
    if ((method === 'POST' || method === 'PUT') && (m = /^\/object\/([^/]+)\/(.+)$/.exec(path))) {
      const [, bucket, name] = m as unknown as [string, string, string];
      const k = `${bucket}/${name}`;
      state.seen.uploadAttempts.set(k, (state.seen.uploadAttempts.get(k) ?? 0) + 1);
      // Real: a path that exists is answered before the body is read, 400
      // {"statusCode":"409","error":"Duplicate","message":"The resource already exists","code":"KeyAlreadyExists"}
      if (state.objects.has(k) && req.headers['x-upsert'] !== 'true' && !anon) {
        state.seen.bodiesUnread++;
        res.setHeader('connection', 'close');
        return err(res, 400, {
          statusCode: '409',
          error: 'Duplicate',
          message: 'The resource already exists',
          code: 'KeyAlreadyExists',
        });
      }
      const bytes = await body(req);
      state.seen.bytesReceived += bytes.length;
      // Real, anon key: 400 {"statusCode":"403","error":"Unauthorized","message":"new row violates row-level security
      // policy"}
      if (anon)
        return err(res, 400, {
          statusCode: '403',
          error: 'Unauthorized',
          message: 'new row violates row-level security policy',
        });
      if (state.knobs.rateLimitNext > 0) {
        state.knobs.rateLimitNext--;
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        return void res.end(
          JSON.stringify({ statusCode: '429', error: 'too_many_requests', message: 'Too many requests' }),
        );
      }
      if (state.knobs.htmlErrorsNext > 0) {
        state.knobs.htmlErrorsNext--;
        res.writeHead(502, { 'content-type': 'text/html' });
        return void res.end('<html><body><h1>502 Bad Gateway</h1></body></html>');
      }
      if (state.knobs.echoAuthInErrors)
        return err(res, 400, {
          statusCode: '400',
          error: 'bad_request',
          message: `rejected request with authorization ${String(req.headers['authorization'])}`,
        });
      if (state.seen.uploads >= state.knobs.failUploadsAfter)
        return err(res, 503, { statusCode: '503', error: 'unavailable', message: 'Service Unavailable' });
      const b = state.buckets.get(bucket);
      if (b === undefined)
        return err(res, 400, { statusCode: '404', error: 'Bucket not found', message: 'Bucket not found' });
      if (bytes.length > state.knobs.maxSize)
        return err(res, 400, {
          statusCode: '413',
          error: 'Payload too large',
          message: 'The object exceeded the maximum allowed size',
        });
      const type = String(req.headers['content-type'] ?? '');
      if (b.allowedMimeTypes !== null && !b.allowedMimeTypes.includes(type))
        return err(res, 400, {
          statusCode: '415',
          error: 'invalid_mime_type',
          message: `mime type ${type} is not supported`,
        });
      const upsert = req.headers['x-upsert'] === 'true';
      if (state.objects.has(k) && !upsert)
        return err(res, 400, {
          statusCode: '409',
          code: 'KeyAlreadyExists',
          error: 'Duplicate',
          message: 'The resource already exists',
        });
      const meta = req.headers['x-metadata'];
      const metadata =
        typeof meta === 'string'
          ? (JSON.parse(Buffer.from(meta, 'base64').toString('utf8')) as Record<string, unknown>)
          : null;
      state.objects.set(k, {
        size: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        md5: createHash('md5').update(bytes).digest('hex'),
        metadata,
        contentType: type,
        cacheControl: String(req.headers['cache-control'] ?? ''),
        bytes: state.knobs.keepBytes ? bytes : null,
      });
      state.seen.uploads++;
      state.knobs.onUpload?.(state.seen.uploads);
      return ok(res, { Id: 'id-' + state.seen.uploads, Key: k });
    }
    err(res, 400, { statusCode: '404', error: 'not_found', message: `no route ${method} ${path}` });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...state,
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
