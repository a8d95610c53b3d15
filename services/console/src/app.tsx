import { Route, Router, Switch } from 'wouter';
import { Shell } from './components/shell';
import { AssistantPage } from './pages/assistant';
import { ConflictPage } from './pages/conflict';
import { ConflictsPage } from './pages/conflicts';
import { ItemPage } from './pages/item';
import { NotFoundPage } from './pages/not-found';
import { OverviewPage } from './pages/overview';
import { PricebookPage } from './pages/pricebook';
import { ProposalsPage } from './pages/proposals';
import { RejectionsPage } from './pages/rejections';
import { SignInPage } from './pages/sign-in';
import { SyncPage } from './pages/sync';
import { SyncsPage } from './pages/syncs';
import { TenantsPage } from './pages/tenants';
import { WebhookPage } from './pages/webhook';
import { WebhooksPage } from './pages/webhooks';
import { SessionProvider } from './session';

/** The console: sign-in, then the pages under `/admin`. */
export function App() {
  return (
    <Router base="/admin">
      <SessionProvider signedOut={(signIn) => <SignInPage signIn={signIn} />}>
        <Shell>
          <Switch>
            <Route path="/" component={OverviewPage} />
            <Route path="/syncs" component={SyncsPage} />
            <Route path="/syncs/:id" component={SyncPage} />
            <Route path="/conflicts" component={ConflictsPage} />
            <Route path="/conflicts/:id" component={ConflictPage} />
            <Route path="/pricebook" component={PricebookPage} />
            <Route path="/pricebook/:entity/:id" component={ItemPage} />
            <Route path="/assistant" component={AssistantPage} />
            <Route path="/proposals" component={ProposalsPage} />
            <Route path="/rejections" component={RejectionsPage} />
            <Route path="/tenants" component={TenantsPage} />
            <Route path="/webhooks" component={WebhooksPage} />
            <Route path="/webhooks/:id" component={WebhookPage} />
            <Route component={NotFoundPage} />
          </Switch>
        </Shell>
      </SessionProvider>
    </Router>
  );
}
