import { relayedAccessToken } from '@latchkey/next/server';

/**
 * Server-side token relay: the gateway routes /api/bff/** here as an API route, so this handler gets the user's
 * access token (never the browser), calls the notes API with it and answers only what the page needs. An answer of
 * 401 makes the gateway refresh the session once and retry.
 */
export async function GET(request: Request) {
  const token = relayedAccessToken(request);
  const notesApi = process.env.LATCHKEY_EXAMPLE_NOTES_API_URL;
  if (token === null || notesApi === undefined) {
    return Response.json({ code: 'unauthenticated', status: 401, title: 'Unauthenticated' },
      { status: 401, headers: { 'Content-Type': 'application/problem+json' } });
  }
  const r = await fetch(`${notesApi}/api/notes`, { headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' }, cache: 'no-store' });
  if (!r.ok) return new Response(null, { status: r.status === 401 ? 401 : 502 });
  const { notes } = (await r.json()) as { notes: { title: string }[] };
  return Response.json({ count: notes.length, latest: notes[0]?.title ?? null }, { headers: { 'Cache-Control': 'no-store' } });
}
