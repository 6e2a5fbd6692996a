import { getUser } from '@latchkey/next/server';

/** The verified user of this request as JSON, or 401: what getUser() decided, nothing more. */
export async function GET() {
  const user = await getUser();
  const headers = { 'Cache-Control': 'no-store' };
  return user === null ? Response.json({ user: null }, { status: 401, headers }) : Response.json({ user }, { headers });
}
