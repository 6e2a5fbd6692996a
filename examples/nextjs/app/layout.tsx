import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import Link from 'next/link';
import { LatchkeyProvider } from '@latchkey/next/client';
import { getUser } from '@latchkey/next/server';
import { SignOut } from './sign-out';
import './style.css';

export const metadata: Metadata = { title: 'Latchkey notes (Next.js)' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Verified from the gateway's Latchkey-Assertion on this very request: the first HTML already knows the user.
  const user = await getUser();
  return (
    <html lang="en">
      <body>
        <LatchkeyProvider user={user}>
          <header>
            <nav>
              <Link href="/" prefetch={false}>Home</Link> <Link href="/dashboard" prefetch={false}>Dashboard</Link>{' '}
              <Link href="/admin" prefetch={false}>Admin</Link>
            </nav>
            {user !== null ? <SignOut /> : <a id="sign-in" href="/auth/login?returnTo=/dashboard">Sign in</a>}
          </header>
          <main>{children}</main>
        </LatchkeyProvider>
      </body>
    </html>
  );
}
