'use client';

import { displayName } from '@latchkey/next';
import { useGateway, useUser } from '@latchkey/next/client';

export function SignOut() {
  const user = useUser();
  const gateway = useGateway();
  return (
    <span id="who">
      {user !== null ? <span id="signed-in-as">{displayName(user)}</span> : null}{' '}
      <button id="sign-out" type="button" onClick={() => void gateway.logout()}>Sign out</button>
    </span>
  );
}
