import Link from 'next/link';

export default function Forbidden() {
  return (
    <section>
      <h1 id="forbidden">Not for you</h1>
      <p>This page needs the admin role. <Link href="/dashboard">Back to the dashboard</Link>.</p>
    </section>
  );
}
