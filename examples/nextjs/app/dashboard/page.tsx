import { displayName } from '@latchkey/next';
import { requireUser } from '@latchkey/next/server';
import { Notes } from './notes';
import { OrgSwitcher } from './org-switcher';

export default async function Dashboard() {
  const user = await requireUser({ returnTo: '/dashboard' });
  return (
    <section>
      <h1 id="greeting">{`Hello, ${displayName(user)}`}</h1>
      <p id="identity">
        User id <code>{user.id}</code>{user.org !== null ? <> in organization <code>{user.org}</code></> : null}
        {user.roles.length > 0 ? <>, roles {user.roles.join(', ')}</> : null}
      </p>
      <OrgSwitcher returnTo="/dashboard" />
      <Notes />
    </section>
  );
}
