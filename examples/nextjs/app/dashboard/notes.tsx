'use client';

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useLatchkeyFetch } from '@latchkey/next/client';

interface Note {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/**
 * Lists and creates notes through the gateway: the browser sends only its HttpOnly session cookie (and X-CSRF),
 * the gateway relays a Bearer token to the notes API, PostgreSQL row-level security picks the rows.
 * A 401 (session ended) sends the browser to sign in and back here.
 */
export function Notes() {
  const latchkeyFetch = useLatchkeyFetch();
  const [notes, setNotes] = useState<readonly Note[] | null>(null);
  const [status, setStatus] = useState('');
  const [summary, setSummary] = useState<{ count: number } | null>(null);

  const load = useCallback(async () => {
    const r = await latchkeyFetch('/api/notes', { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`could not load the notes (${r.status})`);
    setNotes(((await r.json()) as { notes: Note[] }).notes);
    // counted by this app's own server, which calls the notes API with the token the gateway relayed to it
    const s = await latchkeyFetch('/api/bff/notes-summary', { headers: { Accept: 'application/json' } });
    if (s.ok) setSummary((await s.json()) as { count: number });
  }, [latchkeyFetch]);

  useEffect(() => {
    load().catch((e: unknown) => setStatus(String(e instanceof Error ? e.message : e)));
  }, [load]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    try {
      const r = await latchkeyFetch('/api/notes', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ title: data.get('title'), body: data.get('body') }),
      });
      if (r.status !== 201) {
        const problem = (await r.json().catch(() => ({}))) as { detail?: string };
        setStatus(problem.detail ?? `not saved (${r.status})`);
        return;
      }
      form.reset();
      setStatus('Saved.');
      await load();
    } catch (e) {
      setStatus(String(e instanceof Error ? e.message : e));
    }
  }

  return (
    <div>
      <form id="note-form" onSubmit={(e) => void create(e)}>
        <input id="note-title" name="title" placeholder="Title" required maxLength={200} />
        <textarea id="note-body" name="body" placeholder="Note" maxLength={10000} />
        <button id="note-create" type="submit">Add note</button>
      </form>
      <p id="status" role="status">{status}</p>
      {summary !== null ? <p id="summary">{`${summary.count} note${summary.count === 1 ? '' : 's'}, counted by the Next.js server`}</p> : null}
      {notes === null
        ? <p id="notes-loading">Loading notes…</p>
        : <ul id="notes">{notes.map((n) => <li key={n.id}><strong>{n.title}</strong> {n.body}</li>)}</ul>}
    </div>
  );
}
