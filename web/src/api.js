// Every request the viewer makes goes to the kvarter server that served it (same origin).

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

// Fetches JSON; a problem answer (RFC 9457) becomes an ApiError carrying its detail.
export async function getJson(url, options = {}) {
  const response = await fetch(url, options);
  const text = await response.text(); // read even when empty (204), so the request completes
  if (response.status === 204) return null;
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body?.detail ?? `${response.status} ${response.statusText}`);
  return body;
}

export function sendJson(url, method, body, token, signal) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  return getJson(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
}

export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const text = q.toString();
  return text ? `?${text}` : '';
}

export const itemUrl = (collection, id, year) =>
  `/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}${query({ year })}`;
