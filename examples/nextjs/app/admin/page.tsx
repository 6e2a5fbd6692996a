import { displayName } from '@latchkey/next';
import { requireUser } from '@latchkey/next/server';

// Needs the admin role in the session's organization: others get app/forbidden.tsx with status 403.
export default async function Admin() {
  const user = await requireUser({ returnTo: '/admin', role: 'admin' });
  return (
    <section>
      <h1 id="admin">Administration</h1>
      <p>{displayName(user)} is an admin of organization <code id="admin-org">{user.org}</code>.</p>
    </section>
  );
}
