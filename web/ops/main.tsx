import './ops.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, can, credential, gql, type Viewer } from './api';
import { Exceptions } from './exceptions';
import { OrderView } from './order';
import { Plumbing } from './plumbing';
import { Reconciliation } from './reconciliation';

const VIEWER = '{ viewer { subject role permissions } }';

type Section = 'exceptions' | 'reconciliation' | 'order' | 'plumbing';

/** #/exceptions, #/reconciliation, #/order/<id>, #/plumbing: a section can be bookmarked and reloaded. */
function readHash(): { section: Section; arg: string } {
  const [, section = 'exceptions', ...rest] = location.hash.split('/');
  const known: Section[] = ['exceptions', 'reconciliation', 'order', 'plumbing'];
  return { section: known.includes(section as Section) ? (section as Section) : 'exceptions', arg: decodeURIComponent(rest.join('/')) };
}

function SignIn({ onViewer, error }: { onViewer: (v: Viewer) => void; error: string | null }) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(error);
  const submit = async (e: Event) => {
    e.preventDefault();
    credential.set(value.trim());
    try {
      onViewer((await gql<{ viewer: Viewer }>(VIEWER)).viewer);
    } catch (err) {
      credential.clear();
      setProblem((err as Error).message);
    }
  };
  return (
    <main class="signin">
      <h1>moneygraph ops</h1>
      <form onSubmit={submit}>
        <label for="credential">API key or JWT</label>
        <input
          id="credential"
          name="credential"
          type="password"
          autoComplete="off"
          required
          value={value}
          onInput={(e) => setValue((e.target as HTMLInputElement).value)}
          autoFocus
        />
        <button type="submit">Sign in</button>
        <p class="hint">Kept in this tab only (session storage); closing the tab signs you out.</p>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </main>
  );
}

function App() {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(credential.get() !== null);
  const [error, setError] = useState<string | null>(null);
  const [route, setRoute] = useState(readHash());
  useEffect(() => {
    const onHash = () => setRoute(readHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    if (!checking) return;
    gql<{ viewer: Viewer }>(VIEWER)
      .then((d) => setViewer(d.viewer))
      .catch((err: ApiError) => {
        credential.clear();
        setError(err.message);
      })
      .finally(() => setChecking(false));
  }, []);
  if (checking) return <p class="loading">Checking the credential…</p>;
  if (!viewer) return <SignIn onViewer={setViewer} error={error} />;
  const tabs: [Section, string, boolean][] = [
    ['exceptions', 'Exceptions', true],
    ['reconciliation', 'Reconciliation', can(viewer, 'READ_REPORTS')],
    ['order', 'An order', true],
    ['plumbing', 'Plumbing', can(viewer, 'READ_OUTBOX') || can(viewer, 'READ_WEBHOOKS')],
  ];
  const signOut = () => {
    credential.clear();
    setViewer(null);
  };
  return (
    <>
      <header>
        <strong>moneygraph ops</strong>
        <nav aria-label="Sections">
          {tabs
            .filter(([, , shown]) => shown)
            .map(([id, label]) => (
              <a href={`#/${id}`} aria-current={route.section === id ? 'page' : undefined}>
                {label}
              </a>
            ))}
        </nav>
        <span class="who" data-testid="viewer">
          {viewer.subject} · {viewer.role}
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main>
        {route.section === 'exceptions' && <Exceptions viewer={viewer} />}
        {route.section === 'reconciliation' && can(viewer, 'READ_REPORTS') && <Reconciliation />}
        {route.section === 'order' && <OrderView viewer={viewer} orderId={route.arg} />}
        {route.section === 'plumbing' && <Plumbing viewer={viewer} />}
      </main>
    </>
  );
}

const root = document.getElementById('app');
if (root) render(<App />, root);
