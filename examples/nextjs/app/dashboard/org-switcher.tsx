'use client';

import { useEffect, useState } from 'react';
import { useLatchkeyFetch } from '@latchkey/next/client';

interface Organization {
  readonly id: string;
  readonly name: string;
  readonly slug: string;
  readonly current: boolean;
}

/**
 * The current organization and, for a member of several, a switcher: the gateway lists the user's organizations
 * (`GET /auth/orgs`), and a plain form posts to its `POST /auth/org`, which refreshes the session's tokens for the
 * chosen one and answers 303 back to `returnTo`. The next render (server-side, from the new assertion) and every API
 * call then carry that organization: no token ever reaches this page.
 */
export function OrgSwitcher({ returnTo }: { readonly returnTo: string }) {
  const latchkeyFetch = useLatchkeyFetch();
  const [orgs, setOrgs] = useState<readonly Organization[] | null>(null);

  useEffect(() => {
    latchkeyFetch('/auth/orgs', { headers: { Accept: 'application/json' } })
      .then(async (r) => (r.ok ? ((await r.json()) as { orgs: Organization[] }).orgs : []))
      .then(setOrgs, () => setOrgs([]));
  }, [latchkeyFetch]);

  if (orgs === null || orgs.length === 0) return null;
  const current = orgs.find((o) => o.current);
  const others = orgs.filter((o) => !o.current);
  return (
    <section id="org-bar">
      <p>
        Organization: <strong id="org-name">{current ? current.name : '(none)'}</strong>
      </p>
      {others.length > 0 ? (
        <form id="org-switch" method="post" action="/auth/org">
          <input type="hidden" name="returnTo" value={returnTo} />
          <label htmlFor="org-select">Switch to</label>{' '}
          <select id="org-select" name="org_id">
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>{' '}
          <button type="submit" id="org-switch-button">
            Switch
          </button>
        </form>
      ) : null}
    </section>
  );
}
