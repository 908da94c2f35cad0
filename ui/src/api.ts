// Fetching the UI's JSON routes (/api/ui/*): query strings, and error bodies turned into messages.

export type Query = Record<string, string | number | string[] | undefined>;

export class ApiError extends Error {}

/** GET /api/ui/<path>?<query> as JSON. Non-2xx answers throw ApiError with the server's message. */
export async function getJson<T = Record<string, unknown>>(path: string, query: Query = {}): Promise<T> {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === '') continue;
    if (Array.isArray(v)) for (const item of v) q.append(k, item);
    else q.set(k, String(v));
  }
  const url = `/api/ui/${path}${q.size > 0 ? `?${q}` : ''}`;
  const res = await (takePrefetched(url) ?? fetch(url, { headers: { accept: 'application/json' } }));
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const b = (body ?? {}) as { message?: string; error?: string };
    throw new ApiError(b.message ?? b.error ?? `${res.status} ${res.statusText} for ${url}`);
  }
  return body as T;
}

/** A request index.html started before the bundle loaded, for this exact URL (each is used once). */
function takePrefetched(url: string): Promise<Response> | undefined {
  const early = window.sweepPrefetch?.[url];
  if (early === undefined) return undefined;
  delete window.sweepPrefetch?.[url];
  return early.catch(() => fetch(url, { headers: { accept: 'application/json' } }));
}

export function artifactUrl(runId: string, path: string, inline = false): string {
  const q = new URLSearchParams({ run_id: runId, path });
  if (inline) q.set('inline', '1');
  return `/api/ui/artifact?${q}`;
}
