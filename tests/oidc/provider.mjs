// An independent, certified OpenID provider (oidc-provider) for the inbox-connect-core tests.
// Starts on 127.0.0.1, port 0, and prints its issuer as the first line of stdout.
// Its dev interaction pages (login, consent) are plain HTML forms a test browser can walk.
import http from 'node:http';
import Provider, { interactionPolicy } from 'oidc-provider';

export const CLIENT_ID = 'inbox-connect-test';

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

// `select_account` is accepted but resolved by the login page itself: the client always sends it
// (ref decisions), and a fresh session shows the login page anyway.
const policy = interactionPolicy.base();
const selectAccount = new interactionPolicy.Prompt({ name: 'select_account', requestable: true });
selectAccount.checks.splice(0);
policy.add(selectAccount);

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    // RFC 8252: a native client's loopback redirect URI matches on any port.
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    redirect_uris: ['http://localhost/'],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
  }],
  pkce: { required: () => true },
  interactions: { policy },
  claims: {
    openid: ['sub'],
    profile: ['name', 'preferred_username'],
    email: ['email'],
  },
  // Put the scope claims into the id token too, as Entra does.
  conformIdTokenClaims: false,
  // OIDC Core §11 drops `offline_access` unless `prompt=consent`, which the client must never
  // send by default; like Entra, issue refresh tokens to this native client anyway.
  issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  features: {
    devInteractions: { enabled: true },
    revocation: { enabled: true },
  },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({
      sub: id,
      name: `Test User ${id}`,
      preferred_username: id,
      email: id.includes('@') ? id : `${id}@example.test`,
    }),
  }),
});
// Report the provider's own failures on stderr, where a failing test shows them.
provider.on('server_error', (_ctx, err) => console.error('oidc-provider error:', err));

server.on('request', provider.callback());
process.stdout.write(`${issuer}\n`);

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
