import { type FormEvent, useState } from 'react';
import { describeError } from '../api';

/** Exchanges an API key for a session; the key is sent once and never kept by the page. */
export function SignInPage(props: { signIn: (apiKey: string) => Promise<void> }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const key = new FormData(form).get('apiKey');
    if (typeof key !== 'string' || key.trim() === '') {
      setError('Enter an API key.');
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await props.signIn(key.trim());
    } catch (e) {
      setError(describeError(e));
      setBusy(false);
    }
  }

  return (
    <main id="main" className="sign-in">
      <h1>Pricebook console</h1>
      <p>Sign in with an API key. Your role (viewer, operator or admin) is the key&apos;s.</p>
      <form onSubmit={(e) => void submit(e)} className="card">
        <label htmlFor="apiKey">API key</label>
        <input id="apiKey" name="apiKey" type="password" autoComplete="current-password" required />
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
