import Link from 'next/link';
import { displayName } from '@latchkey/next';
import { getUser } from '@latchkey/next/server';

export default async function Home() {
  const user = await getUser();
  return (
    <section>
      <h1>Latchkey notes</h1>
      {user === null
        ? <p id="landing">You are signed out. <a href="/auth/login?returnTo=/dashboard">Sign in</a> to keep notes.</p>
        : <p id="landing">Signed in as {displayName(user)}. Go to your <Link href="/dashboard">dashboard</Link>.</p>}
    </section>
  );
}
