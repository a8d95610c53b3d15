import { Link } from 'wouter';

export function NotFoundPage() {
  return (
    <>
      <h1>Not found</h1>
      <p>
        There is no such page. <Link href="/">Go to the overview</Link>.
      </p>
    </>
  );
}
