// Microsoft's own client library, @azure/msal-node, against the sandbox tenant served over HTTPS:
// what MSAL depends on must hold in the sandbox as it holds at Entra (issue 10, tests section).
// Only documented options for a custom authority: `auth.knownAuthorities` (no patching of MSAL).
// Driven by crates/inbox-connect-core/tests/it/msal_node.rs, one JSON object a line: it prints
// {"step":"authorize","url":...}, reads the redirect URL the test's browser stopped at from stdin,
// then prints one line per step and {"step":"done"}; a failure prints {"step":"failed",...}.
import readline from 'node:readline';
import { randomUUID } from 'node:crypto';
import {
  CryptoProvider,
  InteractionRequiredAuthError,
  PublicClientApplication,
} from '@azure/msal-node';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const say = (line) => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main() {
  const authority = env('MSAL_AUTHORITY');
  const graph = env('MSAL_GRAPH');
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  const pca = new PublicClientApplication({
    auth: {
      clientId: env('MSAL_CLIENT_ID'),
      authority,
      // A host MSAL does not know: trusted as given, discovery read from it.
      knownAuthorities: [new URL(authority).host],
    },
  });
  // A loopback redirect URI, as MSAL's desktop samples use (the port is ignored by Entra).
  const redirectUri = 'http://localhost:53100/';
  const scopes = ['User.Read', 'Mail.Send'];
  const { verifier, challenge } = await new CryptoProvider().generatePkceCodes();
  const state = randomUUID();
  const url = await pca.getAuthCodeUrl({
    scopes,
    redirectUri,
    codeChallenge: challenge,
    codeChallengeMethod: 'S256',
    loginHint: env('MSAL_LOGIN_HINT'),
    state,
  });
  say({ step: 'authorize', url });

  const { value: redirect } = await lines.next();
  const back = new URL(redirect);
  if (back.searchParams.get('state') !== state) throw new Error(`state mismatch in ${redirect}`);
  const signedIn = await pca.acquireTokenByCode({
    code: back.searchParams.get('code'),
    scopes,
    redirectUri,
    codeVerifier: verifier,
  });
  const cached = await pca.getTokenCache().getAllAccounts();
  say({
    step: 'code',
    home_account_id: signedIn.account.homeAccountId,
    tenant_id: signedIn.account.tenantId,
    username: signedIn.account.username,
    oid: signedIn.idTokenClaims.oid,
    tid: signedIn.idTokenClaims.tid,
    cached_accounts: cached.map((a) => a.homeAccountId),
  });

  const me = await fetch(`${graph}/me`, {
    headers: { Authorization: `Bearer ${signedIn.accessToken}` },
  });
  say({ step: 'graph_me', status: me.status, body: await me.json() });

  const refreshed = await pca.acquireTokenSilent({
    account: signedIn.account,
    scopes,
    forceRefresh: true,
  });
  say({
    step: 'refresh',
    home_account_id: refreshed.account.homeAccountId,
    from_cache: refreshed.fromCache,
    new_access_token: refreshed.accessToken !== signedIn.accessToken,
  });

  try {
    // Calendars.ReadWrite was never consented: Entra answers the refresh with AADSTS65001.
    await pca.acquireTokenSilent({
      account: signedIn.account,
      scopes: ['Calendars.ReadWrite'],
      forceRefresh: true,
    });
    say({ step: 'missing_consent', error: null });
  } catch (e) {
    say({
      step: 'missing_consent',
      error: e.name,
      interaction_required: e instanceof InteractionRequiredAuthError,
      error_code: e.errorCode,
      suberror: e.subError,
    });
  }
  say({ step: 'done' });
}

main().then(
  () => process.exit(0),
  (e) => {
    say({ step: 'failed', error: String(e), stack: e?.stack });
    process.exit(1);
  },
);
